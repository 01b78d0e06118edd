"""`VarianceScaling` and its presets: Glorot (Xavier), He (Kaiming) and LeCun, uniform and normal."""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import torch

from torchkeras_lite.initializers.base_initializer import (
    REGISTRY,
    RandomInitializer,
    ShapeLike,
    compute_fans,
    float_dtype,
    standardize_shape,
)
from torchkeras_lite.initializers.random_initializers import (
    sample_normal,
    sample_truncated_normal,
    sample_uniform,
)

_MODES = ("fan_in", "fan_out", "fan_avg")
_DISTRIBUTIONS = ("truncated_normal", "untruncated_normal", "uniform")
# Standard deviation of a unit normal truncated to [-2, 2]: dividing by it restores the variance.
_TRUNCATED_STDDEV = 0.87962566103423978


@REGISTRY.register("VarianceScaling", "variance_scaling")
class VarianceScaling(RandomInitializer):
    """Draws values whose variance is `scale / n`, `n` being a fan of the weight's shape.

    `n` is `fan_in`, `fan_out` or their mean (`mode`). With a normal distribution the values have
    standard deviation `sqrt(scale / n)` (after truncation at two standard deviations for
    `"truncated_normal"`); with `"uniform"` they lie in `[-limit, limit]`,
    `limit = sqrt(3 * scale / n)`. Kernels are in Keras layout: `(in, out)` for Dense and
    `(*spatial, in, out)` for convolutions, whose fans include the receptive field size.

    Args:
        scale: the scaling factor, positive.
        mode: `"fan_in"`, `"fan_out"` or `"fan_avg"`.
        distribution: `"truncated_normal"` (alias `"normal"`), `"untruncated_normal"` or
            `"uniform"`.
        seed: an integer makes every call return the same values; None draws from torch's global
            generator.
        input_axes: optional axes of the shape whose product is `fan_in` (with `output_axes`).
        output_axes: optional axes of the shape whose product is `fan_out` (with `input_axes`).

    Example:
        >>> init = VarianceScaling(scale=2.0, mode="fan_in", distribution="uniform", seed=0)
        >>> w = init((3, 3, 16, 32))  # fan_in = 3 * 3 * 16
        >>> bool(w.abs().max() <= math.sqrt(3 * 2.0 / 144))
        True
    """

    def __init__(
        self,
        scale: float = 1.0,
        mode: str = "fan_in",
        distribution: str = "truncated_normal",
        seed: int | None = None,
        input_axes: Sequence[int] | None = None,
        output_axes: Sequence[int] | None = None,
    ):
        if not isinstance(scale, (int, float)) or isinstance(scale, bool) or not scale > 0.0:
            raise ValueError(
                f"Argument `scale` must be a positive float. Received: scale={scale!r}"
            )
        if mode not in _MODES:
            raise ValueError(
                f"Invalid `mode` argument. Expected one of {_MODES}. Received: mode={mode!r}"
            )
        if not isinstance(distribution, str) or distribution.lower() not in (
            *_DISTRIBUTIONS,
            "normal",
        ):
            raise ValueError(
                f"Invalid `distribution` argument. Expected one of {_DISTRIBUTIONS} (or 'normal'). "
                f"Received: distribution={distribution!r}"
            )
        distribution = distribution.lower()
        if (input_axes is None) != (output_axes is None):
            raise ValueError(
                "`input_axes` and `output_axes` must be given together. "
                f"Received: input_axes={input_axes!r}, output_axes={output_axes!r}"
            )
        self.scale = scale
        self.mode = mode
        self.distribution = "truncated_normal" if distribution == "normal" else distribution
        self.input_axes = None if input_axes is None else list(input_axes)
        self.output_axes = None if output_axes is None else list(output_axes)
        super().__init__(seed=seed)

    def _variance(self, shape: tuple[int, ...]) -> float:
        fan_in, fan_out = compute_fans(shape, self.input_axes, self.output_axes)
        if self.mode == "fan_in":
            n = fan_in
        elif self.mode == "fan_out":
            n = fan_out
        else:
            n = (fan_in + fan_out) / 2.0
        return self.scale / max(1.0, n)

    def __call__(self, shape: ShapeLike, dtype: Any = None) -> torch.Tensor:
        shape = standardize_shape(shape)
        torch_dtype = float_dtype(dtype, self)
        variance = self._variance(shape)
        generator = self._generator()
        if self.distribution == "truncated_normal":
            stddev = math.sqrt(variance) / _TRUNCATED_STDDEV
            return sample_truncated_normal(shape, 0.0, stddev, torch_dtype, generator)
        if self.distribution == "untruncated_normal":
            return sample_normal(shape, 0.0, math.sqrt(variance), torch_dtype, generator)
        limit = math.sqrt(3.0 * variance)
        return sample_uniform(shape, -limit, limit, torch_dtype, generator)

    def get_config(self) -> dict:
        return {
            **super().get_config(),
            "scale": self.scale,
            "mode": self.mode,
            "distribution": self.distribution,
            "input_axes": self.input_axes,
            "output_axes": self.output_axes,
        }


