"""Nested structures of tensors (lists, tuples, dicts), on top of `torch.utils._pytree`."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import torch
import torch.utils._pytree as pytree


def flatten(structure: Any) -> list[Any]:
    """The leaves of a nested structure, in order (dicts by insertion order); None is no leaf."""
    return [leaf for leaf in pytree.tree_leaves(structure) if leaf is not None]


def map_structure(fn: Callable[[Any], Any], structure: Any) -> Any:
    """Applies `fn` to every leaf; None stays None."""
    return pytree.tree_map(lambda leaf: None if leaf is None else fn(leaf), structure)


def pack_sequence_as(structure: Any, flat: list[Any]) -> Any:
    _, spec = pytree.tree_flatten(structure)
    return pytree.tree_unflatten(list(flat), spec)


def is_nested(x: Any) -> bool:
    return isinstance(x, (list, tuple, dict))


def to_tensor(x: Any, float_dtype: torch.dtype = torch.float32) -> Any:
    """Converts numpy arrays (float64 -> `float_dtype`), scalars and lists of numbers to tensors."""
    if isinstance(x, torch.Tensor):
        return x
    if isinstance(x, np.ndarray):
        if x.dtype == object:
            raise TypeError(
                f"Cannot convert an object array to a tensor. Received: dtype={x.dtype}"
            )
        t = torch.from_numpy(np.ascontiguousarray(x))
        return t.to(float_dtype) if t.is_floating_point() and t.dtype != float_dtype else t
    if isinstance(x, (int, float, bool, np.number)):
        return torch.as_tensor(x)
    return x
