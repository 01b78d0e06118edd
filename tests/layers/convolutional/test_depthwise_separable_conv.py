"""DepthwiseConv1D/2D and SeparableConv1D/2D: conformance, Keras parity, layouts, errors."""

import numpy as np
import pytest
import torch
from conformance import run_layer_test

from torchkeras_lite.layers.convolutional import (
    DepthwiseConv1D,
    DepthwiseConv2D,
    SeparableConv1D,
    SeparableConv2D,
)


def test_depthwise_conv2d_conformance_multiplier_strided_same():
    layer = run_layer_test(
        DepthwiseConv2D,
        {"kernel_size": 3, "strides": 2, "padding": "same", "depth_multiplier": 2},
        input_shape=(2, 6, 7, 3),
        expected_output_shape=(2, 3, 4, 6),
        expected_num_trainable_weights=2,
        supports_masking=False,
    )
    assert tuple(layer.kernel.shape) == (3, 3, 3, 2) and tuple(layer.bias.shape) == (6,)


def test_depthwise_conv2d_conformance_channels_first_dilated():
    run_layer_test(
        DepthwiseConv2D,
        {"kernel_size": (2, 3), "dilation_rate": 2, "data_format": "channels_first"},
        input_shape=(2, 3, 6, 7),
        expected_output_shape=(2, 3, 4, 3),
    )


def test_depthwise_conv1d_conformance():
    run_layer_test(
        DepthwiseConv1D,
        {"kernel_size": 3, "depth_multiplier": 3, "padding": "same", "use_bias": False},
        input_shape=(2, 7, 2),
        expected_output_shape=(2, 7, 6),
        expected_num_trainable_weights=1,
    )
    run_layer_test(
        DepthwiseConv1D,
        {"kernel_size": 2, "strides": 2, "data_format": "channels_first"},
        input_shape=(2, 3, 7),
        expected_output_shape=(2, 3, 3),
    )


def test_depthwise_output_channel_order_is_channel_major():
    layer = DepthwiseConv1D(1, depth_multiplier=2, use_bias=False)
    layer.build((None, 1, 2))
    layer.set_weights([np.array([[[1.0, 2.0], [3.0, 4.0]]], dtype="float32")])
    y = layer(torch.tensor([[[1.0, 10.0]]])).detach().flatten().tolist()
    assert y == [1.0, 2.0, 30.0, 40.0]  # channel c, multiplier m -> output c * 2 + m


def test_separable_conv2d_conformance():
    layer = run_layer_test(
        SeparableConv2D,
        {"filters": 4, "kernel_size": 3, "strides": 2, "padding": "same", "depth_multiplier": 2},
        input_shape=(2, 6, 6, 3),
        expected_output_shape=(2, 3, 3, 4),
        expected_num_trainable_weights=3,
    )
    assert [tuple(w.shape) for w in layer.weights] == [(3, 3, 3, 2), (1, 1, 6, 4), (4,)]
    assert list(layer.state_dict()) == ["depthwise_kernel", "pointwise_kernel", "bias"]


def test_separable_conv2d_conformance_channels_first_dilated():
    run_layer_test(
        SeparableConv2D,
        {
            "filters": 2,
            "kernel_size": 2,
            "dilation_rate": 2,
            "data_format": "channels_first",
            "activation": "relu",
        },
        input_shape=(2, 3, 5, 5),
        expected_output_shape=(2, 2, 3, 3),
    )


def test_separable_conv1d_conformance():
    run_layer_test(
        SeparableConv1D,
        {"filters": 3, "kernel_size": 3, "padding": "same", "use_bias": False},
        input_shape=(2, 8, 4),
        expected_output_shape=(2, 8, 3),
        expected_num_trainable_weights=2,
    )
    run_layer_test(
        SeparableConv1D,
        {"filters": 3, "kernel_size": 2, "strides": 2, "data_format": "channels_first"},
        input_shape=(2, 4, 8),
        expected_output_shape=(2, 3, 4),
    )


@pytest.mark.parametrize(
    ("cls", "kwargs", "match"),
    [
        (DepthwiseConv2D, {"kernel_size": 3, "depth_multiplier": 0}, "depth_multiplier=0"),
        (DepthwiseConv2D, {"kernel_size": (3,)}, r"tuple of 2 integers.*kernel_size=\(3,\)"),
        (DepthwiseConv1D, {"kernel_size": 3, "padding": "causal"}, "padding='causal'"),
        (SeparableConv2D, {"filters": 0, "kernel_size": 3}, "Received: filters=0"),
        (SeparableConv1D, {"filters": 2, "kernel_size": 3, "depth_multiplier": -2}, "=-2"),
        (SeparableConv2D, {"filters": 2, "kernel_size": 3, "strides": (1, 0)}, "strides"),
    ],
)
def test_constructor_errors(cls, kwargs, match):
    with pytest.raises(ValueError, match=match):
        cls(**kwargs)
