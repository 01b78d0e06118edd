"""Dtype names <-> torch dtypes, and Keras' dtype policies (`float32`, `mixed_bfloat16`, ...)."""

from __future__ import annotations

import numpy as np
import torch

from torchkeras_lite.backend import config

_NAME_TO_DTYPE: dict[str, torch.dtype] = {
    "float16": torch.float16,
    "half": torch.float16,
    "bfloat16": torch.bfloat16,
    "float32": torch.float32,
    "float": torch.float32,
    "float64": torch.float64,
    "double": torch.float64,
    "int8": torch.int8,
    "int16": torch.int16,
    "int32": torch.int32,
    "int64": torch.int64,
    "uint8": torch.uint8,
    "bool": torch.bool,
    "complex64": torch.complex64,
    "complex128": torch.complex128,
}
_DTYPE_TO_NAME: dict[torch.dtype, str] = {
    torch.float16: "float16",
    torch.bfloat16: "bfloat16",
    torch.float32: "float32",
    torch.float64: "float64",
    torch.int8: "int8",
    torch.int16: "int16",
    torch.int32: "int32",
    torch.int64: "int64",
    torch.uint8: "uint8",
    torch.bool: "bool",
    torch.complex64: "complex64",
    torch.complex128: "complex128",
}


def to_torch_dtype(dtype) -> torch.dtype:
    """Accepts a name (`"float32"`), a torch dtype or a numpy dtype; returns the torch dtype."""
    if dtype is None:
        return _NAME_TO_DTYPE[config.floatx()]
    if isinstance(dtype, torch.dtype):
        return dtype
    if isinstance(dtype, DTypePolicy):
        return dtype.variable_torch_dtype
    if not isinstance(dtype, str):
        try:
            dtype = np.dtype(dtype).name
        except TypeError:
            dtype = str(dtype)
    name = dtype.replace("torch.", "")
    if name not in _NAME_TO_DTYPE:
        raise ValueError(
            f"Unknown dtype. Expected one of {sorted(set(_DTYPE_TO_NAME.values()))}. Received: dtype={dtype!r}"
        )
    return _NAME_TO_DTYPE[name]


def dtype_name(dtype) -> str:
    """The Keras name of a dtype (`torch.float32` -> `"float32"`)."""
    return _DTYPE_TO_NAME[to_torch_dtype(dtype)]


def is_float(dtype: torch.dtype) -> bool:
    return dtype.is_floating_point


class DTypePolicy:
    """A dtype policy: the dtype weights are stored in and the dtype computations run in.

    Args:
        name: `"float32"`, `"float16"`, `"bfloat16"`, `"float64"`, `"mixed_float16"` or
            `"mixed_bfloat16"` (mixed: compute in low precision, weights in float32).
            None takes `keras.config.floatx()`.

    Example:
        >>> policy = DTypePolicy("mixed_bfloat16")
        >>> policy.compute_dtype, policy.variable_dtype
        ('bfloat16', 'float32')
    """

    def __init__(self, name: str | None = None):
        if name is None:
            name = config.floatx()
        if not isinstance(name, str):
            raise TypeError(f"`name` must be a string. Received: name={name!r}")
        if name.startswith("mixed_"):
            compute = name[len("mixed_") :]
            if compute not in ("float16", "bfloat16"):
                raise ValueError(
                    "Mixed precision policies are 'mixed_float16' and 'mixed_bfloat16'. "
                    f"Received: name={name!r}"
                )
            variable = "float32"
        else:
            compute = variable = dtype_name(name)
        self._name = name
        self._compute_dtype = compute
        self._variable_dtype = variable
        self.compute_torch_dtype = _NAME_TO_DTYPE[compute]
        self.variable_torch_dtype = _NAME_TO_DTYPE[variable]
        self.is_mixed = compute != variable
        self.casts_inputs = self.compute_torch_dtype is not torch.float32

    @property
    def name(self) -> str:
        return self._name

    @property
    def compute_dtype(self) -> str:
        return self._compute_dtype

    @property
    def variable_dtype(self) -> str:
        return self._variable_dtype

    def get_config(self) -> dict:
        return {"name": self._name}

    @classmethod
    def from_config(cls, config: dict) -> DTypePolicy:
        return cls(**config)

    def __eq__(self, other) -> bool:
        return isinstance(other, DTypePolicy) and other.name == self.name

    def __hash__(self) -> int:
        return hash(self._name)

    def __repr__(self) -> str:
        return f'<DTypePolicy "{self._name}">'


_GLOBAL_POLICY: DTypePolicy | None = None


def dtype_policy() -> DTypePolicy:
    """The global dtype policy (from `floatx()` unless set)."""
    return _GLOBAL_POLICY if _GLOBAL_POLICY is not None else DTypePolicy(config.floatx())


def set_dtype_policy(policy) -> None:
    """Sets the global dtype policy: a name such as `"mixed_bfloat16"` or a `DTypePolicy`."""
    global _GLOBAL_POLICY
    _GLOBAL_POLICY = get_policy(policy) if policy is not None else None


def get_policy(policy) -> DTypePolicy:
    """Resolves None, a name, a dict config, a torch dtype or a `DTypePolicy` to a `DTypePolicy`."""
    if policy is None:
        return dtype_policy()
    if isinstance(policy, DTypePolicy):
        return policy
    if isinstance(policy, dict):
        cfg = policy.get("config", policy)
        return DTypePolicy(cfg["name"])
    if isinstance(policy, torch.dtype):
        return DTypePolicy(dtype_name(policy))
    return DTypePolicy(policy)
