"""Deterministic initializers: `Zeros`, `Ones`, `Constant`, `Identity`."""

from __future__ import annotations

from typing import Any

import numpy as np
import torch

from torchkeras_lite.backend import dtypes
from torchkeras_lite.initializers.base_initializer import (
    REGISTRY,
    Initializer,
    ShapeLike,
    standardize_shape,
)


@REGISTRY.register("Zeros", "zeros", "zero")
class Zeros(Initializer):
    """Fills the tensor with 0 (any dtype; None means `keras.config.floatx()`).

    Example:
        >>> Zeros()((2, 3)).sum()
        tensor(0.)
    """

    def __call__(self, shape: ShapeLike, dtype: Any = None) -> torch.Tensor:
        return torch.zeros(standardize_shape(shape), dtype=dtypes.to_torch_dtype(dtype))


@REGISTRY.register("Ones", "ones", "one")
class Ones(Initializer):
    """Fills the tensor with 1 (any dtype; None means `keras.config.floatx()`).

    Example:
        >>> Ones()((2, 3)).sum()
        tensor(6.)
    """

    def __call__(self, shape: ShapeLike, dtype: Any = None) -> torch.Tensor:
        return torch.ones(standardize_shape(shape), dtype=dtypes.to_torch_dtype(dtype))


def _to_python(value: Any) -> Any:
    """A JSON-ready copy of a scalar, array or tensor value."""
    if isinstance(value, torch.Tensor):
        return value.detach().cpu().tolist()
    if isinstance(value, (np.ndarray, np.generic)):
        return value.tolist()
    return value


@REGISTRY.register("Constant", "constant")
class Constant(Initializer):
    """Fills the tensor with a constant value (a scalar, or an array broadcast to the shape).

    Args:
        value: the value, cast to the requested dtype.

    Example:
        >>> Constant(3.0)((2,))
        tensor([3., 3.])
    """

    def __init__(self, value: Any = 0.0):
        self.value = value

    def __call__(self, shape: ShapeLike, dtype: Any = None) -> torch.Tensor:
        shape = standardize_shape(shape)
        torch_dtype = dtypes.to_torch_dtype(dtype)
        value = torch.as_tensor(self.value, dtype=torch_dtype)
        try:
            return torch.broadcast_to(value, shape).clone()
        except RuntimeError:
            raise ValueError(
                f"The value of `Constant` (shape {tuple(value.shape)}) cannot be broadcast to the "
                f"requested shape. Received: shape={shape}"
            ) from None

    def get_config(self) -> dict:
        return {"value": _to_python(self.value)}


@REGISTRY.register("Identity", "identity", "IdentityInitializer")
class Identity(Initializer):
    """The identity matrix (ones on the main diagonal) times `gain`; 2D shapes only.

    Args:
        gain: factor applied to the identity matrix.

    Example:
        >>> Identity(gain=2.0)((2, 3))
        tensor([[2., 0., 0.],
                [0., 2., 0.]])
    """

    def __init__(self, gain: float = 1.0):
        self.gain = gain

    def __call__(self, shape: ShapeLike, dtype: Any = None) -> torch.Tensor:
        shape = standardize_shape(shape)
        if len(shape) != 2:
            raise ValueError(
                "Identity matrix initializer can only be used for 2D matrices. "
                f"Received: shape={shape} of rank {len(shape)}."
            )
        torch_dtype = dtypes.to_torch_dtype(dtype)
        eye = torch.eye(shape[0], shape[1], dtype=torch_dtype)
        return eye if self.gain == 1 else eye * self.gain

    def get_config(self) -> dict:
        return {"gain": self.gain}
