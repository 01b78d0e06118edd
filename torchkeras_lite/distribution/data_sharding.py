"""How each process gets its part of the data (the adapters in `trainers/data_adapters` use it).

Training (`pad=True`) deals samples like `torch.utils.data.DistributedSampler(drop_last=False)`:
each epoch's order (the same seeded permutation on every process) is padded by wrapping around to
a multiple of the number of processes, and rank r takes positions r, r + N, r + 2N, ... So every
process runs the same number of steps with batches of the same size, and step s of all processes
together covers the samples of step s of one process with an N times larger batch.

Evaluation and prediction (`pad=False`) split the samples into N contiguous blocks, with no
sample counted twice; `predict` concatenates the blocks back in order. Data with fewer samples
than processes is not split (every process uses all of it).
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from typing import NamedTuple

import torch
from torch.utils.data import DistributedSampler, Sampler


class Shard(NamedTuple):
    """This process' part of the data.

    Args:
        rank: this process' rank.
        world_size: the number of processes.
        pad: deal with padding (training) instead of contiguous blocks (evaluation, prediction).
        seed: the shuffle seed, the same on every process (None when not shuffling).
    """

    rank: int
    world_size: int
    pad: bool
    seed: int | None = None

    @property
    def layout(self) -> str:
        """`"strided"` (training) or `"blocks"`: how `predict` puts the parts back in order."""
        return "strided" if self.pad else "blocks"

    def positions(self, n: int) -> torch.Tensor | None:
        """The positions (into an epoch's order of `n` items) this process takes; None: all."""
        if self.pad:
            total = math.ceil(n / self.world_size) * self.world_size
            return (torch.arange(total) % n)[self.rank :: self.world_size]
        if n < self.world_size:
            return None
        return torch.tensor_split(torch.arange(n), self.world_size)[self.rank]

    def sampler(self, dataset, shuffle: bool) -> Sampler | None:
        """A sampler dealing a map-style dataset's samples to this process (None: all of them)."""
        if self.pad:
            return DistributedSampler(
                dataset,
                num_replicas=self.world_size,
                rank=self.rank,
                shuffle=shuffle,
                seed=self.seed or 0,
                drop_last=False,
            )
        positions = self.positions(len(dataset))
        return None if positions is None else ListSampler(positions.tolist())


class ListSampler(Sampler):
    """Yields a fixed list of indices (a contiguous block of the dataset)."""

    def __init__(self, indices: list[int]):
        self.indices = indices

    def __iter__(self) -> Iterator[int]:
        return iter(self.indices)

    def __len__(self) -> int:
        return len(self.indices)


def distributed_sampler_of(loader) -> DistributedSampler | None:
    """The `DistributedSampler` a user's DataLoader shards with, if any."""
    for sampler in (getattr(loader, "sampler", None), getattr(loader, "batch_sampler", None)):
        if isinstance(sampler, DistributedSampler):
            return sampler
        inner = getattr(sampler, "sampler", None)
        if isinstance(inner, DistributedSampler):
            return inner
    return None


def advance_epoch(sampler, epochs_started: int) -> None:
    """Reshuffles a `DistributedSampler` for every epoch after the first of a `fit`.

    The first epoch keeps the sampler's epoch as the user set it (so scripts calling
    `sampler.set_epoch(e)` before `fit(epochs=1)` keep working); later epochs count on from it.
    """
    if epochs_started and hasattr(sampler, "set_epoch"):
        sampler.set_epoch(getattr(sampler, "epoch", epochs_started - 1) + 1)
