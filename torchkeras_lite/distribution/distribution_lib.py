"""Keras 3's distribution API on `torch.distributed`: `DataParallel`, `ModelParallel`, the global switch.

Without any call here, `fit`/`evaluate`/`predict` run data-parallel whenever the script runs
under torchrun (or a process group of several processes is initialized): the default is an
automatic `DataParallel()`. `set_distribution` makes the choice explicit, or picks FSDP sharding.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from typing import Any

import torch

from torchkeras_lite.distribution import model_setup, process_group
from torchkeras_lite.distribution.data_sharding import Shard
from torchkeras_lite.distribution.mesh import DeviceMesh, LayoutMap

_GLOBAL: list[Any] = [None]  # the explicit distribution, if any
_AUTO: dict[int, Any] = {}  # the automatic DataParallel, per process group


class Distribution:
    """What the loops ask of a distribution: the device, the data shard, the model's set-up.

    Args:
        device_mesh: a `DeviceMesh` (its size must be the number of processes).
        auto_shard_dataset: give each process its part of the data (False: every process uses
            the data it is given, e.g. data the script has sharded itself).
    """

    def __init__(self, device_mesh: DeviceMesh | None = None, auto_shard_dataset: bool = True):
        process_group.ensure_initialized()
        if device_mesh is not None and len(device_mesh.devices) != self.world_size:
            raise ValueError(
                "Each process trains on one device, so the mesh must have as many devices as the "
                f"job has processes ({self.world_size}; start more with `torchrun "
                f"--nproc_per_node=N`). Received: {len(device_mesh.devices)} devices"
            )
        self.device_mesh = device_mesh
        self.auto_shard_dataset = auto_shard_dataset

    @property
    def rank(self) -> int:
        return process_group.rank()

    @property
    def world_size(self) -> int:
        return process_group.world_size()

    @property
    def device(self) -> torch.device:
        return process_group.device()

    def data_shard(self, training: bool, shuffle: bool = False) -> Shard | None:
        """This process' part of the data (None when datasets are not sharded automatically)."""
        if not self.auto_shard_dataset:
            return None
        from torchkeras_lite.distribution.collectives import shared_seed

        seed = shared_seed() if training and shuffle else None
        return Shard(self.rank, self.world_size, pad=training, seed=seed)

    def prepare_for_training(self, model: Any) -> None:
        """Called by `fit` once the model is built, before its optimizer is bound."""
        raise TypeError(f"{type(self).__name__} does not define how to train a model.")

    def prepare_for_inference(self, model: Any) -> None:
        """Called by `evaluate`/`predict`: every process starts from rank 0's weights."""
        model_setup.sync_for_inference(model)

    @contextlib.contextmanager
    def scope(self) -> Iterator[Distribution]:
        """Makes this the global distribution inside a `with` block."""
        previous = _GLOBAL[0]
        _GLOBAL[0] = self
        try:
            yield self
        finally:
            _GLOBAL[0] = previous


class DataParallel(Distribution):
    """Data parallelism with `torch.nn.parallel.DistributedDataParallel`: one process per device.

    Every process holds the whole model and trains on its part of each batch; gradients are
    averaged during the backward pass. `batch_size` is the batch of each process (the global
    batch is `batch_size * world_size`), as with PyTorch's DDP.

    Args:
        device_mesh: a one-axis `DeviceMesh` (optional).
        devices: the devices (optional; one per process, e.g. `list_devices()`).
        auto_shard_dataset: give each process its part of the data.
        **ddp_options: passed to `DistributedDataParallel` (`find_unused_parameters=True` for
            models whose loss does not use every trainable weight, `bucket_cap_mb`, ...).

    Example:
        >>> keras.distribution.set_distribution(keras.distribution.DataParallel())
        >>> model.fit(x, y, batch_size=64)  # torchrun --nproc_per_node=4 train.py
    """

    def __init__(
        self,
        device_mesh: DeviceMesh | None = None,
        devices: Any = None,
        auto_shard_dataset: bool = True,
        **ddp_options: Any,
    ):
        if device_mesh is None and devices is not None:
            process_group.ensure_initialized()
            device_mesh = DeviceMesh((len(list(devices)),), ["batch"], devices)
        super().__init__(device_mesh, auto_shard_dataset)
        self.ddp_options = ddp_options

    def prepare_for_training(self, model: Any) -> None:
        model_setup.prepare_data_parallel(model, self.device, self.ddp_options)


class ModelParallel(Distribution):
    """Sharded data parallelism with FSDP: each process stores only a slice of every weight.

    Uses FSDP2's `fully_shard` (FSDP1 on older torch). Each unit (by default every direct
    sublayer holding weights, else the layers matched by `layout_map` or `shard_layers`) gathers
    its weights only while it runs, so models larger than one device's memory train. Data are
    sharded as with `DataParallel`. `model.save()` gathers the full weights into rank 0's file;
    `save_sharded_weights` writes each process' shard in parallel instead.

    Args:
        device_mesh: a `DeviceMesh` of all devices (optional).
        layout_map: a `LayoutMap`: the layers owning matching weights become FSDP units.
        batch_dim_name: accepted for Keras compatibility (the batch is sharded over all devices).
        auto_shard_dataset: give each process its part of the data.
        shard_layers: a layer class (or tuple) or a callable `layer -> bool` choosing the units.
        **fsdp_options: passed to `fully_shard` (`reshard_after_forward`, `mp_policy`, ...).

    Example:
        >>> keras.distribution.set_distribution(keras.distribution.ModelParallel())
    """

    def __init__(
        self,
        device_mesh: DeviceMesh | None = None,
        layout_map: LayoutMap | None = None,
        batch_dim_name: str | None = None,
        auto_shard_dataset: bool = True,
        shard_layers: Any = None,
        **fsdp_options: Any,
    ):
        super().__init__(
            device_mesh or getattr(layout_map, "device_mesh", None), auto_shard_dataset
        )
        self.layout_map = layout_map
        self.batch_dim_name = batch_dim_name
        self.shard_layers = shard_layers
        self.fsdp_options = fsdp_options
        self._use_fsdp1 = model_setup._fsdp2()[1] is None

    def prepare_for_training(self, model: Any) -> None:
        model_setup.prepare_fsdp(
            model,
            self.device,
            self.layout_map,
            self.shard_layers,
            self.fsdp_options,
            self._use_fsdp1,
        )

    def prepare_for_inference(self, model: Any) -> None:
        if not model.__dict__.get("_fsdp_sharded"):
            model_setup.sync_for_inference(model)


def set_distribution(value: Distribution | None) -> None:
    """Sets the distribution `fit`/`evaluate`/`predict` use (None: automatic, as under torchrun).

    Example:
        >>> keras.distribution.set_distribution(keras.distribution.DataParallel())
    """
    if value is not None and not isinstance(value, Distribution):
        raise ValueError(
            "`set_distribution` expects a `DataParallel`, a `ModelParallel` or None. "
            f"Received: value={value!r}"
        )
    _GLOBAL[0] = value


def distribution() -> Distribution | None:
    """The distribution in use: the one set, else `DataParallel()` when several processes run."""
    if _GLOBAL[0] is not None:
        return _GLOBAL[0]
    if not process_group.ensure_initialized():
        return None
    import torch.distributed as dist

    key = id(dist.group.WORLD)
    if key not in _AUTO:
        _AUTO.clear()
        _AUTO[key] = DataParallel()
    return _AUTO[key]


def active() -> Distribution | None:
    """The distribution when more than one process runs, else None (what the loops check)."""
    current = distribution()
    return current if current is not None and process_group.is_distributed() else None
