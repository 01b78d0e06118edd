"""Shared plumbing of the preprocessing layers: input conversion and argument checks."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import torch

from torchkeras_lite.backend import dtypes
from torchkeras_lite.layers.layer import Layer

_ARRAY_LIKE = (list, tuple, np.ndarray, np.generic, int, float, bool)


def to_tensor(x: Any, dtype: torch.dtype | None = None) -> torch.Tensor:
    """Converts an array-like (list, scalar, numpy array) to a tensor; float64 becomes floatx."""
    if isinstance(x, torch.Tensor):
        return x if dtype is None or x.dtype == dtype else x.to(dtype)
    arr = np.asarray(x)
    if arr.dtype.kind in "USO":
        raise TypeError(
            "Expected numeric inputs, but received strings or objects. "
            f"Received: inputs with dtype={arr.dtype}"
        )
    t = torch.from_numpy(np.ascontiguousarray(arr))
    if dtype is not None:
        return t.to(dtype)
    if t.dtype == torch.float64:
        return t.to(dtypes.to_torch_dtype(None))
    return t


class StringArray:
    """A numpy array of Python strings, carried through `Layer.__call__` untouched.

    Tensors cannot hold strings, so layers that accept them (StringLookup, Hashing) wrap string
    inputs in this before the call and look them up in Python inside `call`.
    """

    __slots__ = ("array",)

    def __init__(self, array: np.ndarray):
        self.array = array

    @property
    def shape(self) -> tuple[int, ...]:
        return self.array.shape


def is_string_like(x: Any) -> bool:
    """Whether `x` is a str/bytes, or an array-like of them."""
    if isinstance(x, (str, bytes)):
        return True
    if isinstance(x, np.ndarray):
        return x.dtype.kind in "USO"
    if isinstance(x, (list, tuple)):
        while isinstance(x, (list, tuple)) and x:
            x = x[0]
        return isinstance(x, (str, bytes))
    return False


def to_string_array(x: Any, encoding: str = "utf-8") -> np.ndarray:
    """An object array of `str` (bytes decoded with `encoding`) with the shape of `x`."""
    arr = np.asarray(x, dtype=object)
    flat = [v.decode(encoding) if isinstance(v, bytes) else str(v) for v in arr.reshape(-1)]
    out = np.empty(len(flat), dtype=object)
    out[:] = flat
    return out.reshape(arr.shape)


def strip_targets(batch: Any) -> Any:
    """The inputs of a batch from a data pipeline: `x` of `(x, y)` / `(x, y, w)`, else the batch.

    A tuple is always read as `(x, ...)`; a list only when its later items are tensors or arrays
    (a DataLoader's collated `[x, y]`), so a list of token rows stays one batch.
    """
    if not isinstance(batch, (tuple, list)) or not 1 <= len(batch) <= 3:
        return batch
    if isinstance(batch[0], (str, bytes, int, float)):
        return batch
    if isinstance(batch, tuple):
        return batch[0]
    rest = batch[1:]
    if rest and all(isinstance(b, (torch.Tensor, np.ndarray)) for b in rest):
        return batch[0]
    return batch


def is_numeric_list(x: Any) -> bool:
    """A (nested) list of numbers, i.e. one array rather than a list of batches."""
    while isinstance(x, list) and x:
        x = x[0]
    return isinstance(x, (int, float)) and not isinstance(x, bool)


def validate_string_arg(value: Any, allowed: Sequence[str], caller: str, arg_name: str) -> None:
    """Raises Keras' error for a string argument outside `allowed`."""
    if value not in allowed:
        raise ValueError(
            f"Unknown value for `{arg_name}` argument of {caller}. Allowed values are: "
            f"{tuple(allowed)}. Received: {arg_name}={value!r}"
        )


def check_sparse(sparse: Any) -> None:
    """`sparse=True` needs sparse tensors, which Keras only offers on TensorFlow."""
    if sparse:
        raise ValueError(
            "`sparse=True` cannot be used with backend torch (no sparse outputs). "
            f"Received: sparse={sparse}"
        )


def check_seed(seed: Any) -> None:
    """Raises a Keras-style ValueError unless `seed` is None or an int."""
    if seed is not None and (not isinstance(seed, int) or isinstance(seed, bool)):
        raise ValueError(f"Argument `seed` must be an integer or None. Received: seed={seed!r}")


class PreprocessingLayer(Layer):
    """A Layer whose first input may be a list, scalar or numpy array (converted to a tensor).

    Subclasses that accept strings override `_convert_inputs`.
    """

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        if args and isinstance(args[0], _ARRAY_LIKE):
            args = (self._convert_inputs(args[0]), *args[1:])
        return super().__call__(*args, **kwargs)

    def _convert_inputs(self, inputs: Any) -> Any:
        return to_tensor(inputs)
