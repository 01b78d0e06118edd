"""ReLU layer: conformance with Keras parity for cap/slope/threshold, masks and argument errors."""

import pytest
import torch
from conformance import run_layer_test

from torchkeras_lite.layers.activations.relu import ReLU


@pytest.mark.parametrize(
    "kwargs",
    [
        {},
        {"max_value": 6.0},
        {"negative_slope": 0.1},
        {"threshold": 0.5},
        {"max_value": 1.0, "negative_slope": 0.2, "threshold": 0.3},
    ],
)
def test_relu_conformance(kwargs):
    run_layer_test(
        ReLU,
        kwargs,
        input_shape=(3, 4, 5),
        expected_output_shape=(3, 4, 5),
        expected_num_trainable_weights=0,
        supports_masking=True,
    )


def test_relu_values_and_mask_pass_through():
    x = torch.tensor([[-2.0, 0.2, 0.7, 3.0]])
    x._keras_mask = torch.tensor([[True, False, True, True]])
    out = ReLU(max_value=1.0, negative_slope=0.5, threshold=0.5)(x)
    torch.testing.assert_close(out, torch.tensor([[-1.25, -0.15, 0.7, 1.0]]))
    assert torch.equal(out._keras_mask, x._keras_mask)


@pytest.mark.parametrize(
    "kwargs, match",
    [
        ({"max_value": -1.0}, "max_value.*Received: max_value=-1.0"),
        ({"negative_slope": None}, "negative_slope.*Received: negative_slope=None"),
        ({"negative_slope": -0.1}, "negative_slope.*Received: negative_slope=-0.1"),
        ({"threshold": -2}, "threshold.*Received: threshold=-2"),
    ],
)
def test_relu_argument_errors(kwargs, match):
    with pytest.raises(ValueError, match=match):
        ReLU(**kwargs)
