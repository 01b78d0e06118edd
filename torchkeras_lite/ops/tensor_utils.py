"""Turning what ops accept (tensors, numpy arrays, Python scalars, lists) into torch tensors.

Tensors keep their device; anything else is created on the device of the tensors it meets, or on
`keras.config` 's default device. Python scalars and lists of them get Keras' dtypes (`int32`,
`floatx()`), numpy arrays keep theirs.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

import numpy as np
import torch

from torchkeras_lite.backend import config
from torchkeras_lite.backend.device import get_device
from torchkeras_lite.backend.dtypes import to_torch_dtype
from torchkeras_lite.ops.dtype_rules import result_type, scalar_kind, standardize_dtype

_INT32_MIN, _INT32_MAX = -(2**31), 2**31 - 1


def _flat_leaves(x: Any) -> list:
    if isinstance(x, (list, tuple)):
        return [leaf for item in x for leaf in _flat_leaves(item)]
    return [x]


def torch_dtype(dtype) -> torch.dtype:
    """The torch dtype for a Keras dtype name, torch/numpy dtype or Python type."""
    if isinstance(dtype, torch.dtype):
        return dtype
    return to_torch_dtype(standardize_dtype(dtype))


def convert(x: Any, dtype=None, device: torch.device | str | None = None) -> torch.Tensor:
    """`x` as a tensor, cast to `dtype` when given; see the module docstring for the rules."""
    if isinstance(x, torch.Tensor):
        return x if dtype is None else x.to(torch_dtype(dtype))
    device = get_device() if device is None else torch.device(device)
    if device.type == "meta":  # constants meeting symbolic (KerasTensor) operands
        device = torch.device("cpu")
    kind = scalar_kind(x)
    if kind is not None:
        if dtype is None:
            if kind is int and not _INT32_MIN <= x <= _INT32_MAX:
                dtype = "int64"
            else:
                dtype = {bool: "bool", int: "int32", float: config.floatx()}.get(kind, "complex64")
        return torch.tensor(x, dtype=torch_dtype(dtype), device=device)
    if isinstance(x, (list, tuple)):
        leaves = _flat_leaves(x)
        if any(isinstance(leaf, torch.Tensor) for leaf in leaves):
            return torch.stack([convert(item, dtype, device) for item in x])
        if dtype is None:
            kinds = [scalar_kind(leaf) or getattr(leaf, "dtype", None) for leaf in leaves]
            dtype = result_type(*(k for k in kinds if k is not None))
    array = np.asarray(x)
    if array.dtype.kind in "USO":
        raise ValueError(
            f"Expected a numeric array, tensor or Python number. Received: x={x!r:.80}"
        )
    if array.dtype in (np.uint16, np.uint32, np.uint64):
        array = array.astype(np.int64)
    if dtype is None:
        dtype = array.dtype
    return torch.as_tensor(array, dtype=torch_dtype(dtype), device=device)


def convert_all(*xs: Any, dtype=None) -> list[torch.Tensor]:
    """Converts several inputs, creating the non-tensors on the first tensor's device."""
    device = next((x.device for x in xs if isinstance(x, torch.Tensor)), None)
    return [convert(x, dtype, device) for x in xs]


def binary(x1: Any, x2: Any) -> tuple[torch.Tensor, torch.Tensor]:
    """Two operands as tensors; torch then promotes them (0-d scalars stay weakly typed)."""
    a, b = convert_all(x1, x2)
    return a, b


def promoted(*xs: Any, extra: Sequence = ()) -> tuple[list[torch.Tensor], torch.dtype]:
    """Converts `xs` and casts them to Keras' `result_type` of theirs (and `extra` dtypes)."""
    kinds = [scalar_kind(x) or None for x in xs]
    tensors = convert_all(*xs)
    dtypes = [k if k is not None else t.dtype for k, t in zip(kinds, tensors)]
    target = torch_dtype(result_type(*dtypes, *extra))
    return [t.to(target) for t in tensors], target


def is_floating(x: torch.Tensor) -> bool:
    return x.is_floating_point() or x.is_complex()


def to_float(x: torch.Tensor) -> torch.Tensor:
    """Integer and bool tensors become `floatx()`; float tensors are returned unchanged."""
    return x if is_floating(x) else x.to(torch_dtype(config.floatx()))


def axes(axis: int | Iterable[int] | None, ndim: int) -> tuple[int, ...] | None:
    """`axis` as a tuple of non-negative ints (None stays None), checked against `ndim`."""
    if axis is None:
        return None
    items = (axis,) if isinstance(axis, int) else tuple(axis)
    out = []
    for a in items:
        if not -max(ndim, 1) <= a < max(ndim, 1):
            raise ValueError(
                f"Axis {a} is out of bounds for a tensor of rank {ndim}. Received: axis={axis}"
            )
        out.append(a % max(ndim, 1))
    return tuple(out)


def to_numpy(x: Any) -> np.ndarray:
    """Any tensor-like as a numpy array (detached, on the host)."""
    if isinstance(x, torch.Tensor):
        x = x.detach()
        if x.dtype == torch.bfloat16:
            x = x.float()
        return x.cpu().numpy()
    return np.asarray(x)


def default_device() -> torch.device:
    return get_device()


def name_functions(namespace: dict) -> None:
    """Gives the functions a factory made in a module their public names (for reprs and docs)."""
    for name, obj in list(namespace.items()):
        if callable(obj) and "<locals>" in getattr(obj, "__qualname__", ""):
            obj.__name__ = obj.__qualname__ = name
            obj.__module__ = namespace["__name__"]
