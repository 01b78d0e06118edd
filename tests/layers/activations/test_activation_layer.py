"""Activation layer: Keras parity for several activations, masks pass through, config, errors."""

import pytest
import torch
from conformance import run_layer_test

import torchkeras_lite as keras
from torchkeras_lite.layers.activations import Activation


@pytest.mark.parametrize("activation", ["relu", "gelu", "softmax", "tanh", "selu", None])
def test_activation_conformance(activation):
    layer = run_layer_test(
        Activation,
        {"activation": activation},
        input_shape=(2, 3, 4),
        expected_output_shape=(2, 3, 4),
        supports_masking=True,
        expected_num_trainable_weights=0,
    )
    assert layer.get_config()["activation"] == (activation or "linear")


def test_activation_callable_and_mask():
    x = torch.tensor([[-1.0, 2.0]])
    x._keras_mask = torch.tensor([True])
    out = Activation(keras.activations.relu)(x)
    assert out.tolist() == [[0.0, 2.0]] and torch.equal(out._keras_mask, torch.tensor([True]))


def test_activation_unknown_name():
    with pytest.raises(ValueError, match="Unknown activation: 'sigmod'"):
        Activation("sigmod")
