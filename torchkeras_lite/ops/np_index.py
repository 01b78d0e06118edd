"""numpy-style padding and indexing (`keras.ops.pad`, `take`, `take_along_axis`, `get_item`).

Example:
    >>> keras.ops.take(np.array([[1, 2], [3, 4]]), [1, 0], axis=1)
    tensor([[2, 1],
            [4, 3]])
"""

from __future__ import annotations

from typing import Any

import torch
import torch.nn.functional as F

from torchkeras_lite.ops.tensor_utils import axes, convert


def pad(x: Any, pad_width, mode: str = "constant", constant_values=None) -> torch.Tensor:
    """Pads each axis by `(before, after)`; `mode`: "constant", "reflect", "symmetric", "edge", "wrap"."""
    x = convert(x)
    if constant_values is not None and mode != "constant":
        raise ValueError(
            f"`constant_values` can only be given with mode='constant'. Received: mode={mode!r}"
        )
    widths = [(int(p), int(p)) if isinstance(p, int) else tuple(map(int, p)) for p in pad_width]
    if len(widths) == 1 and x.ndim > 1:
        widths = widths * x.ndim
    flat = [v for before_after in reversed(widths) for v in before_after]
    if mode == "constant":
        return F.pad(x, flat, value=0 if constant_values is None else constant_values)
    if mode not in ("reflect", "symmetric", "edge", "wrap", "circular"):
        raise ValueError(
            "Unsupported padding mode. Expected one of 'constant', 'reflect', 'symmetric', "
            f"'edge', 'wrap'. Received: mode={mode!r}"
        )
    return _pad_by_index(x, widths, mode)


def _pad_by_index(x: torch.Tensor, widths, mode: str) -> torch.Tensor:
    for dim, (before, after) in enumerate(widths):
        n = x.shape[dim]
        idx = torch.arange(-before, n + after, device=x.device)
        if mode == "edge":
            idx = idx.clamp(0, n - 1)
        elif mode in ("wrap", "circular"):
            idx = torch.remainder(idx, n)
        else:
            period = 2 * n - (2 if mode == "reflect" else 0)
            idx = torch.remainder(idx, max(period, 1))
            idx = torch.where(idx >= n, period - idx - (0 if mode == "reflect" else 1), idx)
        x = torch.index_select(x, dim, idx)
    return x


def take(x: Any, indices: Any, axis: int | None = None) -> torch.Tensor:
    """Elements of `x` at `indices` along `axis` (of the flattened input when None)."""
    x = convert(x)
    idx = convert(indices, device=x.device).long()
    if axis is None:
        x, axis = x.reshape(-1), 0
    axis = axes(axis, x.ndim)[0]
    idx = torch.where(idx < 0, idx + x.shape[axis], idx)
    out = torch.index_select(x, axis, idx.reshape(-1))
    return out.reshape(*x.shape[:axis], *idx.shape, *x.shape[axis + 1 :])


def take_along_axis(x: Any, indices: Any, axis: int | None = None) -> torch.Tensor:
    """Elements of `x` at `indices`, matched index by index along `axis`."""
    x = convert(x)
    idx = convert(indices, device=x.device).long()
    if axis is None:
        x, axis = x.reshape(-1), 0
    idx = torch.where(idx < 0, idx + x.shape[axis], idx)
    return torch.take_along_dim(x, idx, dim=axis)


def get_item(x: Any, key) -> torch.Tensor:
    """`x[key]`."""
    return convert(x)[key]
