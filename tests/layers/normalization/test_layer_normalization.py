"""LayerNormalization: Keras parity (axes, center/scale, rms_scaling), non-trailing axes, errors."""

import pytest
import torch
from conformance import run_layer_test

from torchkeras_lite.layers.normalization import LayerNormalization


@pytest.mark.parametrize(
    "kwargs, shape, n_weights",
    [
        ({}, (4, 6), 2),
        ({"axis": [1, 2], "epsilon": 1e-5}, (3, 4, 5), 2),
        ({"axis": -1, "center": False}, (3, 4, 5), 1),
        ({"scale": False, "center": False}, (3, 5), 0),
        ({"rms_scaling": True}, (3, 4, 5), 1),
    ],
)
def test_layer_normalization_conformance(kwargs, shape, n_weights):
    if kwargs.get("rms_scaling"):
        with pytest.warns(UserWarning, match="rms_scaling"):
            run_layer_test(
                LayerNormalization, kwargs, shape, shape, expected_num_trainable_weights=n_weights
            )
    else:
        run_layer_test(
            LayerNormalization,
            kwargs,
            shape,
            shape,
            expected_num_trainable_weights=n_weights,
            supports_masking=True,
        )


def _reference(x, axes, gamma, beta, eps):
    mean = x.mean(dim=axes, keepdim=True)
    var = x.var(dim=axes, keepdim=True, unbiased=False)
    return (x - mean) / torch.sqrt(var + eps) * gamma + beta


def test_non_trailing_axes_use_the_general_path():
    layer = LayerNormalization(
        axis=[1, 3], gamma_initializer="random_normal", beta_initializer="random_normal"
    )
    x = torch.randn(2, 3, 4, 5) * 2 + 1
    out = layer(x)
    assert tuple(layer.gamma.shape) == (3, 5)
    gamma = layer.gamma.detach().reshape(1, 3, 1, 5)
    beta = layer.beta.detach().reshape(1, 3, 1, 5)
    torch.testing.assert_close(out, _reference(x, (1, 3), gamma, beta, 1e-3), atol=1e-5, rtol=1e-5)
    single = LayerNormalization(axis=1)
    x3 = torch.randn(2, 3, 4)
    torch.testing.assert_close(
        single(x3), _reference(x3, (1,), 1.0, 0.0, 1e-3), atol=1e-5, rtol=1e-5
    )


def test_config_keeps_the_axis_as_given():
    layer = LayerNormalization(axis=(1, 2))
    layer(torch.randn(2, 3, 4))
    assert layer.get_config()["axis"] == [1, 2] and LayerNormalization().get_config()["axis"] == -1


def test_half_precision_inputs_are_normalized_in_float32():
    layer = LayerNormalization(dtype="bfloat16")
    x = torch.randn(4, 8).to(torch.bfloat16)
    out = layer(x)
    assert out.dtype == torch.bfloat16
    torch.testing.assert_close(
        out.float(), _reference(x.float(), (1,), 1.0, 0.0, 1e-3), atol=2e-2, rtol=2e-2
    )


def test_layer_normalization_errors():
    with pytest.raises(
        TypeError, match="Expected an int or a list/tuple of ints for the argument 'axis'"
    ):
        LayerNormalization(axis="last")
    with pytest.raises(
        ValueError, match=r"Axis 2 is out of bounds for input shape \(2, 3\). Received: axis=2"
    ):
        LayerNormalization(axis=2)(torch.ones(2, 3))
