"""Masking: masks (and zeroes) the timesteps whose features all equal mask_value; Keras parity."""

import torch
from conformance import run_layer_test

from torchkeras_lite.layers.core import Dense, Masking


def _padded_batch():
    x = torch.randn(2, 4, 3)
    x[0, 2:] = 0.0
    x[1, 1] = 0.0
    x[1, 3, 0] = 0.0  # only one feature equals the mask value: not masked
    return x


def test_masking_conformance_and_keras_mask_parity():
    run_layer_test(
        Masking,
        {"mask_value": 0.0},
        input_shape=None,
        input_data=_padded_batch(),
        expected_output_shape=(2, 4, 3),
        supports_masking=True,
    )


def test_masking_zeroes_masked_steps_and_emits_the_mask():
    x = _padded_batch() + 0.0
    x[1, 1] = -1.0
    out = Masking(mask_value=-1.0)(x)
    assert out._keras_mask.tolist() == [[True] * 4, [True, False, True, True]]
    assert torch.equal(out[1, 1], torch.zeros(3)) and torch.equal(out[0], x[0])


def test_mask_reaches_the_next_layer():
    out = Dense(2)(Masking()(_padded_batch()))
    assert out._keras_mask.tolist() == [[True, True, False, False], [True, False, True, True]]
