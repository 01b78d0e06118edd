"""`DepthwiseConv2D`: 2D depthwise convolution."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from torchkeras_lite.layers.convolutional.base_depthwise_conv import BaseDepthwiseConv


class DepthwiseConv2D(BaseDepthwiseConv):
    """2D depthwise convolution layer.

    Convolves each input channel with its own `depth_multiplier` filters (torch's `conv2d`
    with `groups=in_channels`), then adds a bias and applies `activation`. The kernel has
    Keras' layout `(*kernel_size, in_channels, depth_multiplier)`.

    Args:
        kernel_size: an int or a tuple of 2 ints, the window size.
        strides: an int or a tuple of 2 ints.
        padding: `"valid"` or `"same"` (Keras' rule: the odd pixel is padded at the end),
            case-insensitive.
        depth_multiplier: the number of filters per input channel.
        data_format: `"channels_last"` or `"channels_first"`; default
            `keras.config.image_data_format()`.
        dilation_rate: an int or a tuple of 2 ints, the dilation of the window.
        activation: the activation applied to the output (None: linear).
        use_bias: whether to add a bias.
        depthwise_initializer: initializer of the kernel (default `"glorot_uniform"`).
        bias_initializer: initializer of the bias (default `"zeros"`).
        depthwise_regularizer: regularizer of the kernel.
        bias_regularizer: regularizer of the bias.
        activity_regularizer: regularizer of the output.
        depthwise_constraint: constraint applied to the kernel after each optimizer update.
        bias_constraint: constraint applied to the bias after each optimizer update.
        **kwargs: base `Layer` arguments (`name`, `dtype`, `trainable`, ...).

    Input shape:
        4D tensor; `"channels_last"`: `(batch, height, width, channels)`;
        `"channels_first"`: `(batch, channels, height, width)`.

    Output shape:
        4D tensor with `channels * depth_multiplier` channels and the spatial sizes of
        a convolution with the same window.

    Example:
        >>> x = torch.randn(4, 10, 10, 3)
        >>> keras.layers.DepthwiseConv2D(3, depth_multiplier=2)(x).shape
        torch.Size([4, 8, 8, 6])
    """

    def __init__(
        self,
        kernel_size: int | Sequence[int],
        strides: int | Sequence[int] = (1, 1),
        padding: str = "valid",
        depth_multiplier: int = 1,
        data_format: str | None = None,
        dilation_rate: int | Sequence[int] = (1, 1),
        activation: Any = None,
        use_bias: bool = True,
        depthwise_initializer: Any = "glorot_uniform",
        bias_initializer: Any = "zeros",
        depthwise_regularizer: Any = None,
        bias_regularizer: Any = None,
        activity_regularizer: Any = None,
        depthwise_constraint: Any = None,
        bias_constraint: Any = None,
        **kwargs: Any,
    ):
        super().__init__(
            rank=2,
            depth_multiplier=depth_multiplier,
            kernel_size=kernel_size,
            strides=strides,
            padding=padding,
            data_format=data_format,
            dilation_rate=dilation_rate,
            activation=activation,
            use_bias=use_bias,
            depthwise_initializer=depthwise_initializer,
            bias_initializer=bias_initializer,
            depthwise_regularizer=depthwise_regularizer,
            bias_regularizer=bias_regularizer,
            activity_regularizer=activity_regularizer,
            depthwise_constraint=depthwise_constraint,
            bias_constraint=bias_constraint,
            **kwargs,
        )
