"""Device selection: the only module that decides where tensors live by default."""

from __future__ import annotations

import torch

from torchkeras_lite.backend import config


def set_device(device: str | torch.device | None) -> None:
    """Sets the device new models train on (`"cpu"`, `"cuda"`, `"cuda:1"`; None restores the default).

    The environment variable `TORCHKERAS_LITE_DEVICE` sets the same at start-up.
    """
    if device is not None:
        torch.device(device)  # validates the string
    config._DEVICE = None if device is None else str(device)


def get_device() -> torch.device:
    """The default device: the configured one, else CUDA when available, else the CPU."""
    if config._DEVICE is not None:
        return torch.device(config._DEVICE)
    return torch.device("cuda") if torch.cuda.is_available() else torch.device("cpu")


def device_of(module: torch.nn.Module) -> torch.device | None:
    """The device of a module's first parameter or buffer, or None when it has none."""
    for p in module.parameters():
        return p.device
    for b in module.buffers():
        return b.device
    return None
