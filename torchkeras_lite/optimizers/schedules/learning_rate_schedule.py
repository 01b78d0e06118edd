"""Learning rate schedules: callables `step -> learning rate`, usable as an optimizer's `learning_rate`.

Each schedule takes a Python int (and returns a Python float, touching no tensor, so an optimizer
evaluates it every step without a host sync) or an integer tensor (and returns a float32 tensor).
"""

from __future__ import annotations

import abc
import inspect
import math
from typing import Any

import torch

from torchkeras_lite.saving.registry import Registry

SCHEDULES = Registry("learning rate schedule", instantiate_classes=False)

Step = int | float | torch.Tensor


def _as_float_step(step: Step) -> float | torch.Tensor:
    if isinstance(step, torch.Tensor):
        return step.to(torch.float32)
    return float(step)


def _floor(x):
    return torch.floor(x) if isinstance(x, torch.Tensor) else float(math.floor(x))


def _ceil(x):
    return torch.ceil(x) if isinstance(x, torch.Tensor) else float(math.ceil(x))


def _cos(x):
    return torch.cos(x) if isinstance(x, torch.Tensor) else math.cos(x)


def _log(x):
    return torch.log(x) if isinstance(x, torch.Tensor) else math.log(x)


def _minimum(x, y: float):
    return torch.clamp(x, max=y) if isinstance(x, torch.Tensor) else min(x, y)


class LearningRateSchedule(abc.ABC):
    """Base class of learning rate schedules: implement `__call__(step)` (and `get_config`).

    The default `get_config` reads back every `__init__` argument from the attribute of the same
    name, so a subclass that stores its arguments under their own names is serialisable as is.

    Example:
        >>> class InverseSqrt(LearningRateSchedule):
        ...     def __init__(self, initial_learning_rate):
        ...         self.initial_learning_rate = initial_learning_rate
        ...     def __call__(self, step):
        ...         return self.initial_learning_rate / (step + 1) ** 0.5
        >>> InverseSqrt(0.1)(3)
        0.05
    """

    @abc.abstractmethod
    def __call__(self, step: Step) -> float | torch.Tensor:
        """The learning rate at `step` (the optimizer's iteration count)."""

    def get_config(self) -> dict[str, Any]:
        """The constructor arguments, read back from the attributes of the same names."""
        config = {}
        for name, param in inspect.signature(type(self).__init__).parameters.items():
            if name == "self" or param.kind in (param.VAR_POSITIONAL, param.VAR_KEYWORD):
                continue
            if not hasattr(self, name):
                raise TypeError(
                    f"Learning rate schedule '{type(self).__name__}' must override `get_config()` to "
                    f"be serializable: its argument {name!r} is not stored as an attribute. "
                    f"Received: schedule={self!r}"
                )
            config[name] = getattr(self, name)
        return config

    @classmethod
    def from_config(cls, config: dict[str, Any]) -> LearningRateSchedule:
        """Recreates the schedule from `get_config()`'s output."""
        return cls(**config)


def _check_decay_steps(value, arg: str = "decay_steps") -> None:
    if value <= 0:
        raise ValueError(f"Argument `{arg}` must be > 0. Received: {arg}={value}")


@SCHEDULES.register()
class ExponentialDecay(LearningRateSchedule):
    """`initial_learning_rate * decay_rate ** (step / decay_steps)` (integer division with `staircase`).

    Args:
        initial_learning_rate: the learning rate at step 0.
        decay_steps: the number of steps per `decay_rate` factor (> 0).
        decay_rate: the decay factor.
        staircase: decay at discrete intervals (floor of `step / decay_steps`).
        name: a name for the schedule.

    Example:
        >>> ExponentialDecay(0.1, decay_steps=10, decay_rate=0.5)(20)
        0.025
    """

    def __init__(
        self,
        initial_learning_rate: float,
        decay_steps: int,
        decay_rate: float,
        staircase: bool = False,
        name: str = "ExponentialDecay",
    ):
        _check_decay_steps(decay_steps)
        self.initial_learning_rate = initial_learning_rate
        self.decay_steps = decay_steps
        self.decay_rate = decay_rate
        self.staircase = staircase
        self.name = name

    def __call__(self, step: Step):
        p = _as_float_step(step) / self.decay_steps
        if self.staircase:
            p = _floor(p)
        return self.initial_learning_rate * self.decay_rate**p


