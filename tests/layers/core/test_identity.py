"""Identity: returns its input unchanged, masks pass through; Keras parity."""

import torch
from conformance import run_layer_test

from torchkeras_lite.layers.core import Identity


def test_identity_conformance():
    run_layer_test(
        Identity, {}, input_shape=(2, 3, 4), expected_output_shape=(2, 3, 4), supports_masking=True
    )


def test_identity_returns_the_input_and_its_mask():
    x = torch.randn(2, 3)
    x._keras_mask = torch.tensor([True, False])
    out = Identity()(x)
    assert out is x and torch.equal(out._keras_mask, torch.tensor([True, False]))
