"""`RandomZoom`: randomly zooms images in or out during training."""

from __future__ import annotations

from typing import Any

import torch

from torchkeras_lite.layers.preprocessing.base_random_layer import BaseAffineLayer, parse_factor
from torchkeras_lite.ops.image import zoom_transform

_ZOOM_RANGE = (
    "The `height_factor` and `width_factor` arguments should be a number (or a list of two "
    "numbers) in the range (-1.0, 1.0]. "
)


class RandomZoom(BaseAffineLayer):
    """Zooms each image by a random amount per axis during training; identity at inference.

    A factor `f` is a fraction of the image size: positive values zoom out (the image shrinks
    and `fill_mode` fills the border), negative values zoom in.

    Args:
        height_factor: `f` draws vertical zooms in `[-f, f]`, a pair `(lo, hi)` in `[lo, hi]`;
            values lie in (-1, 1].
        width_factor: the same for the horizontal axis; None (default) reuses the vertical zoom,
            preserving the aspect ratio.
        fill_mode: `"reflect"` (default), `"constant"`, `"wrap"` or `"nearest"`.
        interpolation: `"bilinear"` (default) or `"nearest"`.
        seed: an int for a reproducible sequence of zooms.
        fill_value: the fill with `fill_mode="constant"`.
        data_format: `"channels_last"` or `"channels_first"`.
        **kwargs: base layer arguments (`name`, `dtype`, ...).

    Input shape:
        3D (unbatched) or 4D (batched) images in `data_format`.

    Output shape:
        the input shape.

    Example:
        >>> layer = keras.layers.RandomZoom(0.5, 0.2, seed=1)
        >>> layer(torch.rand(2, 8, 8, 3), training=True).shape
        torch.Size([2, 8, 8, 3])
    """

    def __init__(
        self,
        height_factor: float | tuple[float, float],
        width_factor: float | tuple[float, float] | None = None,
        fill_mode: str = "reflect",
        interpolation: str = "bilinear",
        seed: int | None = None,
        fill_value: float = 0.0,
        data_format: str | None = None,
        **kwargs: Any,
    ):
        super().__init__(
            fill_mode=fill_mode,
            interpolation=interpolation,
            seed=seed,
            fill_value=fill_value,
            data_format=data_format,
            **kwargs,
        )
        self.height_factor = height_factor
        self.height_lower, self.height_upper = parse_factor(
            height_factor, (-1, 1), "height_factor", lower_open=True, message=_ZOOM_RANGE
        )
        self.width_factor = width_factor
        if width_factor is not None:
            self.width_lower, self.width_upper = parse_factor(
                width_factor, (-1, 1), "width_factor", lower_open=True, message=_ZOOM_RANGE
            )

    def _transform(self, batch: int, height: int, width: int, like: torch.Tensor) -> torch.Tensor:
        height_zoom = self._uniform(
            (batch,), 1.0 + self.height_lower, 1.0 + self.height_upper, like
        )
        width_zoom = height_zoom
        if self.width_factor is not None:
            width_zoom = self._uniform(
                (batch,), 1.0 + self.width_lower, 1.0 + self.width_upper, like
            )
        return zoom_transform(width_zoom, height_zoom, height, width)

    def get_config(self) -> dict[str, Any]:
        return {
            **super().get_config(),
            "height_factor": self.height_factor,
            "width_factor": self.width_factor,
        }