@SCHEDULES.register()
class PiecewiseConstantDecay(LearningRateSchedule):
    """`values[0]` while `step <= boundaries[0]`, `values[i]` while `boundaries[i-1] < step <= boundaries[i]`.

    Args:
        boundaries: strictly increasing step boundaries.
        values: one more value than boundaries.
        name: a name for the schedule.

    Example:
        >>> PiecewiseConstantDecay([10, 20], [1.0, 0.5, 0.1])(15)
        0.5
    """

    def __init__(self, boundaries: list, values: list, name: str = "PiecewiseConstant"):
        if len(boundaries) != len(values) - 1:
            raise ValueError(
                "The length of boundaries should be 1 less than the length of values. Received: "
                f"boundaries={boundaries} of length {len(boundaries)}, and values={values} of "
                f"length {len(values)}."
            )
        self.boundaries = boundaries
        self.values = values
        self.name = name

    def __call__(self, step: Step):
        if isinstance(step, torch.Tensor):
            bounds = torch.as_tensor(self.boundaries, dtype=step.dtype, device=step.device)
            values = torch.as_tensor(self.values, device=step.device)
            if values.is_floating_point():
                values = values.to(torch.float32)
            return values[torch.bucketize(step, bounds, right=False)]
        for boundary, value in zip(self.boundaries, self.values):
            if step <= boundary:
                return value
        return self.values[-1]


@SCHEDULES.register()
class PolynomialDecay(LearningRateSchedule):
    """Decays from `initial_learning_rate` to `end_learning_rate` as `(1 - step / decay_steps) ** power`.

    Args:
        initial_learning_rate: the learning rate at step 0.
        decay_steps: the number of steps to decay over (> 0).
        end_learning_rate: the final learning rate.
        power: the power of the polynomial.
        cycle: restart after `decay_steps`, using the first multiple of `decay_steps` above `step`.
        name: a name for the schedule.

    Example:
        >>> PolynomialDecay(0.1, decay_steps=10, end_learning_rate=0.0)(5)
        0.05
    """

    def __init__(
        self,
        initial_learning_rate: float,
        decay_steps: int,
        end_learning_rate: float = 0.0001,
        power: float = 1.0,
        cycle: bool = False,
        name: str = "PolynomialDecay",
    ):
        _check_decay_steps(decay_steps)
        self.initial_learning_rate = initial_learning_rate
        self.decay_steps = decay_steps
        self.end_learning_rate = end_learning_rate
        self.power = power
        self.cycle = cycle
        self.name = name

    def __call__(self, step: Step):
        step = _as_float_step(step)
        decay_steps = float(self.decay_steps)
        if self.cycle:
            if isinstance(step, torch.Tensor):
                multiplier = torch.where(step == 0, 1.0, torch.ceil(step / decay_steps))
            else:
                multiplier = 1.0 if step == 0 else _ceil(step / decay_steps)
            decay_steps = decay_steps * multiplier
        else:
            step = _minimum(step, decay_steps)
        p = step / decay_steps
        delta = self.initial_learning_rate - self.end_learning_rate
        return delta * (1 - p) ** self.power + self.end_learning_rate


@SCHEDULES.register()
class InverseTimeDecay(LearningRateSchedule):
    """`initial_learning_rate / (1 + decay_rate * step / decay_steps)` (floored ratio with `staircase`).

    Args:
        initial_learning_rate: the learning rate at step 0.
        decay_steps: how often to apply the decay (> 0).
        decay_rate: the decay rate.
        staircase: decay at discrete intervals.
        name: a name for the schedule.

    Example:
        >>> InverseTimeDecay(0.1, decay_steps=1, decay_rate=0.5)(2)
        0.05
    """

    def __init__(
        self,
        initial_learning_rate: float,
        decay_steps: int,
        decay_rate: float,
        staircase: bool = False,
        name: str = "InverseTimeDecay",
    ):
        _check_decay_steps(decay_steps)
        self.initial_learning_rate = initial_learning_rate
        self.decay_steps = decay_steps
        self.decay_rate = decay_rate
        self.staircase = staircase
        self.name = name

    def __call__(self, step: Step):
        p = _as_float_step(step) / self.decay_steps
        if self.staircase:
            p = _floor(p)
        return self.initial_learning_rate / (1 + self.decay_rate * p)
