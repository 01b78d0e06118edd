"""`Conv3D`: 3D convolution over volumes."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from torchkeras_lite.layers.convolutional.base_conv import BaseConv


class Conv3D(BaseConv):
    """3D convolution layer (e.g. spatial convolution over volumes).

    Convolves a kernel of shape `(*kernel_size, in_channels // groups, filters)` (Keras' layout,
    so `get_weights()`/`set_weights()` interoperate with Keras) with the input, adds a bias and
    applies `activation`. Runs torch's `conv3d` on a channels-first view of the input, so
    channels-last inputs cost no copy.

    Args:
        filters: the number of output channels.
        kernel_size: an int or a tuple of 3 ints, the window size.
        strides: an int or a tuple of 3 ints. `strides > 1` excludes `dilation_rate > 1`.
        padding: `"valid"` (no padding) or `"same"` (Keras' rule: the odd pixel is padded at
            the end), case-insensitive.
        data_format: `"channels_last"` (`(batch, dim1, dim2, dim3, channels)`) or
            `"channels_first"` (`(batch, channels, dim1, dim2, dim3)`);
            default `keras.config.image_data_format()`.
        dilation_rate: an int or a tuple of 3 ints, the dilation of the window.
        groups: split the channels into this many groups convolved separately; `filters` and the
            input channels must be divisible by it.
        activation: the activation applied to the output (None: linear).
        use_bias: whether to add a bias.
        kernel_initializer: initializer of the kernel (default `"glorot_uniform"`).
        bias_initializer: initializer of the bias (default `"zeros"`).
        kernel_regularizer: regularizer of the kernel.
        bias_regularizer: regularizer of the bias.
        activity_regularizer: regularizer of the output.
        kernel_constraint: constraint applied to the kernel after each optimizer update.
        bias_constraint: constraint applied to the bias after each optimizer update.
        **kwargs: base `Layer` arguments (`name`, `dtype`, `trainable`, ...).

    Input shape:
        5D tensor; `"channels_last"`: `(batch, dim1, dim2, dim3, channels)`;
        `"channels_first"`: `(batch, channels, dim1, dim2, dim3)`.

    Output shape:
        5D tensor; `"channels_last"`: `(batch, new_dim1, new_dim2, new_dim3, filters)`;
        `"channels_first"`: `(batch, filters, new_dim1, new_dim2, new_dim3)`.
        The spatial sizes shrink with "valid" padding and are divided by the strides
        (rounding up) with "same".

    Example:
        >>> x = torch.randn(4, 6, 6, 6, 3)
        >>> keras.layers.Conv3D(8, 3, activation="relu")(x).shape
        torch.Size([4, 4, 4, 4, 8])
    """

    def __init__(
        self,
        filters: int,
        kernel_size: int | Sequence[int],
        strides: int | Sequence[int] = (1, 1, 1),
        padding: str = "valid",
        data_format: str | None = None,
        dilation_rate: int | Sequence[int] = (1, 1, 1),
        groups: int = 1,
        activation: Any = None,
        use_bias: bool = True,
        kernel_initializer: Any = "glorot_uniform",
        bias_initializer: Any = "zeros",
        kernel_regularizer: Any = None,
        bias_regularizer: Any = None,
        activity_regularizer: Any = None,
        kernel_constraint: Any = None,
        bias_constraint: Any = None,
        **kwargs: Any,
    ):
        super().__init__(
            rank=3,
            filters=filters,
            kernel_size=kernel_size,
            strides=strides,
            padding=padding,
            data_format=data_format,
            dilation_rate=dilation_rate,
            groups=groups,
            activation=activation,
            use_bias=use_bias,
            kernel_initializer=kernel_initializer,
            bias_initializer=bias_initializer,
            kernel_regularizer=kernel_regularizer,
            bias_regularizer=bias_regularizer,
            activity_regularizer=activity_regularizer,
            kernel_constraint=kernel_constraint,
            bias_constraint=bias_constraint,
            **kwargs,
        )
