"""Minimum: conformance with Keras parity, the math, broadcasting and the functional `minimum`."""

import pytest
import torch
from conformance import run_layer_test

from torchkeras_lite.layers.merging import Minimum, minimum


def test_minimum_conformance():
    run_layer_test(
        Minimum,
        {},
        input_shape=[(2, 3, 4), (2, 3, 4), (2, 3, 4)],
        expected_output_shape=(2, 3, 4),
        expected_num_trainable_weights=0,
        supports_masking=True,
    )


def test_minimum_broadcasts_lower_rank_and_size_one_inputs():
    run_layer_test(Minimum, {}, input_shape=[(2, 3, 4), (2, 4)], expected_output_shape=(2, 3, 4))
    run_layer_test(Minimum, {}, input_shape=[(2, 3, 4), (2, 1, 4)], expected_output_shape=(2, 3, 4))


def test_minimum_math_and_functional_form():
    x1, x2, x3 = (torch.randn(2, 3, 4) for _ in range(3))
    expected = torch.minimum(torch.minimum(x1, x2), x3)
    torch.testing.assert_close(Minimum()([x1, x2, x3]), expected)
    torch.testing.assert_close(minimum([x1, x2, x3], name="merge_minimum"), expected)


def test_minimum_shape_errors():
    with pytest.raises(
        ValueError, match=r"incompatible shapes.*Received: shapes=\(3, 4\) and \(3, 5\)"
    ):
        Minimum()([torch.ones(2, 3, 4), torch.ones(2, 3, 5)])
    with pytest.raises(ValueError, match=r"different batch sizes.*Received: input_shape="):
        Minimum()([torch.ones(2, 3), torch.ones(3, 3)])
    with pytest.raises(ValueError, match=r"list of inputs.*Received: input_shape="):
        Minimum()(torch.ones(2, 3))
