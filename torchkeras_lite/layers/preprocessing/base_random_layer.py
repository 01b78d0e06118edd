"""`BaseRandomLayer`: seeded random streams and factor parsing for the random image layers."""

from __future__ import annotations

from typing import Any

import torch

from torchkeras_lite.backend.random import make_generator
from torchkeras_lite.layers.preprocessing.base_image_layer import BaseImageLayer
from torchkeras_lite.layers.preprocessing.base_preprocessing_layer import check_seed
from torchkeras_lite.ops.image import affine_transform


def parse_factor(
    factor: Any,
    bounds: tuple[float, float],
    name: str = "factor",
    lower_open: bool = False,
    message: str | None = None,
) -> tuple[float, float]:
    """`(lower, upper)` from a number `f` (`(-f, f)`, clipped to `bounds`) or a pair of numbers.

    Raises Keras' error when a value lies outside `bounds` (`lower_open`: the lower bound itself
    is excluded, as for RandomZoom's `(-1, 1]`).
    """
    low, high = bounds
    message = message or (
        f"The `{name}` argument should be a number (or a list of two numbers) in the range "
        f"[{low}, {high}]. "
    )

    def out_of_range(v: float) -> bool:
        return v > high or v < low or (lower_open and v == low)

    if isinstance(factor, (tuple, list)):
        if len(factor) != 2 or not all(_is_number(v) for v in factor):
            raise ValueError(f"{message}Received: {name}={factor!r}")
        if any(out_of_range(v) for v in factor):
            raise ValueError(f"{message}Received: {name}={factor!r}")
        lower, upper = sorted(float(v) for v in factor)
        return lower, upper
    if not _is_number(factor) or out_of_range(factor):
        raise ValueError(f"{message}Received: {name}={factor!r}")
    f = abs(float(factor))
    return max(-f, float(low)), f


def _is_number(v: Any) -> bool:
    return isinstance(v, (int, float)) and not isinstance(v, bool)


def check_choice(value: Any, allowed: tuple[str, ...], name: str) -> None:
    if value not in allowed:
        raise ValueError(f"Unknown `{name}`. Expected one of {allowed}. Received: {name}={value!r}")


class BaseRandomLayer(BaseImageLayer):
    """Base of the random image layers: active only with `training=True`, seeded per device.

    With `seed=None` draws come from torch's global generator (`torch.manual_seed` makes them
    reproducible); with an int, each layer draws its own reproducible sequence from a
    `torch.Generator` on the input's device (so drawing never copies between devices).

    Args:
        seed: an int for a reproducible sequence of random transformations, or None.
        data_format: `"channels_last"` or `"channels_first"`.
        **kwargs: base layer arguments (`name`, `dtype`, ...).
    """

    def __init__(self, seed: int | None = None, data_format: str | None = None, **kwargs: Any):
        check_seed(seed)
        super().__init__(data_format=data_format, **kwargs)
        self.seed = seed

    def _generator(self, device: torch.device) -> torch.Generator | None:
        if self.seed is None:
            return None
        generators = self.__dict__.setdefault("_generators", {})
        key = str(device)
        gen = generators.get(key)
        if gen is None:
            gen = generators[key] = make_generator(self.seed, device)
        return gen

    def _uniform(
        self, shape: tuple[int, ...], low: float, high: float, like: torch.Tensor
    ) -> torch.Tensor:
        """Uniform draws in `[low, high)` on `like`'s device, in float32 (or `like`'s float dtype)."""
        dtype = like.dtype if like.dtype in (torch.float32, torch.float64) else torch.float32
        u = torch.rand(
            shape, generator=self._generator(like.device), device=like.device, dtype=dtype
        )
        return u * (high - low) + low if (low, high) != (0.0, 1.0) else u

    def get_config(self) -> dict[str, Any]:
        return {**super().get_config(), "seed": self.seed}


class BaseAffineLayer(BaseRandomLayer):
    """Base of the random geometric layers (rotation, zoom, translation): a warp per image.

    Subclasses define `_transform(batch, height, width, like)`, drawing the `(batch, 8)` Keras
    transforms of one call on `like`'s device.

    Args:
        fill_mode: how points outside the input are filled: `"reflect"` `(d c b a | a b c d)`,
            `"constant"` (with `fill_value`), `"wrap"` `(a b c d | a b c d)` or `"nearest"`
            `(a a a a | a b c d)`.
        interpolation: `"bilinear"` or `"nearest"`.
        fill_value: the value outside the input with `fill_mode="constant"`.
        seed, data_format, **kwargs: as `BaseRandomLayer`.
    """

    _FILL_MODES = ("reflect", "wrap", "constant", "nearest")

    def __init__(
        self,
        fill_mode: str = "reflect",
        interpolation: str = "bilinear",
        seed: int | None = None,
        fill_value: float = 0.0,
        data_format: str | None = None,
        **kwargs: Any,
    ):
        super().__init__(seed=seed, data_format=data_format, **kwargs)
        check_choice(fill_mode, self._FILL_MODES, "fill_mode")
        check_choice(interpolation, ("nearest", "bilinear"), "interpolation")
        self.fill_mode = fill_mode
        self.interpolation = interpolation
        self.fill_value = fill_value

    def call(self, inputs: torch.Tensor, training: bool | None = None) -> torch.Tensor:
        self._check_rank(inputs)
        images = self._to_compute_dtype(inputs)
        if not training:
            return images
        height, width = self._spatial_shape(images.shape)
        batch = images.shape[0] if images.dim() == 4 else 1
        transform = self._transform(batch, height, width, images)
        return affine_transform(
            images,
            transform if images.dim() == 4 else transform[0],
            interpolation=self.interpolation,
            fill_mode=self.fill_mode,
            fill_value=self.fill_value,
            data_format=self.data_format,
        )

    def get_config(self) -> dict[str, Any]:
        return {
            **super().get_config(),
            "fill_mode": self.fill_mode,
            "interpolation": self.interpolation,
            "fill_value": self.fill_value,
        }
