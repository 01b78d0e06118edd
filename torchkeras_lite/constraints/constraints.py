"""Weight constraints: `MaxNorm`, `MinMaxNorm`, `NonNeg`, `UnitNorm`."""

from __future__ import annotations

import torch

from torchkeras_lite.backend import config
from torchkeras_lite.constraints.base_constraint import (
    REGISTRY,
    Axis,
    Constraint,
    l2_norms,
    validate_axis,
)


def _check_non_negative(value: float, name: str) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or value < 0:
        raise ValueError(f"`{name}` must be a non-negative number. Received: {name}={value!r}")
    return value


@REGISTRY.register("MaxNorm", "max_norm")
class MaxNorm(Constraint):
    """Rescales each slice whose L2 norm exceeds `max_value` down to that norm.

    Norms are taken over `axis`: for a Dense kernel `(input_dim, units)`, `axis=0` constrains the
    weight vector of each unit; for a Conv2D kernel `(kh, kw, in, out)` use `axis=[0, 1, 2]`.

    Args:
        max_value: the largest allowed norm.
        axis: the axis (or list of axes) the norms are computed over.

    Example:
        >>> MaxNorm(max_value=1.0)(torch.tensor([[3.0], [4.0]])).flatten()
        tensor([0.6000, 0.8000])
    """

    def __init__(self, max_value: float = 2, axis: Axis = 0):
        self.max_value = _check_non_negative(max_value, "max_value")
        self.axis = validate_axis(axis)

    def __call__(self, w: torch.Tensor) -> torch.Tensor:
        norms = l2_norms(w, self.axis)
        desired = torch.clamp(norms, 0, self.max_value)
        return w * (desired / (config.epsilon() + norms))

    def get_config(self) -> dict:
        return {"max_value": self.max_value, "axis": self.axis}


@REGISTRY.register("MinMaxNorm", "min_max_norm")
class MinMaxNorm(Constraint):
    """Moves the L2 norm of each slice into `[min_value, max_value]`.

    The new norm is `rate * clip(norm, min_value, max_value) + (1 - rate) * norm`: `rate=1`
    enforces the bounds at once, smaller rates move towards them step by step.

    Args:
        min_value: the smallest allowed norm.
        max_value: the largest allowed norm.
        rate: how far each application moves towards the bounds, in `[0, 1]`.
        axis: the axis (or list of axes) the norms are computed over.

    Example:
        >>> MinMaxNorm(min_value=1.0, max_value=2.0)(torch.tensor([[0.3], [0.4]])).flatten()
        tensor([0.6000, 0.8000])
    """

    def __init__(
        self, min_value: float = 0.0, max_value: float = 1.0, rate: float = 1.0, axis: Axis = 0
    ):
        self.min_value = _check_non_negative(min_value, "min_value")
        self.max_value = _check_non_negative(max_value, "max_value")
        if min_value > max_value:
            raise ValueError(
                "`min_value` must not exceed `max_value`. "
                f"Received: min_value={min_value!r}, max_value={max_value!r}"
            )
        if isinstance(rate, bool) or not isinstance(rate, (int, float)) or not 0 <= rate <= 1:
            raise ValueError(f"`rate` must be a number in [0, 1]. Received: rate={rate!r}")
        self.rate = rate
        self.axis = validate_axis(axis)

    def __call__(self, w: torch.Tensor) -> torch.Tensor:
        norms = l2_norms(w, self.axis)
        desired = (
            self.rate * torch.clamp(norms, self.min_value, self.max_value) + (1 - self.rate) * norms
        )
        return w * (desired / (config.epsilon() + norms))

    def get_config(self) -> dict:
        return {
            "min_value": self.min_value,
            "max_value": self.max_value,
            "rate": self.rate,
            "axis": self.axis,
        }


@REGISTRY.register("NonNeg", "non_neg")
class NonNeg(Constraint):
    """Sets negative weights to 0.

    Example:
        >>> NonNeg()(torch.tensor([-1.0, 2.0]))
        tensor([0., 2.])
    """

    def __call__(self, w: torch.Tensor) -> torch.Tensor:
        return torch.clamp(w, min=0)


@REGISTRY.register("UnitNorm", "unit_norm")
class UnitNorm(Constraint):
    """Rescales each slice to unit L2 norm.

    Args:
        axis: the axis (or list of axes) the norms are computed over.

    Example:
        >>> UnitNorm()(torch.tensor([[3.0], [4.0]])).flatten()
        tensor([0.6000, 0.8000])
    """

    def __init__(self, axis: Axis = 0):
        self.axis = validate_axis(axis)

    def __call__(self, w: torch.Tensor) -> torch.Tensor:
        return w / (config.epsilon() + l2_norms(w, self.axis))

    def get_config(self) -> dict:
        return {"axis": self.axis}
