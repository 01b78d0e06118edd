"""numpy-style sorting, searching, counting and selection (`keras.ops.sort`, `where`, `unique`, ...).

Indices are returned as int32, as in Keras.

Example:
    >>> keras.ops.argsort([3, 1, 2])
    tensor([1, 2, 0], dtype=torch.int32)
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import torch

from torchkeras_lite.ops.dtype_rules import result_type, scalar_kind
from torchkeras_lite.ops.tensor_utils import binary, convert, convert_all, to_float, torch_dtype


def sort(x: Any, axis: int | None = -1) -> torch.Tensor:
    """The values sorted in ascending order along `axis` (of the flattened input when None)."""
    x = convert(x)
    if axis is None:
        x, axis = x.reshape(-1), 0
    if x.dtype == torch.bool:
        return torch.sort(x.to(torch.uint8), dim=axis).values.to(torch.bool)
    return torch.sort(x, dim=axis).values


def argsort(x: Any, axis: int | None = -1) -> torch.Tensor:
    """The indices that sort `x` along `axis` (stable)."""
    x = convert(x)
    if axis is None:
        x, axis = x.reshape(-1), -1
    if x.dtype == torch.bool:
        x = x.to(torch.uint8)
    return torch.argsort(x, dim=axis, stable=True).to(torch.int32)


def argpartition(x: Any, kth: int, axis: int = -1) -> torch.Tensor:
    """Indices that put the `kth` smallest element in place, smaller ones before, larger after."""
    x = convert(x)
    if axis is None:
        x, axis = x.reshape(-1), -1
    return torch.argsort(x, dim=axis, stable=True).to(torch.int32)


def searchsorted(sorted_sequence: Any, values: Any, side: str = "left") -> torch.Tensor:
    """Indices where `values` would be inserted into the 1-D `sorted_sequence` to keep it sorted."""
    seq, vals = binary(sorted_sequence, values)
    if seq.ndim != 1:
        raise ValueError(
            "`searchsorted` only supports 1-D sorted sequences. "
            f"Received: sorted_sequence.shape={tuple(seq.shape)}"
        )
    if side not in ("left", "right"):
        raise ValueError(f"`side` must be 'left' or 'right'. Received: side={side!r}")
    dtype = torch.promote_types(seq.dtype, vals.dtype)
    return torch.searchsorted(seq.to(dtype), vals.to(dtype), side=side, out_int32=True)


def digitize(x: Any, bins: Any) -> torch.Tensor:
    """The int32 index of the bin each value falls into (`bins[i-1] <= x < bins[i]`)."""
    x, bins = binary(x, bins)
    if x.dtype == torch.bool:
        x = x.to(torch.uint8)
    return torch.bucketize(x, bins, right=True).to(torch.int32)


def nonzero(x: Any) -> tuple[torch.Tensor, ...]:
    """The int32 indices of the non-zero elements, one tensor per axis."""
    return tuple(torch.nonzero(convert(x)).T.to(torch.int32))


def where(condition: Any, x1: Any = None, x2: Any = None):
    """`x1` where `condition` holds, else `x2`; with only `condition`, its non-zero indices."""
    cond = convert(condition).to(torch.bool)
    if x1 is None and x2 is None:
        return nonzero(cond)
    if x1 is None or x2 is None:
        raise ValueError(
            "`x1` and `x2` must both be given, or neither. "
            f"Received: x1={'None' if x1 is None else 'a value'}, "
            f"x2={'None' if x2 is None else 'a value'}"
        )
    # Python scalars go to torch.where as they are: weakly typed, and device-free.
    a = x1 if scalar_kind(x1) is not None else None
    b = x2 if scalar_kind(x2) is not None else None
    tensors = convert_all(*(x for x, s in ((x1, a), (x2, b)) if s is None))
    if not tensors:
        tensors = [convert(x1, device=cond.device)]
        a = None
    a = tensors.pop(0) if a is None else a
    b = tensors.pop(0) if b is None else b
    device = a.device if isinstance(a, torch.Tensor) else b.device
    return torch.where(cond.to(device) if device.type != "meta" else cond, a, b)


def select(condlist: Sequence[Any], choicelist: Sequence[Any], default: Any = 0) -> torch.Tensor:
    """The value of the first true condition's choice, element-wise, else `default`."""
    conds = [convert(c) for c in condlist]
    choices = [convert(c) for c in choicelist]
    out = convert(default, device=choices[0].device if choices else None)
    for cond, choice in reversed(list(zip(conds, choices))):
        out = torch.where(cond, choice, out)
    return out


