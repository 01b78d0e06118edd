"""The `keras.backend` functions ported code touches: session reset, KerasTensor checks, dtypes.

The dtype functions follow Keras' promotion rules (`torchkeras_lite.ops.dtype_rules`), imported
when first called: `ops` itself builds on this package.
"""

from __future__ import annotations

import collections
import gc
from typing import Any

import torch

_UIDS: collections.Counter[str] = collections.Counter()


def clear_session(free_memory: bool = True) -> None:
    """Resets the layer-name counters (`dense`, `dense_1`, ... start again) and `get_uid`.

    Args:
        free_memory: also run the garbage collector and release cached CUDA memory.
    """
    from torchkeras_lite.utils import naming  # utils builds on the backend

    naming.reset_names()
    _UIDS.clear()
    if free_memory:
        gc.collect()
        if torch.cuda.is_available():
            torch.cuda.empty_cache()


def get_uid(prefix: str = "") -> int:
    """1, 2, 3, ... per `prefix`, counting calls since the last `clear_session()`."""
    _UIDS[prefix] += 1
    return _UIDS[prefix]


def is_keras_tensor(x: Any) -> bool:
    """Whether `x` is a symbolic tensor of the functional API (a `KerasTensor`)."""
    from torchkeras_lite.models.keras_tensor import KerasTensor

    return isinstance(x, KerasTensor)


def result_type(*dtypes: Any) -> str:
    """The dtype Keras gives an operation on `dtypes` (`int`/`float` stand for Python scalars)."""
    from torchkeras_lite.ops import dtype_rules

    return dtype_rules.result_type(*dtypes)


def standardize_dtype(dtype: Any) -> str:
    """The Keras name of a dtype (`torch.float32` -> `"float32"`; None -> `floatx()`)."""
    from torchkeras_lite.ops import dtype_rules

    return dtype_rules.standardize_dtype(dtype)


def is_float_dtype(dtype: Any) -> bool:
    """Whether `dtype` is a floating point type."""
    from torchkeras_lite.ops import dtype_rules

    return dtype_rules.is_float_dtype(dtype)


def is_int_dtype(dtype: Any) -> bool:
    """Whether `dtype` is an integer type."""
    from torchkeras_lite.ops import dtype_rules

    return dtype_rules.is_int_dtype(dtype)
