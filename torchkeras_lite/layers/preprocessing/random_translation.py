"""`RandomTranslation`: randomly shifts images during training."""

from __future__ import annotations

from typing import Any

import torch

from torchkeras_lite.layers.preprocessing.base_random_layer import BaseAffineLayer, parse_factor
from torchkeras_lite.ops.image import translation_transform

_SHIFT_RANGE = (
    "The `height_factor` and `width_factor` arguments should be a number (or a list of two "
    "numbers) in the range [-1.0, 1.0]. "
)


class RandomTranslation(BaseAffineLayer):
    """Shifts each image by a random offset during training; identity at inference.

    Args:
        height_factor: a fraction of the height: `f` draws vertical shifts in `[-f, f] * height`
            (positive: down), a pair `(lo, hi)` in `[lo, hi] * height`; values lie in [-1, 1].
        width_factor: the same for horizontal shifts (positive: right).
        fill_mode: `"reflect"` (default), `"constant"`, `"wrap"` or `"nearest"`.
        interpolation: `"bilinear"` (default) or `"nearest"`.
        seed: an int for a reproducible sequence of shifts.
        fill_value: the fill with `fill_mode="constant"`.
        data_format: `"channels_last"` or `"channels_first"`.
        **kwargs: base layer arguments (`name`, `dtype`, ...).

    Input shape:
        3D (unbatched) or 4D (batched) images in `data_format`.

    Output shape:
        the input shape.

    Example:
        >>> layer = keras.layers.RandomTranslation(0.2, 0.2, fill_mode="constant", seed=1)
        >>> layer(torch.rand(2, 8, 8, 3), training=True).shape
        torch.Size([2, 8, 8, 3])
    """

    def __init__(
        self,
        height_factor: float | tuple[float, float],
        width_factor: float | tuple[float, float],
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
            height_factor, (-1, 1), "height_factor", message=_SHIFT_RANGE
        )
        self.width_factor = width_factor
        self.width_lower, self.width_upper = parse_factor(
            width_factor, (-1, 1), "width_factor", message=_SHIFT_RANGE
        )

    def _transform(self, batch: int, height: int, width: int, like: torch.Tensor) -> torch.Tensor:
        dy = self._uniform((batch,), self.height_lower, self.height_upper, like) * height
        dx = self._uniform((batch,), self.width_lower, self.width_upper, like) * width
        return translation_transform(dx, dy)

    def get_config(self) -> dict[str, Any]:
        return {
            **super().get_config(),
            "height_factor": self.height_factor,
            "width_factor": self.width_factor,
        }
