"""`Variable`: a `torch.nn.Parameter` with Keras' variable API (`assign`, `numpy`, `trainable`, `path`)."""

from __future__ import annotations

import copy
from typing import Any

import numpy as np
import torch

from torchkeras_lite.backend import dtypes


def _initial_value(initializer: Any, shape, dtype: torch.dtype) -> torch.Tensor:
    """Turns a value (tensor, array, number) or an initializer (name, callable) into a tensor."""
    if isinstance(initializer, str) or (
        callable(initializer) and not isinstance(initializer, torch.Tensor)
    ):
        from torchkeras_lite import initializers  # resolved late: initializers import backend

        init = initializers.get(initializer)
        if shape is None:
            raise ValueError(
                "When creating a Variable from an initializer, the `shape` argument must be "
                f"specified. Received: initializer={initializer!r} and shape={shape}"
            )
        return torch.as_tensor(init(tuple(shape), dtype=dtype)).to(dtype)
    value = torch.as_tensor(
        np.asarray(initializer) if not isinstance(initializer, torch.Tensor) else initializer
    )
    value = value.detach().clone()
    if dtype is not None and (dtype.is_floating_point or not value.dtype.is_floating_point):
        value = value.to(dtype)
    if shape is not None and tuple(value.shape) != tuple(shape):
        raise ValueError(
            f"Initial value shape {tuple(value.shape)} does not match the `shape` argument. "
            f"Received: shape={tuple(shape)}"
        )
    return value


class Variable(torch.nn.Parameter):
    """A weight: a `torch.nn.Parameter` that also speaks Keras' variable API.

    Layers make them with `add_weight`; they sit in `parameters()` and `state_dict()` under readable
    names and move with `.to()`. Non-trainable variables have `requires_grad=False`.

    Args:
        initializer: an initial value (tensor, array, number) or an initializer (name or callable
            `(shape, dtype) -> tensor`).
        shape: the shape, required with an initializer.
        dtype: the dtype (default: `keras.config.floatx()` for floats).
        trainable: whether the optimizer updates it.
        name: its name (`"kernel"`); `path` adds the owning layer (`"dense/kernel"`).

    Example:
        >>> v = keras.Variable("zeros", shape=(2, 3), name="acc", trainable=False)
        >>> v.assign_add(torch.ones(2, 3)).numpy().sum()
        6.0
    """

    def __new__(
        cls,
        initializer: Any = None,
        shape=None,
        dtype=None,
        trainable: bool = True,
        name: str | None = None,
        constraint=None,
        regularizer=None,
    ):
        if isinstance(shape, bool):  # torch internals call type(param)(data, requires_grad)
            trainable, shape = shape, None
        if initializer is None:
            initializer = torch.empty(0)
        torch_dtype = None if dtype is None else dtypes.to_torch_dtype(dtype)
        if (
            torch_dtype is None
            and (isinstance(initializer, str) or callable(initializer))
            and not isinstance(initializer, torch.Tensor)
        ):
            torch_dtype = dtypes.to_torch_dtype(None)
        if torch_dtype is None:
            probe = (
                initializer if isinstance(initializer, torch.Tensor) else np.asarray(initializer)
            )
            if isinstance(probe, np.ndarray) and probe.dtype == np.float64:
                torch_dtype = dtypes.to_torch_dtype(None)
        value = _initial_value(initializer, shape, torch_dtype)
        trainable = bool(trainable) and value.is_floating_point()
        var = torch.Tensor._make_subclass(cls, value, trainable)
        var._trainable = trainable
        var._created_trainable = trainable  # Keras orders weights by trainability at creation
        var._name = name or "variable"
        var._path = var._name
        var.constraint = constraint
        var.regularizer = regularizer
        return var

    def __init__(self, *args, **kwargs):  # everything happens in __new__
        pass

    # -- Keras' attributes -------------------------------------------------------------------------
    @property
    def name(self) -> str:
        return self._name

    @property
    def path(self) -> str:
        return self._path

    @property
    def trainable(self) -> bool:
        return self._trainable

    @trainable.setter
    def trainable(self, value: bool) -> None:
        self._trainable = bool(value)
        self.requires_grad_(bool(value))

    @property
    def value(self) -> torch.Tensor:
        return self

    @property
    def ndim(self) -> int:
        return self.dim()

    # -- updates -----------------------------------------------------------------------------------
    def _as_tensor(self, value) -> torch.Tensor:
        value = torch.as_tensor(value, dtype=self.dtype, device=self.device)
        if value.shape != self.shape and value.numel() != 1:
            raise ValueError(
                f"The shape of the value does not match the shape of variable '{self._path}'. "
                f"Expected: {tuple(self.shape)}. Received: value.shape={tuple(value.shape)}"
            )
        return value

    def assign(self, value) -> Variable:
        """Sets the value in place (no gradient is recorded)."""
        with torch.no_grad():
            self.copy_(self._as_tensor(value))
        return self

    def assign_add(self, value) -> Variable:
        with torch.no_grad():
            self.add_(self._as_tensor(value))
        return self

    def assign_sub(self, value) -> Variable:
        with torch.no_grad():
            self.sub_(self._as_tensor(value))
        return self

    def numpy(self) -> np.ndarray:
        return self.detach().cpu().numpy()

    def __array__(self, dtype=None, copy=None):
        arr = self.numpy()
        return arr.astype(dtype) if dtype is not None else arr

    # -- copies keep the Keras attributes ----------------------------------------------------------
    def _keras_state(self) -> dict:
        return {
            "_trainable": self._trainable,
            "_created_trainable": getattr(self, "_created_trainable", self._trainable),
            "_name": self._name,
            "_path": self._path,
            "constraint": self.constraint,
            "regularizer": self.regularizer,
        }

    def __deepcopy__(self, memo):
        if id(self) in memo:
            return memo[id(self)]
        data = self.detach().clone(memory_format=torch.preserve_format)
        result = torch.Tensor._make_subclass(type(self), data, self.requires_grad)
        memo[id(self)] = result
        for key, val in self._keras_state().items():
            setattr(result, key, copy.deepcopy(val, memo))
        return result

    def __repr__(self) -> str:
        return (
            f"<Variable path={self._path}, shape={tuple(self.shape)}, dtype={dtypes.dtype_name(self.dtype)}, "
            f"trainable={self._trainable}, value={self.detach().cpu().numpy()!r}>"
        )


def is_variable(x: Any) -> bool:
    return isinstance(x, Variable)
