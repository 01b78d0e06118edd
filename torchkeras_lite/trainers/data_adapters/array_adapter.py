"""In-memory arrays (numpy, torch, nested lists/dicts of them): converted once, batched by slicing."""

from __future__ import annotations

import math
from collections.abc import Iterator
from typing import Any

import torch

from torchkeras_lite.trainers.data_adapters import data_utils
from torchkeras_lite.utils import tree

# Data smaller than this is moved to the GPU once and batched there.
_DEVICE_CACHE_BYTES = 1 << 30


def class_weight_to_sample_weight(y: torch.Tensor, class_weight: dict[int, float]) -> torch.Tensor:
    """Per-sample weights from a `{class: weight}` dict: sparse labels or one-hot targets."""
    table = torch.ones(max(class_weight) + 1, dtype=torch.float32)
    for cls, w in class_weight.items():
        table[int(cls)] = float(w)
    if y.ndim >= 2 and y.shape[-1] > 1:
        labels = y.argmax(dim=-1)
    else:
        labels = y.reshape(y.shape[0], -1)[:, 0].round().long()
    return table.to(labels.device)[labels.clamp(0, table.shape[0] - 1)]


class ArrayDataAdapter:
    """Batches in-memory arrays: one conversion to tensors, a seeded permutation each epoch, slices.

    The last partial batch is kept. Shuffling gathers the whole epoch once (`index_select`), so
    each batch is then a contiguous slice: no per-sample collation. Under a distribution
    (`shard`), every process draws the same permutation (a shared seed) and keeps its positions
    of it (see `distribution.data_sharding`).
    """

    def __init__(
        self,
        x: Any,
        y: Any = None,
        sample_weight: Any = None,
        batch_size: int | None = None,
        shuffle: bool | str = False,
        class_weight: dict[int, float] | None = None,
        shard: Any = None,
    ):
        if batch_size is not None and (not isinstance(batch_size, int) or batch_size <= 0):
            raise ValueError(
                f"`batch_size` must be a positive integer. Received: batch_size={batch_size!r}"
            )
        self.num_samples = data_utils.check_cardinality(x, y, sample_weight)
        data = tree.map_structure(tree.to_tensor, (x, y, sample_weight))
        if class_weight is not None:
            if y is None:
                raise ValueError("`class_weight` needs targets `y`. Received: y=None")
            ys = tree.flatten(data[1])
            if len(ys) != 1:
                raise ValueError(
                    "`class_weight` is only supported for models with a single output."
                )
            cw = class_weight_to_sample_weight(ys[0], class_weight)
            sw = data[2]
            data = (data[0], data[1], cw if sw is None else sw.reshape(cw.shape[0], -1)[:, 0] * cw)
        self._data = data
        self.batch_size = batch_size or 32
        self.shuffle = bool(shuffle)
        seed = None if shard is None else shard.seed
        if seed is None:
            seed = int(torch.randint(0, 2**62, ()).item())
        self._generator = torch.Generator().manual_seed(seed)
        self._positions = None if shard is None else shard.positions(self.num_samples)
        self.shard_layout = None if self._positions is None else shard.layout
        self._count = self.num_samples if self._positions is None else len(self._positions)
        self._device_cache: tuple[torch.device, Any] | None = None

    @property
    def num_batches(self) -> int:
        return math.ceil(self._count / self.batch_size)

    def _on(self, device: torch.device) -> tuple[Any, bool]:
        """The data on `device` when it fits there (cached), else on the CPU (batches move later)."""
        if device.type == "cpu":
            return self._data, False
        if self._device_cache is not None and self._device_cache[0] == device:
            return self._device_cache[1], False
        nbytes = sum(t.numel() * t.element_size() for t in tree.flatten(self._data))
        if nbytes <= _DEVICE_CACHE_BYTES:
            moved = data_utils.to_device(self._data, device, non_blocking=False)
            self._device_cache = (device, moved)
            return moved, False
        return self._data, True

    def get_iterator(self, device: torch.device | None = None) -> Iterator[tuple]:
        device = device or torch.device("cpu")
        data, move_each = self._on(device)
        positions = self._positions
        if self.shuffle or positions is not None:
            if self.shuffle:
                perm = torch.randperm(self.num_samples, generator=self._generator)
                perm = perm if positions is None else perm[positions]
            else:
                perm = positions
            perm = perm.to(tree.flatten(data)[0].device)
            data = tree.map_structure(lambda t: t.index_select(0, perm), data)
        bs = self.batch_size
        x, y, sw = data
        if (
            not move_each
            and type(x) is torch.Tensor
            and (y is None or type(y) is torch.Tensor)
            and sw is None
        ):
            # The common case, without tree traversal per batch: two slices (views).
            for start in range(0, self._count, bs):
                end = start + bs
                yield (x[start:end],) if y is None else (x[start:end], y[start:end])
            return
        for start in range(0, self._count, bs):
            batch = tree.map_structure(lambda t, s=start: t[s : s + bs], data)
            if move_each:
                batch = tree.map_structure(
                    lambda t: t.pin_memory().to(device, non_blocking=True), batch
                )
            yield data_utils.pack_x_y_sample_weight(*batch)
