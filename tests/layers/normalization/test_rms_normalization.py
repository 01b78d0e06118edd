"""RMSNormalization: conformance with Keras parity (trailing axes on torch's fused kernel), the
math on non-trailing axes, half precision, and errors."""

import pytest
import torch
from conformance import run_layer_test

from torchkeras_lite.layers.normalization.rms_normalization import RMSNormalization


@pytest.mark.parametrize(
    "kwargs, scale_shape",
    [({}, (5,)), ({"axis": [-2, -1], "epsilon": 1e-3}, (4, 5)), ({"axis": -1}, (5,))],
)
def test_rms_normalization_conformance(kwargs, scale_shape):
    layer = run_layer_test(
        RMSNormalization,
        kwargs,
        input_shape=(3, 4, 5),
        expected_output_shape=(3, 4, 5),
        expected_num_trainable_weights=1,
    )
    assert tuple(layer.scale.shape) == scale_shape


def test_rms_normalization_math_on_a_middle_axis():
    layer = RMSNormalization(axis=1, epsilon=1e-6)
    x = torch.randn(2, 3, 4)
    layer(x)
    scale = torch.tensor([1.0, 2.0, 3.0])
    layer.set_weights([scale.numpy()])
    expected = x / torch.sqrt(x.square().mean(dim=1, keepdim=True) + 1e-6) * scale.view(1, 3, 1)
    torch.testing.assert_close(layer(x), expected)
    half = RMSNormalization(dtype="bfloat16")
    out = half(x.to(torch.bfloat16))
    assert out.dtype == torch.bfloat16
    torch.testing.assert_close(out.float(), RMSNormalization()(x), atol=0.05, rtol=0.05)


def test_rms_normalization_errors():
    with pytest.raises(ValueError, match="Received: axis='a'"):
        RMSNormalization(axis="a")
    with pytest.raises(ValueError, match=r"out of bounds.*Received: axis=3"):
        RMSNormalization(axis=3)(torch.ones(2, 3))
    with pytest.raises(ValueError, match=r"out of bounds.*Received: axis=\[0, 4\]"):
        RMSNormalization(axis=[0, 4]).compute_output_shape((2, 3))
