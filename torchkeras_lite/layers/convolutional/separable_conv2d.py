"""`SeparableConv2D`: 2D depthwise-separable convolution."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from torchkeras_lite.layers.convolutional.base_separable_conv import BaseSeparableConv


class SeparableConv2D(BaseSeparableConv):
    """2D separable convolution layer.

    A depthwise convolution (each input channel convolved with its own `depth_multiplier`
    filters) followed by a pointwise 1x1 convolution into `filters` channels, both on torch's
    `conv2d`. Kernels have Keras' layouts: `depthwise_kernel`
    `(*kernel_size, in_channels, depth_multiplier)`, `pointwise_kernel`
    `(1, 1, in_channels * depth_multiplier, filters)`.

    Args:
        filters: the number of output channels.
        kernel_size: an int or a tuple of 2 ints, the depthwise window size.
        strides: an int or a tuple of 2 ints, the depthwise strides.
        padding: `"valid"` or `"same"` (Keras' rule: the odd pixel is padded at the end),
            case-insensitive.
        data_format: `"channels_last"` or `"channels_first"`; default
            `keras.config.image_data_format()`.
        dilation_rate: an int or a tuple of 2 ints, the depthwise dilation.
        depth_multiplier: the number of depthwise filters per input channel.
        activation: the activation applied to the output (None: linear).
        use_bias: whether to add a bias.
        depthwise_initializer: initializer of the depthwise kernel (default `"glorot_uniform"`).
        pointwise_initializer: initializer of the pointwise kernel (default `"glorot_uniform"`).
        bias_initializer: initializer of the bias (default `"zeros"`).
        depthwise_regularizer: regularizer of the depthwise kernel.
        pointwise_regularizer: regularizer of the pointwise kernel.
        bias_regularizer: regularizer of the bias.
        activity_regularizer: regularizer of the output.
        depthwise_constraint: constraint of the depthwise kernel.
        pointwise_constraint: constraint of the pointwise kernel.
        bias_constraint: constraint of the bias.
        **kwargs: base `Layer` arguments (`name`, `dtype`, `trainable`, ...).

    Input shape:
        4D tensor; `"channels_last"`: `(batch, height, width, channels)`;
        `"channels_first"`: `(batch, channels, height, width)`.

    Output shape:
        4D tensor with `filters` channels and the spatial sizes of a convolution with
        the same window.

    Example:
        >>> x = torch.randn(4, 10, 10, 3)
        >>> keras.layers.SeparableConv2D(8, 3)(x).shape
        torch.Size([4, 8, 8, 8])
    """

    def __init__(
        self,
        filters: int,
        kernel_size: int | Sequence[int],
        strides: int | Sequence[int] = (1, 1),
        padding: str = "valid",
        data_format: str | None = None,
        dilation_rate: int | Sequence[int] = (1, 1),
        depth_multiplier: int = 1,
        activation: Any = None,
        use_bias: bool = True,
        depthwise_initializer: Any = "glorot_uniform",
        pointwise_initializer: Any = "glorot_uniform",
        bias_initializer: Any = "zeros",
        depthwise_regularizer: Any = None,
        pointwise_regularizer: Any = None,
        bias_regularizer: Any = None,
        activity_regularizer: Any = None,
        depthwise_constraint: Any = None,
        pointwise_constraint: Any = None,
        bias_constraint: Any = None,
        **kwargs: Any,
    ):
        super().__init__(
            rank=2,
            depth_multiplier=depth_multiplier,
            filters=filters,
            kernel_size=kernel_size,
            strides=strides,
            padding=padding,
            data_format=data_format,
            dilation_rate=dilation_rate,
            activation=activation,
            use_bias=use_bias,
            depthwise_initializer=depthwise_initializer,
            pointwise_initializer=pointwise_initializer,
            bias_initializer=bias_initializer,
            depthwise_regularizer=depthwise_regularizer,
            pointwise_regularizer=pointwise_regularizer,
            bias_regularizer=bias_regularizer,
            activity_regularizer=activity_regularizer,
            depthwise_constraint=depthwise_constraint,
            pointwise_constraint=pointwise_constraint,
            bias_constraint=bias_constraint,
            **kwargs,
        )
