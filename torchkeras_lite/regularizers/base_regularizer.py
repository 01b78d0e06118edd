"""The `Regularizer` base class, the family's registry and argument validation."""

from __future__ import annotations

import math
from typing import Any

import torch

from torchkeras_lite.saving.registry import Registry

REGISTRY = Registry("regularizer")


def validate_float_arg(value: Any, name: str) -> float:
    """`value` as a float; a ValueError unless it is a finite, non-negative number."""
    if (
        isinstance(value, bool)
        or not isinstance(value, (int, float))
        or math.isinf(value)
        or math.isnan(value)
        or value < 0
    ):
        raise ValueError(
            f"Invalid value for argument {name}: expected a non-negative float. "
            f"Received: {name}={value!r}"
        )
    return float(value)


@REGISTRY.register("Regularizer", "regularizer")
class Regularizer:
    """Base class of weight and activity penalties: a callable `(x) -> 0-d tensor`.

    Layers add the penalty of each regularized weight (and of their outputs, for
    `activity_regularizer`) to the training loss. The base class penalizes nothing. Subclasses
    implement `__call__` and, when they have constructor arguments, `get_config`.

    Example:
        >>> class L2Half(Regularizer):
        ...     def __call__(self, x):
        ...         return 0.5 * torch.sum(torch.square(x))
        >>> L2Half()(torch.ones(2, 2))
        tensor(2.)
    """

    def __call__(self, x: torch.Tensor) -> torch.Tensor:
        """The penalty for `x`, a 0-d tensor of `x`'s dtype and device."""
        return torch.zeros((), dtype=x.dtype, device=x.device)

    def get_config(self) -> dict:
        """The constructor arguments, as a JSON-ready dict."""
        return {}

    @classmethod
    def from_config(cls, config: dict) -> Regularizer:
        """Rebuilds a regularizer from the output of `get_config`."""
        return cls(**config)

    def __repr__(self) -> str:
        args = ", ".join(f"{k}={v!r}" for k, v in self.get_config().items())
        return f"{type(self).__name__}({args})"
