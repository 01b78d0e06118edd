"""`BaseImageLayer`: data format and rank handling shared by the image preprocessing layers."""

from __future__ import annotations

from typing import Any

import torch

from torchkeras_lite.backend import config
from torchkeras_lite.layers.preprocessing.base_preprocessing_layer import PreprocessingLayer


def check_positive_int(value: Any, name: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
        raise ValueError(
            f"Argument `{name}` must be a positive integer. Received: {name}={value!r}"
        )
    return value


class BaseImageLayer(PreprocessingLayer):
    """Base of the image layers: 3D (unbatched) or 4D (batched) images in `data_format`.

    Args:
        data_format: `"channels_last"` (`(..., height, width, channels)`) or `"channels_first"`
            (`(..., channels, height, width)`); default `keras.config.image_data_format()`.
        **kwargs: base layer arguments (`name`, `dtype`, ...).
    """

    def __init__(self, data_format: str | None = None, **kwargs: Any):
        super().__init__(**kwargs)
        self.data_format = config.standardize_data_format(data_format)

    def _check_rank(self, images: torch.Tensor) -> None:
        if images.dim() not in (3, 4):
            raise ValueError(
                "Expected image tensor to have rank 3 (single image) or 4 (batch of images). "
                f"Received: data.shape={tuple(images.shape)}"
            )

    def _spatial_shape(self, shape: Any) -> tuple[Any, Any]:
        """`(height, width)` of a 3D/4D image shape."""
        if self.data_format == "channels_last":
            return shape[-3], shape[-2]
        return shape[-2], shape[-1]

    def _with_spatial_shape(self, shape: Any, height: Any, width: Any) -> tuple:
        """`shape` with its height and width replaced."""
        shape = list(shape)
        if len(shape) not in (3, 4):
            raise ValueError(
                "Expected an image shape of rank 3 (unbatched) or 4 (batched). "
                f"Received: input_shape={tuple(shape)}"
            )
        h_axis = len(shape) - (3 if self.data_format == "channels_last" else 2)
        shape[h_axis], shape[h_axis + 1] = height, width
        return tuple(shape)

    def _to_compute_dtype(self, images: torch.Tensor) -> torch.Tensor:
        dtype = self.dtype_policy.compute_torch_dtype
        return images if images.dtype == dtype else images.to(dtype)

    def compute_output_shape(self, input_shape: Any) -> Any:
        return tuple(input_shape)

    def get_config(self) -> dict[str, Any]:
        return {**super().get_config(), "data_format": self.data_format}
