"""Keras' dtype promotion: the result dtype of mixing tensors and Python scalars.

Keras promotes along a lattice (the one JAX uses): `bool -> int (weak) -> uint8/int8 -> ... ->
float (weak) -> bfloat16/float16 -> float32 -> float64`. Python `int`/`float` are *weak*: they
adopt the dtype of the tensor they meet (`int8 tensor + 3 -> int8`, `float16 tensor + 0.5 ->
float16`), and a weak result resolves to 32 bits (`int32`) or `floatx()`. As in Keras on the torch
backend, a 64-bit result of `result_type` is narrowed to 32 bits.
"""

from __future__ import annotations

import functools

import numpy as np
import torch

from torchkeras_lite.backend import config

_INT_TYPES = ("uint8", "uint16", "uint32", "uint64", "int8", "int16", "int32", "int64")
_FLOAT_TYPES = ("bfloat16", "float16", "float32", "float64")
_COMPLEX_TYPES = ("complex64", "complex128")
_ALLOWED = ("bool", *_INT_TYPES, *_FLOAT_TYPES, *_COMPLEX_TYPES, "string")
_PYTHON_TYPES = {bool: "bool", int: "int32", float: "float32", complex: "complex64", str: "string"}

# Each dtype -> the dtypes directly above it on the promotion lattice.
_LATTICE: dict[str, tuple[str, ...]] = {
    "bool": ("int",),
    "int": ("uint8", "int8", "complex64"),
    "uint8": ("int16", "uint16"),
    "uint16": ("int32", "uint32"),
    "uint32": ("int64", "uint64"),
    "uint64": ("float",),
    "int8": ("int16",),
    "int16": ("int32",),
    "int32": ("int64",),
    "int64": ("float",),
    "float": ("bfloat16", "float16"),
    "bfloat16": ("float32",),
    "float16": ("float32",),
    "float32": ("float64", "complex64"),
    "float64": ("complex128",),
    "complex64": ("complex128",),
    "complex128": (),
}
_NARROW_64 = {"int64": "int32", "uint64": "uint32", "float64": "float32", "complex128": "complex64"}


def _upper_bounds() -> dict[str, frozenset[str]]:
    bounds: dict[str, frozenset[str]] = {}

    def visit(node: str) -> frozenset[str]:
        if node not in bounds:
            above = {node}
            for parent in _LATTICE[node]:
                above |= visit(parent)
            bounds[node] = frozenset(above)
        return bounds[node]

    for node in _LATTICE:
        visit(node)
    return bounds


_UPPER = _upper_bounds()


def standardize_dtype(dtype) -> str:
    """The Keras name of a dtype given as a name, a torch/numpy dtype or a Python type.

    Example:
        >>> standardize_dtype(torch.float16), standardize_dtype(int), standardize_dtype(None)
        ('float16', 'int32', 'float32')
    """
    if dtype is None:
        return config.floatx()
    if dtype in _PYTHON_TYPES:
        return _PYTHON_TYPES[dtype]
    if isinstance(dtype, torch.dtype):
        name = str(dtype).split(".")[-1]
    elif isinstance(dtype, str):
        name = {"int": "int32", "float": "float32", "double": "float64", "half": "float16"}.get(
            dtype, dtype
        )
    else:
        try:
            name = np.dtype(dtype).name
        except TypeError:
            name = getattr(dtype, "name", str(dtype))
    if name not in _ALLOWED:
        raise ValueError(f"Invalid dtype: expected one of {_ALLOWED}. Received: dtype={dtype!r}")
    return name


def is_float_dtype(dtype) -> bool:
    """Whether `dtype` is a floating point type (`bfloat16`, `float16`, `float32`, `float64`)."""
    return standardize_dtype(dtype) in _FLOAT_TYPES


def is_int_dtype(dtype) -> bool:
    """Whether `dtype` is a signed or unsigned integer type."""
    return standardize_dtype(dtype) in _INT_TYPES


@functools.lru_cache(maxsize=512)
def _least_upper_bound(*nodes: str) -> str:
    common = frozenset.intersection(*(_UPPER[n] for n in nodes))
    # The lattice has a top (complex128), so exactly one common bound lies below all the others.
    return next(c for c in common if common <= _UPPER[c])


def _weak(dtype: str) -> str:
    if dtype == "bool":
        return dtype
    return "float" if "float" in dtype else ("int" if "int" in dtype else "complex64")


def _resolve_weak(dtype: str) -> str:
    bits = config.floatx()[-2:]
    if dtype.startswith("bool"):
        return "bool"
    if dtype.startswith("u"):
        return f"uint{bits}"
    if dtype.startswith("i"):
        return f"int{bits}"
    if dtype.startswith("complex"):
        return dtype
    return f"float{bits}"


def result_type(*dtypes) -> str:
    """The dtype Keras gives to an operation on inputs of `dtypes` (names, dtypes, `int`, `float`).

    Python `int` and `float` stand for weakly typed scalars; no argument gives `floatx()`.

    Example:
        >>> result_type("int32", "float16"), result_type("int8", int), result_type("int32", float)
        ('float16', 'int8', 'float32')
    """
    if not dtypes:
        return config.floatx()
    names, weak = [], []
    for d in dtypes:
        names.append(standardize_dtype(config.floatx() if d is None else d))
        weak.append(d is int or d is float)
    if len(names) == 1:
        out, out_weak = names[0], weak[0]
    elif len(set(names)) == 1 and not all(weak):
        out, out_weak = names[0], False
    elif all(weak):
        out, out_weak = _least_upper_bound(*sorted(set(names))), True
    else:
        nodes = sorted({_weak(n) if w else n for n, w in zip(names, weak)})
        out = _least_upper_bound(*nodes)
        out_weak = out in ("int", "float")
    if out_weak and out != "bool":
        out = _resolve_weak(out)
    return _NARROW_64.get(out, out)


def scalar_kind(x) -> type | None:
    """`bool`/`int`/`float`/`complex` for a Python scalar (weakly typed in Keras), else None.

    numpy's float64 scalars subclass `float` and count as Python floats, as in Keras.
    """
    for kind in (bool, int, float, complex):
        if isinstance(x, kind):
            return kind
    return None
