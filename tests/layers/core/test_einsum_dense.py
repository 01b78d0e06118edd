"""EinsumDense: the equations from Keras' docs (shapes, Keras parity), fans of the kernel, errors."""

import math

import pytest
import torch
from conformance import run_layer_test

from torchkeras_lite.layers.core import EinsumDense

# (kwargs, input shape, expected output shape, kernel shape, bias shape)
DOC_CASES = [
    (
        {"equation": "ab,bc->ac", "output_shape": 64, "bias_axes": "c"},
        (2, 32),
        (2, 64),
        (32, 64),
        (64,),
    ),
    (
        {"equation": "abc,cd->abd", "output_shape": (None, 64), "bias_axes": "d"},
        (2, 32, 128),
        (2, 32, 64),
        (128, 64),
        (64,),
    ),
    (
        {"equation": "abc,cde->abde", "output_shape": (None, 16, 64), "bias_axes": "de"},
        (2, 32, 128),
        (2, 32, 16, 64),
        (128, 16, 64),
        (16, 64),
    ),
    (
        {"equation": "...b,bc->...c", "output_shape": 64, "bias_axes": "c"},
        (2, 32, 128),
        (2, 32, 64),
        (128, 64),
        (64,),
    ),
    ({"equation": "abc,cd->abd", "output_shape": (None, 8)}, (2, 5, 6), (2, 5, 8), (6, 8), None),
    (
        {"equation": "abc,cd->abd", "output_shape": (5, 8), "bias_axes": "b"},
        (2, 5, 6),
        (2, 5, 8),
        (6, 8),
        (5, 1),
    ),
    (
        {"equation": "ab...,bc->ac...", "output_shape": 4, "bias_axes": "c"},
        (2, 3, 5),
        (2, 4, 5),
        (3, 4),
        (4, 1),
    ),
]


@pytest.mark.parametrize("kwargs, in_shape, out_shape, kernel, bias", DOC_CASES)
def test_einsum_dense_equations_match_keras(kwargs, in_shape, out_shape, kernel, bias):
    layer = run_layer_test(
        EinsumDense,
        kwargs,
        input_shape=in_shape,
        expected_output_shape=out_shape,
        expected_num_trainable_weights=1 if bias is None else 2,
        run_training_check=in_shape[-1] < 100,
    )
    assert tuple(layer.kernel.shape) == kernel
    assert (layer.bias is None) if bias is None else tuple(layer.bias.shape) == bias


def test_einsum_dense_activation_and_math():
    layer = EinsumDense("ab,bc->ac", output_shape=3, activation="relu", bias_axes="c")
    x = torch.randn(4, 2)
    out = layer(x)
    expected = torch.relu(x @ layer.kernel + layer.bias)
    torch.testing.assert_close(out, expected)


def test_variance_scaling_fans_come_from_the_equation():
    layer = EinsumDense(
        "abc,cde->abde", output_shape=(None, 16, 64), kernel_initializer="glorot_uniform"
    )
    layer.build((None, 32, 128))
    limit = math.sqrt(6.0 / (128 + 16 * 64))  # fan_in 128, fan_out 16 * 64
    k = layer.kernel.detach().abs()
    assert float(k.max()) <= limit and float(k.max()) > 0.9 * limit


def test_einsum_dense_errors():
    with pytest.raises(
        ValueError, match=r"Invalid einsum equation 'abc->d'.*Received: equation='abc->d'"
    ):
        EinsumDense("abc->d", output_shape=3)
    with pytest.raises(
        ValueError, match="Bias dimension 'x' was requested.*Received: bias_axes='x'"
    ):
        EinsumDense("ab,bc->ac", output_shape=3, bias_axes="x").build((None, 2))
    with pytest.raises(ValueError, match="Weight dimension 'z' did not have a match"):
        EinsumDense("ab,bcz->ac", output_shape=3).build((None, 2))
    with pytest.raises(
        ValueError, match="shared dimension 'b'. Input shape is 5, and output shape is 7"
    ):
        EinsumDense("abc,cd->abd", output_shape=(7, 3)).build((None, 5, 4))
    with pytest.raises(ValueError, match="Dimension 'e' was specified in the output"):
        EinsumDense("ab,bc->ae", output_shape=3).build((None, 2))
    with pytest.raises(ValueError, match="rank of the input does not match"):
        EinsumDense("abc,cd->abd", output_shape=(None, 3)).build((None, 4))
