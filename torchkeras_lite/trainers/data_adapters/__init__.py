"""Data adapters: turn what users pass to `fit` into an iterator of device batches."""

from __future__ import annotations

import inspect
from typing import Any

from torch.utils.data import DataLoader, Dataset

from torchkeras_lite.trainers.data_adapters import data_utils
from torchkeras_lite.trainers.data_adapters.array_adapter import ArrayDataAdapter
from torchkeras_lite.trainers.data_adapters.py_dataset import PyDataset, PyDatasetAdapter, Sequence
from torchkeras_lite.trainers.data_adapters.torch_adapter import (
    GeneratorDataAdapter,
    TorchDataLoaderAdapter,
)


def get_data_adapter(
    x: Any,
    y: Any = None,
    sample_weight: Any = None,
    batch_size: int | None = None,
    shuffle: bool = False,
    class_weight: dict | None = None,
    shard: Any = None,
) -> Any:
    """Picks the adapter for `x`: arrays, a torch Dataset/DataLoader, a PyDataset or a generator.

    `shard` (a `distribution.Shard`, under a distribution) selects this process' part of the
    data; generators and iterable datasets are used as they are (shard them in the script).
    """
    if x is None:
        raise ValueError("Expected input data `x`. Received: x=None")
    if isinstance(x, (DataLoader, Dataset, PyDataset)) or inspect.isgenerator(x):
        if y is not None:
            raise ValueError(
                f"When providing `x` as a {type(x).__name__}, `y` should not be passed: the data must "
                f"yield `(x, y)` pairs. Received: y={type(y).__name__}"
            )
        if sample_weight is not None:
            raise ValueError(
                f"When providing `x` as a {type(x).__name__}, `sample_weight` should not be passed: the "
                "data must yield `(x, y, sample_weight)` tuples."
            )
        if class_weight is not None and not isinstance(x, Dataset):
            raise ValueError(
                "`class_weight` is only supported with in-memory arrays or a torch Dataset."
            )
    if isinstance(x, PyDataset):
        return PyDatasetAdapter(x, batch_size, shard)
    if isinstance(x, (DataLoader, Dataset)):
        return TorchDataLoaderAdapter(x, batch_size, shuffle, shard)
    batches = isinstance(x, list) and y is None and x and all(isinstance(b, tuple) for b in x)
    if not batches and data_utils.is_array_structure(x) and data_utils.is_array_structure(y):
        return ArrayDataAdapter(x, y, sample_weight, batch_size, shuffle, class_weight, shard)
    if inspect.isgenerator(x) or (hasattr(x, "__iter__") and not isinstance(x, (dict, str))):
        if isinstance(x, (list, tuple)) and not all(isinstance(b, (list, tuple)) for b in x):
            raise ValueError(
                "Unrecognized data type: `x` is a list that mixes arrays and other values. Pass arrays "
                f"(numpy or torch), a torch Dataset/DataLoader, a PyDataset or a generator. Received: x={x!r:.80}"
            )
        return GeneratorDataAdapter(x, batch_size)
    raise ValueError(
        "Unrecognized data type: expected numpy arrays, torch tensors, lists/dicts of them, a torch "
        f"Dataset or DataLoader, a PyDataset or a generator. Received: x of type {type(x).__name__}"
    )


__all__ = [
    "ArrayDataAdapter",
    "GeneratorDataAdapter",
    "PyDataset",
    "PyDatasetAdapter",
    "Sequence",
    "TorchDataLoaderAdapter",
    "get_data_adapter",
]
