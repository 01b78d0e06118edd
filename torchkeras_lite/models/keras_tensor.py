"""`KerasTensor`: the symbolic tensor of the functional API.

A `KerasTensor` is a `torch.Tensor` subclass backed by an empty meta tensor. It carries a Keras shape
(a tuple where `None` marks a dimension unknown until run time, usually the batch) and a history (the
node that produced it). Layers, native `nn.Module`s, torch functions, tensor methods and operators
applied to it are recorded as graph nodes through `__torch_function__`; their output shapes are
found by running them on meta/fake tensors, once with every `None` dimension set to
`PLACEHOLDER_SIZES[0]` and once with `PLACEHOLDER_SIZES[1]`: the dimensions that change are `None`.
"""

from __future__ import annotations

import copy
from typing import Any, NamedTuple

import torch

from torchkeras_lite.backend import dtypes

PLACEHOLDER_SIZES = (83, 89)


class KerasHistory(NamedTuple):
    """Where a KerasTensor comes from: `operation._inbound_nodes[node_index].outputs[tensor_index]`."""

    operation: Any
    node_index: int
    tensor_index: int


def concrete_shape(shape: tuple, size: int) -> tuple[int, ...]:
    """`shape` with each `None` replaced by `size`."""
    return tuple(size if d is None else int(d) for d in shape)


class KerasTensor(torch.Tensor):
    """A symbolic tensor: a shape with `None` for unknown dimensions, a dtype and a history.

    Made by `keras.Input(...)` and by calling layers, native modules or torch functions on other
    KerasTensors. It holds no data: converting it to a Python value raises an error.

    Args:
        shape: the shape, `None` for dimensions unknown until run time (e.g. `(None, 16)`).
        dtype: the dtype (default: `keras.config.floatx()`).
        name: an optional name (an `Input`'s name).

    Example:
        >>> x = keras.Input((16,))
        >>> y = torch.relu(x) * 2
        >>> y.shape
        (None, 16)
    """

    _tkl_symbolic = True  # read by `Layer.__call__`'s cheap symbolic check

    @staticmethod
    def __new__(
        cls, shape: Any, dtype: Any = None, name: str | None = None, _concrete: tuple | None = None
    ):
        shape = tuple(None if d is None else int(d) for d in shape)
        torch_dtype = dtypes.to_torch_dtype(dtype)
        concrete = (
            _concrete if _concrete is not None else concrete_shape(shape, PLACEHOLDER_SIZES[0])
        )
        base = torch.empty(concrete, dtype=torch_dtype, device="meta")
        t = torch.Tensor._make_subclass(cls, base, False)
        d = t.__dict__
        d["_keras_shape"] = shape
        d["_concrete"] = tuple(concrete)
        d["_keras_history"] = None
        d["_name"] = name
        d["_internal"] = None  # the pending native-module call this tensor is private to, if any
        return t

    def __init__(self, *args: Any, **kwargs: Any):
        pass

    # -- metadata ---------------------------------------------------------------------------------
    @property
    def shape(self) -> Any:
        """The Keras shape (`None` for unknown dimensions); concrete sizes inside a native module."""
        d = self.__dict__
        if d["_internal"] is not None or _native_calls().in_native_call():
            return torch.Size(d["_concrete"])
        return d["_keras_shape"]

    @property
    def name(self) -> str | None:
        return self.__dict__["_name"]

    @name.setter
    def name(self, value: str | None) -> None:
        self.__dict__["_name"] = value

    def spec_tensor(self, size: int | None) -> torch.Tensor:
        """A plain meta tensor of this shape, `None` dimensions set to `size` (None: the concrete shape)."""
        d = self.__dict__
        shape = d["_concrete"] if size is None else concrete_shape(d["_keras_shape"], size)
        with torch._C.DisableTorchFunctionSubclass():
            dtype = self.dtype
        return torch.empty(shape, dtype=dtype, device="meta")

    @property
    def keras_dtype(self) -> str:
        with torch._C.DisableTorchFunctionSubclass():
            return dtypes.dtype_name(self.dtype)

    # -- torch integration -------------------------------------------------------------------------
    @classmethod
    def __torch_function__(
        cls, func: Any, types: Any, args: tuple = (), kwargs: dict | None = None
    ) -> Any:
        from torchkeras_lite.models import torch_ops

        return torch_ops.handle(func, args, kwargs or {})

    def __repr__(self, *args: Any, **kwargs: Any) -> str:
        name = f", name={self.name}" if self.name else ""
        return (
            f"<KerasTensor shape={self.__dict__['_keras_shape']}, dtype={self.keras_dtype}{name}>"
        )

    def __format__(self, spec: str) -> str:
        return repr(self)

    def __deepcopy__(self, memo: dict) -> KerasTensor:
        d = self.__dict__
        new = KerasTensor(d["_keras_shape"], self.keras_dtype, d["_name"], _concrete=d["_concrete"])
        memo[id(self)] = new
        new.__dict__["_keras_history"] = copy.deepcopy(d["_keras_history"], memo)
        return new

    def __reduce_ex__(self, protocol: Any) -> Any:
        d = self.__dict__
        state = (d["_keras_history"], d.get("_keras_mask"))
        return _rebuild, (d["_keras_shape"], self.keras_dtype, d["_name"], d["_concrete"], state)


def _rebuild(
    shape: tuple, dtype: str, name: str | None, concrete: tuple, state: tuple
) -> KerasTensor:
    """Unpickles a KerasTensor (pickling a functional model pickles its graph's tensors)."""
    t = KerasTensor(shape, dtype, name, _concrete=concrete)
    t.__dict__["_keras_history"], mask = state
    if mask is not None:
        t.__dict__["_keras_mask"] = mask
    return t


def is_keras_tensor(x: Any) -> bool:
    """True for a symbolic `KerasTensor`."""
    return type(x) is KerasTensor


def _native_calls():
    from torchkeras_lite.models import native_calls

    return native_calls
