"""`PyDataset` (alias `Sequence`): an indexable dataset of batches, and its adapter."""

from __future__ import annotations

import concurrent.futures
from collections.abc import Iterator
from typing import Any

import torch
from torch.utils.data import DataLoader
from torch.utils.data import Dataset as TorchDataset

from torchkeras_lite.trainers.data_adapters import data_utils


class PyDataset:
    """Base class for datasets of batches: subclasses define `__len__` (batches) and `__getitem__`.

    Args:
        workers: how many workers load batches in parallel (threads, or processes with
            `use_multiprocessing=True`, which runs a torch DataLoader with `num_workers=workers`).
        use_multiprocessing: use processes instead of threads.
        max_queue_size: how many batches are prepared ahead.

    Example:
        >>> class Batches(keras.utils.PyDataset):
        ...     def __init__(self, x, y, batch_size, **kwargs):
        ...         super().__init__(**kwargs)
        ...         self.x, self.y, self.batch_size = x, y, batch_size
        ...     def __len__(self):
        ...         return math.ceil(len(self.x) / self.batch_size)
        ...     def __getitem__(self, idx):
        ...         s = slice(idx * self.batch_size, (idx + 1) * self.batch_size)
        ...         return self.x[s], self.y[s]
    """

    def __init__(
        self, workers: int = 1, use_multiprocessing: bool = False, max_queue_size: int = 10
    ):
        self._workers = workers
        self._use_multiprocessing = use_multiprocessing
        self._max_queue_size = max_queue_size

    @property
    def workers(self) -> int:
        return getattr(self, "_workers", 1)

    @property
    def use_multiprocessing(self) -> bool:
        return getattr(self, "_use_multiprocessing", False)

    @property
    def max_queue_size(self) -> int:
        return getattr(self, "_max_queue_size", 10)

    def __getitem__(self, index: int) -> Any:
        raise IndexError(f"{type(self).__name__} must define `__getitem__`.")

    def __len__(self) -> int:
        raise TypeError(f"{type(self).__name__} must define `__len__`.")

    @property
    def num_batches(self) -> int:
        return len(self)

    def on_epoch_begin(self) -> None:
        """Called at the start of each epoch."""

    def on_epoch_end(self) -> None:
        """Called at the end of each epoch (e.g. to reshuffle)."""


Sequence = PyDataset


class _Batches(TorchDataset):
    def __init__(self, dataset: PyDataset, indices: list[int] | None = None):
        self.dataset = dataset
        self.indices = indices

    def __len__(self) -> int:
        return len(self.dataset) if self.indices is None else len(self.indices)

    def __getitem__(self, i: int) -> Any:
        return self.dataset[i if self.indices is None else self.indices[i]]


class PyDatasetAdapter:
    """Iterates a `PyDataset` in order, with thread or process workers as it asks.

    Under a distribution (`shard`) each process takes its share of the batch indices.
    """

    def __init__(self, x: PyDataset, batch_size: int | None = None, shard: Any = None):
        if batch_size is not None:
            raise ValueError(
                "When providing `x` as a PyDataset, `batch_size` should not be specified (the PyDataset "
                f"yields batches). Received: batch_size={batch_size}"
            )
        self.dataset = x
        if len(x) == 0:
            raise ValueError("Expected a non-empty dataset. Received: a PyDataset with 0 batches")
        positions = None if shard is None else shard.positions(len(x))
        self._indices: list[int] | None = None if positions is None else positions.tolist()
        self.shard_layout = None if positions is None else shard.layout

    @property
    def num_batches(self) -> int:
        return len(self.dataset) if self._indices is None else len(self._indices)

    def _raw(self) -> Iterator[Any]:
        ds, workers = self.dataset, self.dataset.workers
        order = range(len(ds)) if self._indices is None else self._indices
        if ds.use_multiprocessing and workers > 1:
            yield from DataLoader(_Batches(ds, self._indices), batch_size=None, num_workers=workers)
        elif workers > 1:
            with concurrent.futures.ThreadPoolExecutor(workers) as pool:
                ahead = max(ds.max_queue_size, workers)
                n = len(order)
                futures = [pool.submit(ds.__getitem__, order[i]) for i in range(min(ahead, n))]
                for i in range(n):
                    batch = futures[i].result()
                    if i + ahead < n:
                        futures.append(pool.submit(ds.__getitem__, order[i + ahead]))
                    yield batch
        else:
            for i in order:
                yield ds[i]

    def get_iterator(self, device: torch.device | None = None) -> Iterator[tuple]:
        self.dataset.on_epoch_begin()
        for batch in self._raw():
            x, y, sw = data_utils.unpack_x_y_sample_weight(batch)
            if device is not None:
                x, y, sw = data_utils.to_device((x, y, sw), device)
            yield data_utils.pack_x_y_sample_weight(x, y, sw)
        self.dataset.on_epoch_end()
