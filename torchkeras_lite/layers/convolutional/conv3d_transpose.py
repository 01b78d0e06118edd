"""`Conv3DTranspose`: 3D transposed convolution."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from torchkeras_lite.layers.convolutional.base_conv_transpose import BaseConvTranspose


class Conv3DTranspose(BaseConvTranspose):
    """3D transposed convolution layer (sometimes called 3D deconvolution).

    The gradient of a 3D convolution with respect to its input, e.g. to upsample a feature
    map. The kernel has Keras' layout `(*kernel_size, filters, in_channels)`. Runs torch's
    `conv_transpose3d` on a channels-first view of the input; the output window equals Keras'
    (TF/JAX) for every padding, stride, dilation and `output_padding`.

    Args:
        filters: the number of output channels.
        kernel_size: an int or a tuple of 3 ints, the window size.
        strides: an int or a tuple of 3 ints. `strides > 1` excludes `dilation_rate > 1`.
        padding: `"valid"` or `"same"` (case-insensitive). With `"same"` and no
            `output_padding`, each spatial size is multiplied by the stride.
        data_format: `"channels_last"` or `"channels_first"`; default
            `keras.config.image_data_format()`.
        output_padding: an int or a tuple of 3 ints, extra size added at the end of each
            spatial dimension; each must be less than the stride. None: inferred.
        dilation_rate: an int or a tuple of 3 ints, the dilation of the window.
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
        Each new size is `(n - 1) * strides + kernel_size + output_padding` for "valid"
        (`output_padding` default: `max(strides - kernel_size, 0)`) and `n * strides` for
        "same" without `output_padding`.

    Example:
        >>> x = torch.randn(4, 4, 4, 4, 3)
        >>> keras.layers.Conv3DTranspose(8, 3, strides=2, padding="same")(x).shape
        torch.Size([4, 8, 8, 8, 8])
    """

    def __init__(
        self,
        filters: int,
        kernel_size: int | Sequence[int],
        strides: int | Sequence[int] = (1, 1, 1),
        padding: str = "valid",
        data_format: str | None = None,
        output_padding: int | Sequence[int] | None = None,
        dilation_rate: int | Sequence[int] = (1, 1, 1),
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
            output_padding=output_padding,
            data_format=data_format,
            dilation_rate=dilation_rate,
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
