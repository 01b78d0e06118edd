"""GlobalAveragePooling1D/2D/3D: the average over every spatial axis."""

from __future__ import annotations

from typing import Any

import torch

from torchkeras_lite.layers.pooling.base_global_pooling import BaseGlobalPooling
from torchkeras_lite.ops import pooling as pool_ops


class GlobalAveragePooling1D(BaseGlobalPooling):
    """Global average pooling for temporal (1D) data.

    Averages every step, per channel. Supports masking: with a `(batch, steps)` mask (e.g. from
    `Embedding(mask_zero=True)`), only the unmasked steps are averaged; the output has no mask.

    Args:
        data_format: `"channels_last"` or `"channels_first"`; default
            `keras.config.image_data_format()`.
        keepdims: keep the spatial axes with size 1 (default False: drop them).
        **kwargs: base `Layer` arguments (`name`, `dtype`, `trainable`, ...).

    Input shape:
        3D tensor; `"channels_last"`: `(batch, steps, channels)`;
        `"channels_first"`: `(batch, channels, steps)`.

    Output shape:
        `(batch, channels)`; with `keepdims`, 3D with every spatial size 1.

    Example:
        >>> x = torch.randn(4, 10, 3)
        >>> keras.layers.GlobalAveragePooling1D()(x).shape
        torch.Size([4, 3])
    """

    def __init__(self, data_format: str | None = None, keepdims: bool = False, **kwargs: Any):
        super().__init__(pool_dimensions=1, data_format=data_format, keepdims=keepdims, **kwargs)
        self.supports_masking = True

    def call(self, inputs: torch.Tensor, mask: torch.Tensor | None = None) -> torch.Tensor:
        return pool_ops.global_average_pool(
            inputs, self._axes, self.keepdims, mask, 2 if self.data_format == "channels_last" else 1
        )

    def compute_mask(self, inputs: torch.Tensor, previous_mask: Any = None) -> None:
        return None


class GlobalAveragePooling2D(BaseGlobalPooling):
    """Global average pooling for spatial (2D) data.

    Averages every step/pixel/voxel, per channel.

    Args:
        data_format: `"channels_last"` or `"channels_first"`; default
            `keras.config.image_data_format()`.
        keepdims: keep the spatial axes with size 1 (default False: drop them).
        **kwargs: base `Layer` arguments (`name`, `dtype`, `trainable`, ...).

    Input shape:
        4D tensor; `"channels_last"`: `(batch, height, width, channels)`;
        `"channels_first"`: `(batch, channels, height, width)`.

    Output shape:
        `(batch, channels)`; with `keepdims`, 4D with every spatial size 1.

    Example:
        >>> x = torch.randn(4, 10, 10, 3)
        >>> keras.layers.GlobalAveragePooling2D()(x).shape
        torch.Size([4, 3])
    """

    def __init__(self, data_format: str | None = None, keepdims: bool = False, **kwargs: Any):
        super().__init__(pool_dimensions=2, data_format=data_format, keepdims=keepdims, **kwargs)

    def call(self, inputs: torch.Tensor) -> torch.Tensor:
        return pool_ops.global_average_pool(inputs, self._axes, self.keepdims)


class GlobalAveragePooling3D(BaseGlobalPooling):
    """Global average pooling for volumetric (3D) data.

    Averages every step/pixel/voxel, per channel.

    Args:
        data_format: `"channels_last"` or `"channels_first"`; default
            `keras.config.image_data_format()`.
        keepdims: keep the spatial axes with size 1 (default False: drop them).
        **kwargs: base `Layer` arguments (`name`, `dtype`, `trainable`, ...).

    Input shape:
        5D tensor; `"channels_last"`: `(batch, dim1, dim2, dim3, channels)`;
        `"channels_first"`: `(batch, channels, dim1, dim2, dim3)`.

    Output shape:
        `(batch, channels)`; with `keepdims`, 5D with every spatial size 1.

    Example:
        >>> x = torch.randn(4, 6, 6, 6, 3)
        >>> keras.layers.GlobalAveragePooling3D()(x).shape
        torch.Size([4, 3])
    """

    def __init__(self, data_format: str | None = None, keepdims: bool = False, **kwargs: Any):
        super().__init__(pool_dimensions=3, data_format=data_format, keepdims=keepdims, **kwargs)

    def call(self, inputs: torch.Tensor) -> torch.Tensor:
        return pool_ops.global_average_pool(inputs, self._axes, self.keepdims)
