"""`keras.utils.split_dataset`: split a dataset (or arrays) into two torch `Subset`s."""

from __future__ import annotations

from typing import Any

import numpy as np
import torch
from torch.utils.data import Dataset, Subset, TensorDataset


def _as_dataset(dataset: Any) -> Dataset:
    if isinstance(dataset, Dataset):
        return dataset
    arrays = list(dataset) if isinstance(dataset, (list, tuple)) else [dataset]
    if not arrays or not all(isinstance(a, (np.ndarray, torch.Tensor)) for a in arrays):
        raise TypeError(
            "`dataset` must be a torch Dataset, an array, or a list/tuple of arrays. "
            f"Received: dataset of type {type(dataset).__name__}"
        )
    return TensorDataset(*(torch.as_tensor(a) for a in arrays))


def _size(value: int | float | None, name: str, total: int) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise TypeError(f"`{name}` must be an int, a float or None. Received: {name}={value!r}")
    if isinstance(value, float):
        if not 0 < value < 1:
            raise ValueError(f"A float `{name}` must be in (0, 1). Received: {name}={value}")
        return round(value * total)
    if not 0 < value < total:
        raise ValueError(
            f"An int `{name}` must be in (0, {total}) for a dataset of {total} samples. "
            f"Received: {name}={value}"
        )
    return value


def split_dataset(
    dataset: Any,
    left_size: int | float | None = None,
    right_size: int | float | None = None,
    shuffle: bool = False,
    seed: int | None = None,
    preferred_backend: str | None = None,
) -> tuple[Subset, Subset]:
    """Splits a dataset into a left and a right `torch.utils.data.Subset`.

    Args:
        dataset: a torch `Dataset`, a numpy array / tensor, or a list/tuple of them (one sample per
            row, wrapped in a `TensorDataset`).
        left_size: the left part: a fraction in (0, 1) or a number of samples (default: the rest).
        right_size: the right part, likewise (default: the rest).
        shuffle: shuffle the samples before splitting (else the left part is the first samples).
        seed: the shuffling seed.
        preferred_backend: accepted for compatibility; the result is always torch Subsets.

    Example:
        >>> left, right = keras.utils.split_dataset(np.arange(10), left_size=0.8)
        >>> len(left), len(right)
        (8, 2)
    """
    if left_size is None and right_size is None:
        raise ValueError(
            "At least one of `left_size` and `right_size` must be given. "
            "Received: left_size=None, right_size=None"
        )
    data = _as_dataset(dataset)
    total = len(data)
    left, right = _size(left_size, "left_size", total), _size(right_size, "right_size", total)
    left = total - right if left is None else left
    right = total - left if right is None else right
    if left <= 0 or right <= 0 or left + right > total:
        raise ValueError(
            f"The split sizes must be positive and add up to at most {total}. "
            f"Received: left_size={left_size}, right_size={right_size}"
        )
    if shuffle:
        generator = torch.Generator()
        generator.manual_seed(seed) if seed is not None else generator.seed()
        order = torch.randperm(total, generator=generator).tolist()
    else:
        order = list(range(total))
    return Subset(data, order[:left]), Subset(data, order[left : left + right])
