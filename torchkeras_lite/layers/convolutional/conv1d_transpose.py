"""`Conv1DTranspose`: 1D transposed convolution."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from torchkeras_lite.layers.convolutional.base_conv_transpose import BaseConvTranspose


class Conv1DTranspose(BaseConvTranspose):
    """1D transposed convolution layer (sometimes called 1D deconvolution).

    The gradient of a 1D convolution with respect to its input, e.g. to upsample a feature
    map. The kernel has Keras' layout `(*kernel_size, filters, in_channels)`. Runs torch's
    `conv_transpose1d` on a channels-first view of the input; the output window equals Keras'
    (TF/JAX) for every padding, stride, dilation and `output_padding`.

    Args:
        filters: the number of output channels.
        kernel_size: an int or a tuple of 1 ints, the window size.
        strides: an int or a tuple of 1 ints. `strides > 1` excludes `dilation_rate > 1`.
        padding: `"valid"` or `"same"` (case-insensitive). With `"same"` and no
            `output_padding`, each spatial size is multiplied by the stride.
        output_padding: an int or a tuple of 1 ints, extra size added at the end of each
            spatial dimension; each must be less than the stride. None: inferred.
        data_format: `"channels_last"` or `"channels_first"`; default
            `keras.config.image_data_format()`.
        dilation_rate: an int or a tuple of 1 ints, the dilation of the window.
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
        3D tensor; `"channels_last"`: `(batch, steps, channels)`;
        `"channels_first"`: `(batch, channels, steps)`.

    Output shape:
        3D tensor; `"channels_last"`: `(batch, new_steps, filters)`;
        `"channels_first"`: `(batch, filters, new_steps)`.
        Each new size is `(n - 1) * strides + kernel_size + output_padding` for "valid"
        (`output_padding` default: `max(strides - kernel_size, 0)`) and `n * strides` for
        "same" without `output_padding`.

    Example:
        >>> x = torch.randn(4, 10, 3)
        >>> keras.layers.Conv1DTranspose(8, 3, strides=2, padding="same")(x).shape
        torch.Size([4, 20, 8])
    """

    def __init__(
        self,
        filters: int,
        kernel_size: int | Sequence[int],
        strides: int | Sequence[int] = 1,
        padding: str = "valid",
        output_padding: int | Sequence[int] | None = None,
        data_format: str | None = None,
        dilation_rate: int | Sequence[int] = 1,
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
            rank=1,
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
