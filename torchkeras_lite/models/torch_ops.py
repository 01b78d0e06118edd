"""Torch functions, tensor methods and operators applied to KerasTensors, recorded as graph nodes.

`KerasTensor.__torch_function__` sends every call here. Metadata reads (`dtype`, `ndim`, ...) answer
directly; `size()` answers with `None` for unknown dimensions; value conversions (`bool`, `.item()`)
raise; augmented assignments (`x += y`) become their out-of-place op; other in-place ops raise. The
rest is run on meta (or fake) tensors with two placeholder sizes to infer the output spec and
recorded as a `TorchOp` node, lowered later to an fx `call_function`/`call_method`.
"""

from __future__ import annotations

import importlib
import operator
from typing import Any

import torch

from torchkeras_lite.models import native_calls, shape_inference, tree
from torchkeras_lite.models.keras_tensor import PLACEHOLDER_SIZES, KerasTensor
from torchkeras_lite.models.node import Node, get_node_attribute
from torchkeras_lite.utils import naming

_TENSOR_PROPERTIES = frozenset({"T", "mT", "H", "mH", "real", "imag"})
_VALUE_CONVERSIONS = frozenset(
    {
        "__bool__",
        "__int__",
        "__float__",
        "__index__",
        "__complex__",
        "item",
        "tolist",
        "numpy",
        "__array__",
        "__iter__",
        "__len__",
        "data_ptr",
        "storage",
        "untyped_storage",
        "__reduce_ex__",
    }
)
_AUGMENTED = {
    "add_": "add", "sub_": "sub", "mul_": "mul", "div_": "div", "true_divide_": "true_divide",
    "floor_divide_": "floor_divide", "remainder_": "remainder", "pow_": "pow",
    "bitwise_and_": "bitwise_and", "bitwise_or_": "bitwise_or", "bitwise_xor_": "bitwise_xor",
    "__iadd__": "__add__", "__isub__": "__sub__", "__imul__": "__mul__", "__itruediv__": "__truediv__",
    "__ifloordiv__": "__floordiv__", "__imod__": "__mod__", "__ipow__": "__pow__", "__iand__": "__and__",
    "__ior__": "__or__", "__ixor__": "__xor__", "__ilshift__": "__lshift__", "__irshift__": "__rshift__",
}  # fmt: skip
_NAME_OVERRIDE: list[str] = []  # names to give the next recorded ops (used by `from_config`)


def _is_method(func: Any) -> bool:
    owner = getattr(func, "__objclass__", None)
    if owner is torch._C.TensorBase or owner is torch.Tensor:
        return True
    qualname = getattr(func, "__qualname__", "") or ""
    return qualname.split(".")[0] in ("Tensor", "TensorBase") and hasattr(
        torch.Tensor, func.__name__
    )


def describe_func(func: Any) -> tuple[str, Any]:
    """`(kind, target)`: `("call_method", name)`, `("getattr", attr)` or `("call_function", fn)`."""
    name = getattr(func, "__name__", "")
    if name == "__get__" and hasattr(getattr(func, "__self__", None), "__objclass__"):
        return "getattr", func.__self__.__name__
    if name == "__getitem__" and _is_method(func):
        return "call_function", operator.getitem
    if _is_method(func):
        return "call_method", name
    return "call_function", func


class TorchOp:
    """A recorded torch function, tensor method or operator: one per call, like Keras' operations.

    Args:
        kind: `"call_function"`, `"call_method"` or `"getattr"` (a tensor property such as `.T`).
        target: the function, or the method/property name.
        name: the op's name in the graph (default: from the target, made unique).
    """

    def __init__(self, kind: str, target: Any, name: str | None = None):
        self.kind = kind
        self.target = target
        short = target if isinstance(target, str) else getattr(target, "__name__", "op")
        if name is None and _NAME_OVERRIDE:
            name = _NAME_OVERRIDE.pop()
        self.name = name or naming.uniquify(naming.to_snake_case(short.strip("_") or "op"))
        self._inbound_nodes: list[Node] = []

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        if self.kind == "call_method":
            return getattr(args[0], self.target)(*args[1:], **kwargs)
        if self.kind == "getattr":
            return getattr(args[0], self.target)
        return self.target(*args, **kwargs)

    @property
    def input(self) -> Any:
        return get_node_attribute(self, 0, "input", "input")

    @property
    def output(self) -> Any:
        return get_node_attribute(self, 0, "output", "output")

    def __repr__(self) -> str:
        return f"<TorchOp name={self.name} target={self.target if isinstance(self.target, str) else getattr(self.target, '__name__', self.target)}>"


def _kts(x: Any) -> list[KerasTensor]:
    return [t for t in tree.flatten(x) if type(t) is KerasTensor]