class _Preset(VarianceScaling):
    """A `VarianceScaling` with fixed scale, mode and distribution; only the seed (and axes) vary."""

    _scale = 1.0
    _mode = "fan_in"
    _distribution = "truncated_normal"

    def __init__(
        self,
        seed: int | None = None,
        input_axes: Sequence[int] | None = None,
        output_axes: Sequence[int] | None = None,
    ):
        super().__init__(
            scale=self._scale,
            mode=self._mode,
            distribution=self._distribution,
            seed=seed,
            input_axes=input_axes,
            output_axes=output_axes,
        )

    def get_config(self) -> dict:
        return {"seed": self.seed, "input_axes": self.input_axes, "output_axes": self.output_axes}


@REGISTRY.register("GlorotUniform", "glorot_uniform")
class GlorotUniform(_Preset):
    """Glorot (Xavier) uniform: `U[-limit, limit]`, `limit = sqrt(6 / (fan_in + fan_out))`.

    Args:
        seed: an integer makes every call return the same values; None uses torch's global generator.
        input_axes, output_axes: optional axes whose products are `fan_in` and `fan_out`.

    Example:
        >>> w = GlorotUniform(seed=0)((64, 32))
        >>> bool(w.abs().max() <= math.sqrt(6 / 96))
        True
    """

    _mode = "fan_avg"
    _distribution = "uniform"


@REGISTRY.register("GlorotNormal", "glorot_normal")
class GlorotNormal(_Preset):
    """Glorot (Xavier) normal: truncated normal with `stddev = sqrt(2 / (fan_in + fan_out))`.

    Args:
        seed: an integer makes every call return the same values; None uses torch's global generator.
        input_axes, output_axes: optional axes whose products are `fan_in` and `fan_out`.

    Example:
        >>> GlorotNormal(seed=0)((64, 32)).shape
        torch.Size([64, 32])
    """

    _mode = "fan_avg"


@REGISTRY.register("HeUniform", "he_uniform")
class HeUniform(_Preset):
    """He (Kaiming) uniform: `U[-limit, limit]`, `limit = sqrt(6 / fan_in)`.

    Args:
        seed: an integer makes every call return the same values; None uses torch's global generator.
        input_axes, output_axes: optional axes whose products are `fan_in` and `fan_out`.

    Example:
        >>> w = HeUniform(seed=0)((3, 3, 16, 32))
        >>> bool(w.abs().max() <= math.sqrt(6 / 144))
        True
    """

    _scale = 2.0
    _distribution = "uniform"


@REGISTRY.register("HeNormal", "he_normal")
class HeNormal(_Preset):
    """He (Kaiming) normal: truncated normal with `stddev = sqrt(2 / fan_in)`.

    Args:
        seed: an integer makes every call return the same values; None uses torch's global generator.
        input_axes, output_axes: optional axes whose products are `fan_in` and `fan_out`.

    Example:
        >>> HeNormal(seed=0)((3, 3, 16, 32)).shape
        torch.Size([3, 3, 16, 32])
    """

    _scale = 2.0


@REGISTRY.register("LecunUniform", "lecun_uniform")
class LecunUniform(_Preset):
    """LeCun uniform: `U[-limit, limit]`, `limit = sqrt(3 / fan_in)`.

    Args:
        seed: an integer makes every call return the same values; None uses torch's global generator.
        input_axes, output_axes: optional axes whose products are `fan_in` and `fan_out`.

    Example:
        >>> w = LecunUniform(seed=0)((48, 8))
        >>> bool(w.abs().max() <= 0.25)
        True
    """

    _distribution = "uniform"


@REGISTRY.register("LecunNormal", "lecun_normal")
class LecunNormal(_Preset):
    """LeCun normal: truncated normal with `stddev = sqrt(1 / fan_in)`.

    Args:
        seed: an integer makes every call return the same values; None uses torch's global generator.
        input_axes, output_axes: optional axes whose products are `fan_in` and `fan_out`.

    Example:
        >>> LecunNormal(seed=0)((48, 8)).dtype
        torch.float32
    """
