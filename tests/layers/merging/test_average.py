"""Average: conformance with Keras parity, the math, broadcasting and the functional `average`."""

import pytest
import torch
from conformance import run_layer_test

from torchkeras_lite.layers.merging import Average, average


def test_average_conformance():
    run_layer_test(
        Average,
        {},
        input_shape=[(2, 3, 4), (2, 3, 4), (2, 3, 4)],
        expected_output_shape=(2, 3, 4),
        expected_num_trainable_weights=0,
        supports_masking=True,
    )


def test_average_broadcasts_lower_rank_and_size_one_inputs():
    run_layer_test(Average, {}, input_shape=[(2, 3, 4), (2, 4)], expected_output_shape=(2, 3, 4))
    run_layer_test(Average, {}, input_shape=[(2, 3, 4), (2, 1, 4)], expected_output_shape=(2, 3, 4))


def test_average_math_and_functional_form():
    x1, x2, x3 = (torch.randn(2, 3, 4) for _ in range(3))
    expected = (x1 + x2 + x3) / 3
    torch.testing.assert_close(Average()([x1, x2, x3]), expected)
    torch.testing.assert_close(average([x1, x2, x3], name="merge_average"), expected)


def test_average_shape_errors():
    with pytest.raises(
        ValueError, match=r"incompatible shapes.*Received: shapes=\(3, 4\) and \(3, 5\)"
    ):
        Average()([torch.ones(2, 3, 4), torch.ones(2, 3, 5)])
    with pytest.raises(ValueError, match=r"different batch sizes.*Received: input_shape="):
        Average()([torch.ones(2, 3), torch.ones(3, 3)])
    with pytest.raises(ValueError, match=r"list of inputs.*Received: input_shape="):
        Average()(torch.ones(2, 3))