def isin(x1: Any, x2: Any, assume_unique: bool = False, invert: bool = False) -> torch.Tensor:
    """Element-wise: whether each element of `x1` occurs in `x2`."""
    a, b = binary(x1, x2)
    dtype = torch_dtype(result_type(a.dtype, b.dtype))
    if dtype == torch.bool:
        dtype = torch.int32
    return torch.isin(a.to(dtype), b.to(dtype), assume_unique=assume_unique, invert=invert)


def bincount(x: Any, weights: Any = None, minlength: int = 0, sparse: bool = False):
    """Counts of each non-negative integer value (rows separately for 2-D input)."""
    if sparse:
        raise ValueError("`sparse=True` is not supported by torch. Received: sparse=True")
    x = convert(x)
    if weights is not None:
        weights = convert(weights, device=x.device)
        dtype = torch_dtype(result_type(x.dtype, weights.dtype))
    else:
        dtype = torch.int32
    if x.ndim == 2:
        rows = [
            torch.bincount(r, None if weights is None else w, minlength)
            for r, w in zip(x, x if weights is None else weights)
        ]
        size = max(r.shape[0] for r in rows)
        return torch.stack([torch.nn.functional.pad(r, (0, size - r.shape[0])) for r in rows]).to(
            dtype
        )
    return torch.bincount(x, weights, minlength).to(dtype)


def histogram(x: Any, bins: int = 10, range: tuple[float, float] | None = None):
    """`(counts, bin_edges)` of a 1-D tensor."""
    x = to_float(convert(x))
    lo, hi = (x.min().item(), x.max().item()) if range is None else range
    edges = torch.linspace(lo, hi, bins + 1, device=x.device, dtype=x.dtype)
    counts = torch.histc(x, bins=bins, min=lo, max=hi)
    return counts, edges


def unique(
    x: Any,
    sorted: bool = True,
    return_index: bool = False,
    return_inverse: bool = False,
    return_counts: bool = False,
    axis: int | None = None,
    size: int | None = None,
    fill_value: Any = None,
):
    """The unique values (sorted), optionally with first indices, inverse indices and counts.

    `size` pads (with `fill_value`, default the first value) or truncates the result.
    """
    x = convert(x)
    values, inverse, counts = torch.unique(
        x, sorted=True, return_inverse=True, return_counts=True, dim=axis
    )
    dim = 0 if axis is None else axis
    flat_inverse = inverse.reshape(-1)
    index = torch.full((values.shape[dim],), flat_inverse.numel(), device=x.device)
    index = index.scatter_reduce(
        0, flat_inverse, torch.arange(flat_inverse.numel(), device=x.device), "amin"
    )
    if size is not None:
        n = values.shape[dim]
        if n >= size:
            values, index, counts = values.narrow(dim, 0, size), index[:size], counts[:size]
        else:
            fill = values.narrow(dim, 0, 1) if fill_value is None else fill_value
            pad_shape = list(values.shape)
            pad_shape[dim] = size - n
            filler = torch.broadcast_to(convert(fill, values.dtype, x.device), pad_shape)
            values = torch.cat([values, filler], dim=dim)
            index = torch.cat([index, index.new_zeros(size - n)])
            counts = torch.cat([counts, counts.new_zeros(size - n)])
    out = [values]
    if return_index:
        out.append(index)
    if return_inverse:
        out.append(inverse if axis is not None else inverse.reshape(x.shape))
    if return_counts:
        out.append(counts)
    return out[0] if len(out) == 1 else tuple(out)


def unravel_index(indices: Any, shape: Sequence[int]) -> tuple[torch.Tensor, ...]:
    """The coordinates in an array of `shape` for flat `indices`."""
    idx = convert(indices)
    dtype = torch_dtype(result_type(idx.dtype))
    return tuple(i.to(dtype) for i in torch.unravel_index(idx, tuple(shape)))
