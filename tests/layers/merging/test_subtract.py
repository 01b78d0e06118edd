"""Subtract: conformance with Keras parity, the math, broadcasting and the functional `subtract`."""

import pytest
import torch
from conformance import run_layer_test

from torchkeras_lite.layers.merging import Subtract, subtract


def test_subtract_conformance():
    run_layer_test(
        Subtract,
        {},
        input_shape=[(2, 3, 4), (2, 3, 4)],
        expected_output_shape=(2, 3, 4),
        expected_num_trainable_weights=0,
        supports_masking=True,
    )


def test_subtract_broadcasts_lower_rank_and_size_one_inputs():
    run_layer_test(Subtract, {}, input_shape=[(2, 3, 4), (2, 4)], expected_output_shape=(2, 3, 4))
    run_layer_test(
        Subtract, {}, input_shape=[(2, 3, 4), (2, 1, 4)], expected_output_shape=(2, 3, 4)
    )


def test_subtract_math_and_functional_form():
    x1, x2 = (torch.randn(2, 3, 4) for _ in range(2))
    expected = x1 - x2
    torch.testing.assert_close(Subtract()([x1, x2]), expected)
    torch.testing.assert_close(subtract([x1, x2], name="merge_subtract"), expected)


def test_subtract_shape_errors():
    with pytest.raises(
        ValueError, match=r"incompatible shapes.*Received: shapes=\(3, 4\) and \(3, 5\)"
    ):
        Subtract()([torch.ones(2, 3, 4), torch.ones(2, 3, 5)])
    with pytest.raises(ValueError, match=r"different batch sizes.*Received: input_shape="):
        Subtract()([torch.ones(2, 3), torch.ones(3, 3)])
    with pytest.raises(ValueError, match=r"list of inputs.*Received: input_shape="):
        Subtract()(torch.ones(2, 3))


def test_subtract_needs_exactly_two_inputs():
    with pytest.raises(ValueError, match=r"exactly 2 input.*Received: input_shape="):
        Subtract()([torch.ones(2, 3)] * 3)
