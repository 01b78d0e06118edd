"""`keras.ops.image.map_coordinates`: sampling an array at arbitrary (fractional) coordinates.

Nearest (`order=0`) or linear (`order=1`) interpolation. Out-of-range neighbours are handled per
`fill_mode`: "constant" (`fill_value`), "nearest" (the edge pixel), "wrap" (tiling), "mirror"
(`c b | a b c d`, about the edge pixel) and "reflect" (`b a | a b c d`, about the edge).

Example:
    >>> keras.ops.image.map_coordinates(np.arange(4.0), [np.array([0.5, 5.0])], order=1)
    tensor([0.5000, 0.0000])
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from typing import Any

import torch

from torchkeras_lite.ops.tensor_utils import convert

FILL_MODES = ("constant", "nearest", "wrap", "mirror", "reflect")


def _mirror(index: torch.Tensor, size: int) -> torch.Tensor:
    if size == 1:
        return torch.zeros_like(index)
    period = size - 1
    return torch.abs(torch.remainder(index + period, 2 * period) - period)


def _fix(index: torch.Tensor, size: int, fill_mode: str) -> torch.Tensor:
    if fill_mode in ("constant", "nearest"):
        return index.clamp(0, size - 1)
    if fill_mode == "wrap":
        return torch.remainder(index, size)
    if fill_mode == "mirror":
        return _mirror(index, size)
    return torch.div(_mirror(2 * index + 1, 2 * size + 1) - 1, 2, rounding_mode="floor")


def _nodes(coordinate: torch.Tensor, order: int) -> list[tuple[torch.Tensor, torch.Tensor | None]]:
    """The (index, weight) pairs interpolating along one axis."""
    if order == 0:
        return [(torch.round(coordinate).long(), None)]
    lower = torch.floor(coordinate)
    upper_weight = coordinate - lower
    return [(lower.long(), 1 - upper_weight), (lower.long() + 1, upper_weight)]


def _check(order: int, fill_mode: str) -> None:
    if order not in (0, 1):
        raise ValueError(f"`order` must be 0 (nearest) or 1 (linear). Received: order={order}")
    if fill_mode not in FILL_MODES:
        raise ValueError(
            f"`fill_mode` must be one of {FILL_MODES}. Received: fill_mode={fill_mode!r}"
        )


def _interpolate(gather, coords: Sequence[torch.Tensor], sizes, order, fill_mode, fill_value, like):
    """Sums `weight * value` over the interpolation corners; `gather(indices)` reads values."""
    total = None
    for corner in itertools.product(*(_nodes(c, order) for c in coords)):
        indices = [_fix(i, n, fill_mode) for (i, _), n in zip(corner, sizes)]
        value = gather(indices)
        if fill_mode == "constant":
            valid = torch.ones_like(corner[0][0], dtype=torch.bool)
            for (i, _), n in zip(corner, sizes):
                valid = valid & (i >= 0) & (i < n)
            valid = valid.reshape(*valid.shape, *([1] * (value.ndim - valid.ndim)))
            value = torch.where(valid, value, torch.full_like(value, fill_value))
        for _, w in corner:
            if w is not None:
                value = value * w.reshape(*w.shape, *([1] * (value.ndim - w.ndim))).to(value.dtype)
        total = value if total is None else total + value
    if not like.is_floating_point():
        total = torch.round(total)
    return total.to(like.dtype)


def map_coordinates(
    inputs: Any, coordinates: Any, order: int, fill_mode: str = "constant", fill_value: float = 0
) -> torch.Tensor:
    """Values of `inputs` at `coordinates` (one array per input axis, all of the output's shape)."""
    _check(order, fill_mode)
    x = convert(inputs)
    coords = [convert(c, device=x.device) for c in coordinates]
    if len(coords) != x.ndim:
        raise ValueError(
            "`coordinates` must hold one array per axis of `inputs`. "
            f"Received: {len(coords)} arrays for inputs.shape={tuple(x.shape)}"
        )
    coords = [c.to(torch.float64 if x.dtype == torch.float64 else torch.float32) for c in coords]
    source = x if x.is_floating_point() else x.to(torch.float32)
    return _interpolate(
        lambda idx: source[tuple(idx)], coords, x.shape, order, fill_mode, fill_value, x
    )
