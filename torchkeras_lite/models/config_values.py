"""Values inside functional configs: recorded torch ops by qualified name, and call arguments.

Call arguments are stored as JSON: KerasTensors as `__keras_tensor__` references, and tuples, slices,
`...`, dtypes and small constant tensors under `__tuple__`, `__slice__`, `__ellipsis__`, `__dtype__`,
`__tensor__`. Only `torch.*`, `operator.*` and `math.*` functions are resolved back from names.
"""

from __future__ import annotations

import importlib
from typing import Any

import torch
from torch import nn

from torchkeras_lite.backend import dtypes
from torchkeras_lite.models import torch_ops
from torchkeras_lite.models.keras_tensor import KerasTensor
from torchkeras_lite.models.torch_ops import TorchOp


def function_name(op: TorchOp) -> str | None:
    """The qualified name of a recorded op's function (`torch.relu`, `torch.Tensor.reshape`)."""
    if op.kind != "call_function":
        return f"torch.Tensor.{op.target}"
    return torch_ops.public_name(op.target)


def resolve_function(name: str) -> Any:
    """The function a qualified name refers to (torch, operator and math names only)."""
    parts = name.split(".")
    if parts[0] not in ("torch", "operator", "math") or len(parts) < 2:
        raise ValueError(
            f"Only torch, operator and math functions can be loaded from a config. Received: function={name!r}"
        )
    for i in range(len(parts) - 1, 0, -1):
        try:
            obj: Any = importlib.import_module(".".join(parts[:i]))
        except ImportError:
            continue
        try:
            for attr in parts[i:]:
                obj = getattr(obj, attr)
        except AttributeError:
            break
        return obj
    raise ValueError(f"Unknown torch function in config. Received: function={name!r}")


# ------------------------------------------------------------------------------------------------
# Encoding call arguments.
class NotSerializable(Exception):
    pass


def encode(value: Any, ref: Any) -> Any:
    if type(value) is KerasTensor:
        d = value.__dict__
        return {
            "class_name": "__keras_tensor__",
            "config": {
                "shape": list(d["_keras_shape"]),
                "dtype": value.keras_dtype,
                "keras_history": ref(value),
            },
        }
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    if isinstance(value, list):
        return [encode(v, ref) for v in value]
    if isinstance(value, tuple):
        return {"class_name": "__tuple__", "config": {"value": [encode(v, ref) for v in value]}}
    if isinstance(value, dict) and all(isinstance(k, str) for k in value):
        return {k: encode(v, ref) for k, v in value.items()}
    if isinstance(value, slice):
        return {
            "class_name": "__slice__",
            "config": {"start": value.start, "stop": value.stop, "step": value.step},
        }
    if value is Ellipsis:
        return {"class_name": "__ellipsis__", "config": {}}
    if isinstance(value, torch.dtype):
        return {"class_name": "__dtype__", "config": {"value": dtypes.dtype_name(value)}}
    if (
        isinstance(value, torch.Tensor)
        and not isinstance(value, nn.Parameter)
        and value.numel() <= 4096
    ):
        return {
            "class_name": "__tensor__",
            "config": {"value": value.tolist(), "dtype": dtypes.dtype_name(value.dtype)},
        }
    raise NotSerializable(value)


class NotReady(Exception):
    pass


def decode(value: Any, tensors: dict) -> Any:
    if isinstance(value, list):
        return [decode(v, tensors) for v in value]
    if not isinstance(value, dict):
        return value
    kind, cfg = value.get("class_name"), value.get("config", {})
    if kind == "__keras_tensor__":
        name, node_index, tensor_index = cfg["keras_history"]
        if (name, node_index) not in tensors:
            raise NotReady
        return tensors[(name, node_index)][tensor_index]
    if kind == "__tuple__":
        return tuple(decode(v, tensors) for v in cfg["value"])
    if kind == "__slice__":
        return slice(cfg["start"], cfg["stop"], cfg["step"])
    if kind == "__ellipsis__":
        return Ellipsis
    if kind == "__dtype__":
        return dtypes.to_torch_dtype(cfg["value"])
    if kind == "__tensor__":
        return torch.tensor(cfg["value"], dtype=dtypes.to_torch_dtype(cfg["dtype"]))
    return {k: decode(v, tensors) for k, v in value.items()}


class OpReplay:
    """Re-applies a recorded torch op from a config, keeping its name."""

    def __init__(self, config: dict):
        self.name = config["name"]
        self.kind = config.get("kind", "call_function")
        function = config["function"]
        self.target = (
            function.split(".")[-1] if self.kind != "call_function" else resolve_function(function)
        )

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        torch_ops._NAME_OVERRIDE.append(self.name)
        try:
            if self.kind == "call_method":
                return getattr(args[0], self.target)(*args[1:], **kwargs)
            if self.kind == "getattr":
                return getattr(args[0], self.target)
            return self.target(*args, **kwargs)
        finally:
            if torch_ops._NAME_OVERRIDE and torch_ops._NAME_OVERRIDE[-1] == self.name:
                torch_ops._NAME_OVERRIDE.pop()
