"""AveragePooling1D/2D/3D: average pooling over windows, on torch's `avg_pool` kernels."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from torchkeras_lite.layers.pooling.base_pooling import BasePooling


class AveragePooling1D(BasePooling):
    """Average pooling for temporal (1D) data.

    Downsamples the input by averaging each window, per channel.

    Args:
        pool_size: an int or a tuple of 1 ints, the window size.
        strides: an int or a tuple of 1 ints; None (default) uses `pool_size`.
        padding: `"valid"` or `"same"` (case-insensitive). "same" pads so that each output size
            is `ceil(n / strides)`, the odd pixel at the end; padding is left out of the
            average's count.
        data_format: `"channels_last"` or `"channels_first"`; default
            `keras.config.image_data_format()`.
        name: the layer's name.
        **kwargs: base `Layer` arguments (`dtype`, `trainable`, ...).

    Input shape:
        3D tensor; `"channels_last"`: `(batch, steps, channels)`;
        `"channels_first"`: `(batch, channels, steps)`.

    Output shape:
        3D tensor; `"channels_last"`: `(batch, pooled_steps, channels)`;
        `"channels_first"`: `(batch, channels, pooled_steps)`. Each pooled size is
        `(n - pool_size) // strides + 1` with "valid", `ceil(n / strides)` with "same".

    Example:
        >>> x = torch.randn(4, 10, 3)
        >>> keras.layers.AveragePooling1D(2)(x).shape
        torch.Size([4, 5, 3])
    """

    def __init__(
        self,
        pool_size: int | Sequence[int],
        strides: int | Sequence[int] | None = None,
        padding: str = "valid",
        data_format: str | None = None,
        name: str | None = None,
        **kwargs: Any,
    ):
        super().__init__(
            pool_size,
            strides,
            pool_dimensions=1,
            pool_mode="average",
            padding=padding,
            data_format=data_format,
            name=name,
            **kwargs,
        )


class AveragePooling2D(BasePooling):
    """Average pooling for spatial (2D) data.

    Downsamples the input by averaging each window, per channel.

    Args:
        pool_size: an int or a tuple of 2 ints, the window size.
        strides: an int or a tuple of 2 ints; None (default) uses `pool_size`.
        padding: `"valid"` or `"same"` (case-insensitive). "same" pads so that each output size
            is `ceil(n / strides)`, the odd pixel at the end; padding is left out of the
            average's count.
        data_format: `"channels_last"` or `"channels_first"`; default
            `keras.config.image_data_format()`.
        name: the layer's name.
        **kwargs: base `Layer` arguments (`dtype`, `trainable`, ...).

    Input shape:
        4D tensor; `"channels_last"`: `(batch, height, width, channels)`;
        `"channels_first"`: `(batch, channels, height, width)`.

    Output shape:
        4D tensor; `"channels_last"`: `(batch, pooled_height, pooled_width, channels)`;
        `"channels_first"`: `(batch, channels, pooled_height, pooled_width)`. Each pooled size is
        `(n - pool_size) // strides + 1` with "valid", `ceil(n / strides)` with "same".

    Example:
        >>> x = torch.randn(4, 10, 10, 3)
        >>> keras.layers.AveragePooling2D(2)(x).shape
        torch.Size([4, 5, 5, 3])
    """

    def __init__(
        self,
        pool_size: int | Sequence[int],
        strides: int | Sequence[int] | None = None,
        padding: str = "valid",
        data_format: str | None = None,
        name: str | None = None,
        **kwargs: Any,
    ):
        super().__init__(
            pool_size,
            strides,
            pool_dimensions=2,
            pool_mode="average",
            padding=padding,
            data_format=data_format,
            name=name,
            **kwargs,
        )


class AveragePooling3D(BasePooling):
    """Average pooling for volumetric (3D) data.

    Downsamples the input by averaging each window, per channel.

    Args:
        pool_size: an int or a tuple of 3 ints, the window size.
        strides: an int or a tuple of 3 ints; None (default) uses `pool_size`.
        padding: `"valid"` or `"same"` (case-insensitive). "same" pads so that each output size
            is `ceil(n / strides)`, the odd pixel at the end; padding is left out of the
            average's count.
        data_format: `"channels_last"` or `"channels_first"`; default
            `keras.config.image_data_format()`.
        name: the layer's name.
        **kwargs: base `Layer` arguments (`dtype`, `trainable`, ...).

    Input shape:
        5D tensor; `"channels_last"`: `(batch, dim1, dim2, dim3, channels)`;
        `"channels_first"`: `(batch, channels, dim1, dim2, dim3)`.

    Output shape:
        5D tensor; `"channels_last"`: `(batch, pooled_dim1, pooled_dim2, pooled_dim3, channels)`;
        `"channels_first"`: `(batch, channels, pooled_dim1, pooled_dim2, pooled_dim3)`.
        Each pooled size is `(n - pool_size) // strides + 1` with "valid", `ceil(n / strides)`
        with "same".

    Example:
        >>> x = torch.randn(4, 6, 6, 6, 3)
        >>> keras.layers.AveragePooling3D(2)(x).shape
        torch.Size([4, 3, 3, 3, 3])
    """

    def __init__(
        self,
        pool_size: int | Sequence[int],
        strides: int | Sequence[int] | None = None,
        padding: str = "valid",
        data_format: str | None = None,
        name: str | None = None,
        **kwargs: Any,
    ):
        super().__init__(
            pool_size,
            strides,
            pool_dimensions=3,
            pool_mode="average",
            padding=padding,
            data_format=data_format,
            name=name,
            **kwargs,
        )
