"""The devices of a job: `list_devices`, `DeviceMesh` and `LayoutMap` (Keras 3's names).

With torch.distributed each process drives one device, so the devices of a job are one per
process: `list_devices()` has `world_size` entries.
"""

from __future__ import annotations

import math
from typing import Any

from torchkeras_lite.distribution import process_group


def list_devices(device_type: str | None = None) -> list[str]:
    """The devices of the job, one per process (`"cuda:0"`, `"cuda:1"`, ... or `"cpu:0"`, ...).

    Args:
        device_type: `"cpu"`, `"gpu"` or `"cuda"`; default: CUDA when this job trains on it.
    """
    process_group.ensure_initialized()
    kind = device_type or process_group.device().type
    kind = {"gpu": "cuda"}.get(kind.lower(), kind.lower())
    if kind not in ("cpu", "cuda"):
        raise ValueError(
            f"`device_type` must be 'cpu', 'gpu' or 'cuda'. Received: device_type={device_type!r}"
        )
    return [f"{kind}:{i}" for i in range(process_group.world_size())]


class DeviceMesh:
    """The devices of the job arranged in named axes (Keras 3's `DeviceMesh`).

    Args:
        shape: the size of each axis; their product is the number of devices.
        axis_names: one name per axis (`("batch", "model")`).
        devices: the devices (default: `list_devices()`).

    Example:
        >>> mesh = keras.distribution.DeviceMesh((2,), ["batch"], keras.distribution.list_devices())
    """

    def __init__(self, shape: tuple[int, ...], axis_names: Any, devices: Any = None):
        shape, axis_names = tuple(shape), list(axis_names)
        if len(shape) != len(axis_names):
            raise ValueError(
                "`shape` and `axis_names` must have the same length. "
                f"Received: shape={shape}, axis_names={axis_names}"
            )
        devices = list(devices) if devices is not None else list_devices()
        if math.prod(shape) != len(devices):
            raise ValueError(
                f"The mesh shape {shape} needs {math.prod(shape)} devices. "
                f"Received: {len(devices)} devices"
            )
        self.shape, self.axis_names, self.devices = shape, axis_names, devices


class LayoutMap(dict):
    """Maps weight-path patterns (regular expressions) to layouts, as in Keras 3.

    `ModelParallel` shards each layer owning a weight whose path matches a key as one FSDP unit
    (FSDP shards every weight along its first axis; the layout values are kept for reference).

    Args:
        device_mesh: the mesh the layouts refer to.

    Example:
        >>> layout_map = keras.distribution.LayoutMap(mesh)
        >>> layout_map["dense.*kernel"] = (None, "model")
    """

    def __init__(self, device_mesh: DeviceMesh | None = None):
        super().__init__()
        self.device_mesh = device_mesh
