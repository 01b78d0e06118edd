"""`RandomRotation`: randomly rotates images during training."""

from __future__ import annotations

from typing import Any

import torch

from torchkeras_lite.layers.preprocessing.base_random_layer import BaseAffineLayer, parse_factor
from torchkeras_lite.ops.image import rotation_transform


class RandomRotation(BaseAffineLayer):
    """Rotates each image by a random angle about its centre during training; identity at inference.

    Args:
        factor: a fraction of a full turn: `f` draws angles in `[-f * 360, f * 360]` degrees, a
            pair `(lo, hi)` in `[lo * 360, hi * 360]`; positive angles rotate counter-clockwise.
            Values lie in [-1, 1].
        fill_mode: `"reflect"` (default), `"constant"`, `"wrap"` or `"nearest"`.
        interpolation: `"bilinear"` (default) or `"nearest"`.
        seed: an int for a reproducible sequence of rotations.
        fill_value: the fill with `fill_mode="constant"`.
        data_format: `"channels_last"` or `"channels_first"`.
        **kwargs: base layer arguments (`name`, `dtype`, ...).

    Input shape:
        3D (unbatched) or 4D (batched) images in `data_format`.

    Output shape:
        the input shape.

    Example:
        >>> layer = keras.layers.RandomRotation(0.1, seed=3)
        >>> layer(torch.rand(2, 8, 8, 3), training=True).shape
        torch.Size([2, 8, 8, 3])
    """

    def __init__(
        self,
        factor: float | tuple[float, float],
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
        self.factor = parse_factor(factor, (-1, 1))

    def _transform(self, batch: int, height: int, width: int, like: torch.Tensor) -> torch.Tensor:
        lower, upper = self.factor
        angles = self._uniform((batch,), lower * 360.0, upper * 360.0, like)
        return rotation_transform(angles, height, width)

    def get_config(self) -> dict[str, Any]:
        return {**super().get_config(), "factor": self.factor}