def _has_real_tensor(x: Any) -> bool:
    return any(isinstance(t, torch.Tensor) and type(t) is not KerasTensor for t in tree.flatten(x))


def run(func: Any, args: tuple, kwargs: dict, size: int | None, what: str) -> Any:
    """Runs `func` with its KerasTensors replaced by meta tensors (fake ones when real tensors mix in)."""
    if _has_real_tensor((args, kwargs)):
        return shape_inference.fake_call(func, args, kwargs, size, what)
    try:
        margs, mkwargs = tree.map_structure(
            lambda a: a.spec_tensor(size) if type(a) is KerasTensor else a, (args, kwargs)
        )
        return func(*margs, **mkwargs)
    except Exception as e:
        note = f" (None dimensions set to {size})" if size is not None else ""
        shape_inference.reraise_with_context(
            e,
            f"Exception encountered when calling {what} on symbolic inputs of shape "
            f"{shape_inference.shapes_text(args, kwargs)}{note}: ",
        )


def _merge_values(a: Any, b: Any) -> Any:
    """A non-tensor result of two runs: kept where equal, None where it depends on the batch size."""
    if isinstance(a, (tuple, list)) and isinstance(b, (tuple, list)) and len(a) == len(b):
        merged = [_merge_values(x, y) for x, y in zip(a, b)]
        return merged if isinstance(a, list) else tuple(merged)
    return a if a == b else None


def _size(args: tuple, kwargs: dict, internal: bool) -> Any:
    x = args[0]
    d = x.__dict__
    shape = torch.Size(d["_concrete"]) if internal else d["_keras_shape"]
    dim = args[1] if len(args) > 1 else kwargs.get("dim")
    return shape if dim is None else shape[dim]


def handle(func: Any, args: tuple, kwargs: dict) -> Any:
    """`KerasTensor.__torch_function__`: answer, run internally, or record a node."""
    kind, target = describe_func(func)
    if kind == "getattr" and target not in _TENSOR_PROPERTIES:
        with torch._C.DisableTorchFunctionSubclass():
            return func(*args)
    name = target if isinstance(target, str) else getattr(func, "__name__", "")
    pending = native_calls.pending_call()
    if kind == "call_method":
        if name == "size":
            return _size(args, kwargs, pending is not None)
        if name in _VALUE_CONVERSIONS:
            raise TypeError(
                f"A KerasTensor is symbolic: it has no value, so `{name}` cannot be applied to it. Use "
                "it inside a Layer's `call()` (which runs on real tensors) instead. "
                f"Received: {args[0]!r}"
            )
        inplace = (
            (name.endswith("_") and not name.startswith("__"))
            or name in ("__setitem__", "__delitem__")
            or name in _AUGMENTED
        )
        if inplace:
            if pending is not None:  # inside a native module: shapes do not change
                return args[0] if name not in ("__setitem__", "__delitem__") else None
            if name in _AUGMENTED and type(args[0]) is KerasTensor:
                func, target = getattr(torch.Tensor, _AUGMENTED[name]), _AUGMENTED[name]
            else:
                raise ValueError(
                    f"In-place operation `{name}` is not supported on KerasTensors: symbolic tensors "
                    f"are immutable. Use the out-of-place version instead. Received: {args[0]!r}"
                )
    what = f"`{_readable(kind, target)}`"
    if pending is not None:
        what = f"{what} (inside {type(pending.module).__name__}.forward())"
        with native_calls.profiling_paused():
            return native_calls.internal(run(func, args, kwargs, None, what), pending)
    r1 = run(func, args, kwargs, PLACEHOLDER_SIZES[0], what)
    r2 = run(func, args, kwargs, PLACEHOLDER_SIZES[1], what)
    if not any(isinstance(t, torch.Tensor) for t in tree.flatten(r1)):
        return _merge_values(r1, r2)
    outputs = shape_inference.merge_specs(r1, r2, what)
    op = TorchOp(kind, target)
    Node(op, args, kwargs, outputs)
    return outputs


_FUNCTION_MODULES = ("torch", "torch.nn.functional", "torch.special", "torch.linalg", "torch.fft")
_PUBLIC_NAMES: dict[int, str] = {}


def public_name(fn: Any) -> str | None:
    """`fn`'s public qualified name (`torch.nn.functional.gelu`, `operator.add`), or None."""
    if not _PUBLIC_NAMES:
        for module_name in ("operator", "math", *reversed(_FUNCTION_MODULES)):
            for key, value in vars(importlib.import_module(module_name)).items():
                if callable(value) and not key.startswith("_"):
                    _PUBLIC_NAMES[id(value)] = f"{module_name}.{key}"
    return _PUBLIC_NAMES.get(id(fn))


def _readable(kind: str, target: Any) -> str:
    if kind != "call_function":
        return f"torch.Tensor.{target}"
    return public_name(target) or getattr(target, "__name__", repr(target))
