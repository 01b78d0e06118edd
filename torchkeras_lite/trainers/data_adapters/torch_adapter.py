"""torch `Dataset`s and `DataLoader`s, and Python generators/iterables of batches."""

from __future__ import annotations

import warnings
from collections.abc import Iterable, Iterator
from typing import Any

import torch
from torch.utils.data import DataLoader, Dataset, IterableDataset

from torchkeras_lite.distribution import data_sharding as sharding
from torchkeras_lite.trainers.data_adapters import data_utils


class TorchDataLoaderAdapter:
    """A `DataLoader` as is, or a map-style `Dataset` of samples batched by a new DataLoader.

    For a `Dataset` of samples, `batch_size` (default 32) and `shuffle` are applied here; a
    `DataLoader` keeps its own batching and sampler (a `batch_size` argument is an error).
    Under a distribution (`shard`), a map-style `Dataset` gets a sampler dealing this process'
    samples (a `DistributedSampler` for training), and a `DataLoader` whose sampler is a
    `DistributedSampler` is used as is, reshuffled for every epoch after the first of a `fit`.
    """

    def __init__(
        self,
        x: Dataset | DataLoader,
        batch_size: int | None = None,
        shuffle: bool = False,
        shard: Any = None,
    ):
        if isinstance(x, DataLoader):
            if batch_size is not None:
                raise ValueError(
                    "When providing `x` as a torch DataLoader, `batch_size` should not be specified "
                    "(the DataLoader batches). Received: batch_size="
                    f"{batch_size}"
                )
            self.loader = x
        else:
            iterable = isinstance(x, IterableDataset)
            sampler = None if shard is None or iterable else shard.sampler(x, bool(shuffle))
            generator = torch.Generator().manual_seed(int(torch.randint(0, 2**62, ()).item()))
            self.loader = DataLoader(
                x,
                batch_size=batch_size or 32,
                shuffle=bool(shuffle) and not iterable and sampler is None,
                sampler=sampler,
                generator=None if iterable or sampler is not None else generator,
            )
        self._sampler = None
        self.shard_layout = None
        self.num_samples = None
        if shard is not None:
            self._sampler = sharding.distributed_sampler_of(self.loader)
            if self._sampler is not None:
                self.shard_layout = "strided"
                self.num_samples = len(self._sampler.dataset)
            elif isinstance(self.loader.sampler, sharding.ListSampler):
                self.shard_layout = "blocks"
            elif isinstance(x, DataLoader) and not isinstance(x.dataset, IterableDataset):
                warnings.warn(
                    "This DataLoader has no DistributedSampler, so every process iterates all of "
                    "its data. Give it `sampler=DistributedSampler(dataset)` to split the data "
                    "between the processes.",
                    stacklevel=4,
                )
        self._epochs_started = 0
        try:
            self._num_batches: int | None = len(self.loader)
        except TypeError:
            self._num_batches = None
        if self._num_batches == 0:
            raise ValueError("Expected a non-empty dataset. Received: a DataLoader with 0 batches")

    @property
    def num_batches(self) -> int | None:
        return self._num_batches

    def get_iterator(self, device: torch.device | None = None) -> Iterator[tuple]:
        if self._sampler is not None:
            sharding.advance_epoch(self._sampler, self._epochs_started)
            self._epochs_started += 1
        for batch in self.loader:
            yield _standardize(batch, device)


class GeneratorDataAdapter:
    """A Python generator or iterable yielding `x`, `(x, y)` or `(x, y, sample_weight)` batches.

    A generator is consumed once: later epochs get nothing unless `steps_per_epoch` leaves data for
    them (as in Keras). An iterable that can be iterated again (a list of batches, an object whose
    `__iter__` starts over) gives the same batches each epoch.
    """

    def __init__(self, x: Iterable, batch_size: int | None = None):
        if batch_size is not None:
            raise ValueError(
                "When providing `x` as a generator or iterable of batches, `batch_size` should not be "
                f"specified (the generator yields batches). Received: batch_size={batch_size}"
            )
        self._source = x
        self._is_iterator = iter(x) is x
        self._current: Iterator | None = None
        try:
            self._num_batches: int | None = len(x)  # type: ignore[arg-type]
        except TypeError:
            self._num_batches = None

    @property
    def num_batches(self) -> int | None:
        return self._num_batches

    def get_iterator(self, device: torch.device | None = None) -> Iterator[tuple]:
        """The batches as the generator yields them (under a distribution: on every process)."""
        source = self._source if self._is_iterator else iter(self._source)
        for batch in source:
            yield _standardize(batch, device)


def _standardize(batch: Any, device: torch.device | None) -> tuple:
    x, y, sw = data_utils.unpack_x_y_sample_weight(batch)
    if device is not None:
        x, y, sw = data_utils.to_device((x, y, sw), device)
    return data_utils.pack_x_y_sample_weight(x, y, sw)


def warn_ran_out(steps: int, done: int) -> None:
    warnings.warn(
        f"Your input ran out of data after {done} steps; interrupting the epoch (expected {steps}). "
        "Make sure the data can generate at least `steps_per_epoch * epochs` batches.",
        stacklevel=3,
    )
