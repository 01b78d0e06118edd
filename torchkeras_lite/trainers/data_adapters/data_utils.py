"""Helpers shared by the data adapters: unpacking `(x, y, sample_weight)`, cardinality, devices."""

from __future__ import annotations

from typing import Any

import numpy as np
import torch

from torchkeras_lite.utils import tree


def unpack_x_y_sample_weight(data: Any) -> tuple[Any, Any, Any]:
    """`(x,)`, `(x, y)` or `(x, y, sample_weight)` -> the three parts (missing ones are None)."""
    if isinstance(data, list):
        data = tuple(data)
    if not isinstance(data, tuple):
        return data, None, None
    if len(data) == 1:
        return data[0], None, None
    if len(data) == 2:
        return data[0], data[1], None
    if len(data) == 3:
        return data[0], data[1], data[2]
    raise ValueError(
        "Data is expected to be in format `x`, `(x,)`, `(x, y)`, or `(x, y, sample_weight)`. "
        f"Received: data of length {len(data)}"
    )


def pack_x_y_sample_weight(x: Any, y: Any = None, sample_weight: Any = None) -> tuple:
    if y is None:
        return (x,)
    if sample_weight is None:
        return (x, y)
    return (x, y, sample_weight)


def is_array(x: Any) -> bool:
    return isinstance(x, (np.ndarray, torch.Tensor)) or (
        hasattr(x, "__array__") and hasattr(x, "shape") and not isinstance(x, (list, tuple, dict))
    )


def is_array_structure(x: Any) -> bool:
    """True when every leaf of x is an array or tensor (numbers in plain lists are not)."""
    if x is None:
        return True
    leaves = tree.flatten(x)
    return bool(leaves) and all(is_array(leaf) for leaf in leaves)


def num_samples(name: str, x: Any) -> list[int]:
    return [
        int(leaf.shape[0]) for leaf in tree.flatten(x) if leaf is not None and len(leaf.shape) > 0
    ]


def check_cardinality(x: Any, y: Any, sample_weight: Any) -> int:
    """The common number of samples of x, y and sample_weight, or a ValueError listing the sizes."""
    sizes = {
        "x": num_samples("x", x),
        "y": num_samples("y", y),
        "sample_weight": num_samples("sw", sample_weight),
    }
    all_sizes = {s for v in sizes.values() for s in v}
    if len(all_sizes) > 1:
        details = " ".join(f"'{k}' sizes: {', '.join(map(str, v))}" for k, v in sizes.items() if v)
        raise ValueError(
            "Data cardinality is ambiguous. Make sure all arrays contain the same number of samples. "
            + details
        )
    if not all_sizes:
        raise ValueError(f"Expected arrays with a batch dimension. Received: x={type(x).__name__}")
    n = all_sizes.pop()
    if n == 0:
        raise ValueError("Expected a non-empty dataset. Received: x with 0 samples")
    return n


def to_device(batch: Any, device: torch.device, non_blocking: bool = True) -> Any:
    """Moves every tensor of a batch to `device` (numpy arrays are converted first)."""

    def move(t):
        t = tree.to_tensor(t)
        if isinstance(t, torch.Tensor) and t.device != device:
            return t.to(device, non_blocking=non_blocking)
        return t

    return tree.map_structure(move, batch)


def train_validation_split(arrays: Any, validation_split: float) -> tuple[Any, Any]:
    """Splits arrays: the first part trains, the last `validation_split` fraction validates (no shuffle)."""
    if not 0.0 < validation_split < 1.0:
        raise ValueError(
            f"`validation_split` must be between 0 and 1. Received: validation_split={validation_split}"
        )
    leaves = [leaf for leaf in tree.flatten(arrays) if leaf is not None]
    n = int(leaves[0].shape[0])
    split_at = int(np.floor(n * (1.0 - validation_split)))
    if split_at == 0 or split_at == n:
        raise ValueError(
            f"Training data contains {n} samples, which is not sufficient to split it into a validation "
            f"and training set as specified by `validation_split={validation_split}`. Either provide more "
            "data, or a different value for the `validation_split` argument."
        )

    def cut(part):
        return lambda a: None if a is None else a[:split_at] if part == 0 else a[split_at:]

    return tree.map_structure(cut(0), arrays), tree.map_structure(cut(1), arrays)
