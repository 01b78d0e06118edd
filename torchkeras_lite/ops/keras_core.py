"""`keras.ops` core functions: conversion, dtypes, slices and scatter updates (control flow is
re-exported from `control_flow`).

Example:
    >>> keras.ops.slice_update(np.zeros((2, 3)), (0, 1), np.ones((1, 2)))
    tensor([[0., 1., 1.],
            [0., 0., 0.]])
"""

from __future__ import annotations

import builtins
from collections.abc import Sequence
from typing import Any

import numpy as np
import torch

from torchkeras_lite.ops.control_flow import (
    associative_scan,
    cond,
    custom_gradient,
    fori_loop,
    map,
    scan,
    switch,
    vectorize,
    vectorized_map,
    while_loop,
)
from torchkeras_lite.ops.dtype_rules import standardize_dtype
from torchkeras_lite.ops.np_shape import unstack
from torchkeras_lite.ops.tensor_utils import convert, to_numpy, torch_dtype

__all__ = [
    "associative_scan",
    "cast",
    "cond",
    "convert_to_numpy",
    "convert_to_tensor",
    "custom_gradient",
    "dtype",
    "fori_loop",
    "is_tensor",
    "map",
    "saturate_cast",
    "scan",
    "scatter",
    "scatter_update",
    "shape",
    "slice",
    "slice_update",
    "stop_gradient",
    "switch",
    "unstack",
    "vectorize",
    "vectorized_map",
    "while_loop",
]


def convert_to_tensor(x: Any, dtype=None, sparse=None, ragged=None) -> torch.Tensor:
    """`x` (array, scalar, list, tensor) as a torch tensor, cast to `dtype` when given."""
    if sparse or ragged:
        raise ValueError(
            f"Sparse and ragged tensors are not supported. Received: sparse={sparse}, ragged={ragged}"
        )
    return convert(x, dtype)


def convert_to_numpy(x: Any) -> np.ndarray:
    """`x` as a numpy array (copied to the host, detached)."""
    return to_numpy(x)


def is_tensor(x: Any) -> bool:
    """Whether `x` is a torch tensor."""
    return isinstance(x, torch.Tensor)


def cast(x: Any, dtype) -> torch.Tensor:
    """`x` converted to `dtype`."""
    return convert(x, dtype)


def saturate_cast(x: Any, dtype) -> torch.Tensor:
    """`x` cast to `dtype`, clipping values to the target dtype's range first."""
    x = convert(x)
    target = torch_dtype(dtype)
    if not target.is_floating_point and target != torch.bool:
        info = torch.iinfo(target)
        lo, hi = builtins.max(info.min, _lowest(x.dtype)), builtins.min(info.max, _highest(x.dtype))
        x = torch.clamp(x, lo, hi) if x.dtype != torch.bool else x
    elif target.is_floating_point and x.is_floating_point():
        info = torch.finfo(target)
        x = torch.clamp(x, info.min, info.max)
    return x.to(target)


def _lowest(dtype: torch.dtype) -> float:
    if dtype == torch.bool:
        return 0
    return (torch.finfo if dtype.is_floating_point else torch.iinfo)(dtype).min


def _highest(dtype: torch.dtype) -> float:
    if dtype == torch.bool:
        return 1
    return (torch.finfo if dtype.is_floating_point else torch.iinfo)(dtype).max


def shape(x: Any) -> tuple:
    """The shape as a tuple (`None` for unknown dimensions of symbolic tensors)."""
    return tuple(x.shape) if hasattr(x, "shape") else tuple(convert(x).shape)


def dtype(x: Any) -> str:
    """The Keras name of `x`'s dtype (`"float32"`)."""
    return standardize_dtype(x.dtype if hasattr(x, "dtype") else convert(x).dtype)


def stop_gradient(variable: Any) -> torch.Tensor:
    """`variable` detached from the autograd graph."""
    return convert(variable).detach()


def slice(inputs: Any, start_indices: Sequence[int], shape: Sequence[int]) -> torch.Tensor:
    """The block of `inputs` of size `shape` starting at `start_indices`."""
    x = convert(inputs)
    for dim, (start, size) in enumerate(zip(start_indices, shape)):
        x = torch.narrow(x, dim, int(start), int(size))
    return x


def slice_update(inputs: Any, start_indices: Sequence[int], updates: Any) -> torch.Tensor:
    """A copy of `inputs` with the block at `start_indices` replaced by `updates`."""
    out = convert(inputs).clone()
    updates = convert(updates, out.dtype, out.device)
    region = tuple(builtins.slice(int(s), int(s) + n) for s, n in zip(start_indices, updates.shape))
    out[region] = updates
    return out


def scatter(indices: Any, values: Any, shape: Sequence[int]) -> torch.Tensor:
    """A zero tensor of `shape` with `values` added at `indices` (`(..., index_depth)`)."""
    values = convert(values)
    idx = convert(indices, device=values.device).long()
    depth = idx.shape[-1]
    out = torch.zeros(tuple(shape), dtype=values.dtype, device=values.device)
    idx = idx.reshape(-1, depth)
    values = values.reshape(idx.shape[0], *out.shape[depth:])
    return out.index_put_(tuple(idx.T), values, accumulate=True)


def scatter_update(inputs: Any, indices: Any, updates: Any, reduction: str | None = None):
    """A copy of `inputs` with `updates` written at `indices` (`(num_updates, index_depth)`).

    `reduction` ("add", "max", "min", "mul") combines instead of overwriting.
    """
    out = convert(inputs).clone()
    idx = convert(indices, device=out.device).long()
    updates = convert(updates, out.dtype, out.device)
    position = tuple(idx.T)
    if reduction is None:
        out[position] = updates
        return out
    if reduction == "add":
        return out.index_put_(position, updates, accumulate=True)
    reducers = {"max": "amax", "min": "amin", "mul": "prod"}
    if reduction not in reducers:
        raise ValueError(
            "`reduction` must be one of None, 'add', 'max', 'min', 'mul'. "
            f"Received: reduction={reduction!r}"
        )
    depth = idx.shape[-1]
    flat = out.reshape(-1, *out.shape[depth:])
    rows = torch.zeros((), dtype=torch.long, device=out.device)
    for d in range(depth):
        rows = rows * out.shape[d] + idx[:, d]
    index = rows.reshape(-1, *([1] * (flat.ndim - 1))).expand(-1, *flat.shape[1:])
    updates = updates.reshape(-1, *flat.shape[1:])
    return flat.scatter_reduce(0, index, updates, reducers[reduction]).reshape(out.shape)
