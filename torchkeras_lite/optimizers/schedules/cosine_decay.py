"""Cosine learning rate schedules: `CosineDecay` (with optional warmup) and `CosineDecayRestarts`."""

from __future__ import annotations

import math

import torch

from torchkeras_lite.optimizers.schedules.learning_rate_schedule import (
    SCHEDULES,
    LearningRateSchedule,
    Step,
    _as_float_step,
    _check_decay_steps,
    _cos,
    _floor,
    _log,
    _minimum,
)


@SCHEDULES.register()
class CosineDecay(LearningRateSchedule):
    """An optional linear warmup to `warmup_target`, then a cosine decay to `alpha` times the peak.

    Args:
        initial_learning_rate: the learning rate at step 0.
        decay_steps: the number of steps of the cosine decay (> 0).
        alpha: the final learning rate, as a fraction of the peak.
        name: a name for the schedule.
        warmup_target: the peak reached after the warmup; None skips the warmup.
        warmup_steps: the number of warmup steps.

    Example:
        >>> CosineDecay(0.0, decay_steps=10, warmup_target=0.1, warmup_steps=10)(5)
        0.05
    """

    def __init__(
        self,
        initial_learning_rate: float,
        decay_steps: int,
        alpha: float = 0.0,
        name: str = "CosineDecay",
        warmup_target: float | None = None,
        warmup_steps: int = 0,
    ):
        _check_decay_steps(decay_steps)
        self.initial_learning_rate = initial_learning_rate
        self.decay_steps = decay_steps
        self.alpha = alpha
        self.name = name
        self.warmup_target = warmup_target
        self.warmup_steps = warmup_steps

    def _decay(self, step, peak: float):
        cosine = 0.5 * (1.0 + _cos(math.pi * (step / self.decay_steps)))
        return peak * ((1 - self.alpha) * cosine + self.alpha)

    def __call__(self, step: Step):
        step = _as_float_step(step)
        if self.warmup_target is None:
            return self._decay(_minimum(step, float(self.decay_steps)), self.initial_learning_rate)
        step = _minimum(step, float(self.decay_steps + self.warmup_steps))
        delta = self.warmup_target - self.initial_learning_rate
        warmup_steps = max(float(self.warmup_steps), 1e-30)
        warm = delta * (step / warmup_steps) + self.initial_learning_rate
        decayed = self._decay(step - self.warmup_steps, self.warmup_target)
        if isinstance(step, torch.Tensor):
            return torch.where(step < self.warmup_steps, warm, decayed)
        return warm if step < self.warmup_steps else decayed


@SCHEDULES.register()
class CosineDecayRestarts(LearningRateSchedule):
    """Cosine decay with warm restarts (SGDR): each period is `t_mul` times longer, `m_mul` times lower.

    Args:
        initial_learning_rate: the learning rate at step 0.
        first_decay_steps: the length of the first period (> 0).
        t_mul: the factor on each period's length.
        m_mul: the factor on each period's initial learning rate.
        alpha: the minimum learning rate, as a fraction of `initial_learning_rate`.
        name: a name for the schedule.

    Example:
        >>> CosineDecayRestarts(0.1, first_decay_steps=10)(10)
        0.1
    """

    def __init__(
        self,
        initial_learning_rate: float,
        first_decay_steps: int,
        t_mul: float = 2.0,
        m_mul: float = 1.0,
        alpha: float = 0.0,
        name: str = "SGDRDecay",
    ):
        _check_decay_steps(first_decay_steps, "first_decay_steps")
        self.initial_learning_rate = initial_learning_rate
        self.first_decay_steps = first_decay_steps
        self.t_mul = t_mul
        self.m_mul = m_mul
        self.alpha = alpha
        self.name = name

    def __call__(self, step: Step):
        fraction = _as_float_step(step) / self.first_decay_steps
        t_mul = float(self.t_mul)
        if t_mul == 1.0:
            restart = _floor(fraction)
            fraction = fraction - restart
        else:
            restart = _floor(_log(1.0 - fraction * (1.0 - t_mul)) / math.log(t_mul))
            done = (1.0 - t_mul**restart) / (1.0 - t_mul)
            fraction = (fraction - done) / t_mul**restart
        cosine = 0.5 * self.m_mul**restart * (1.0 + _cos(math.pi * fraction))
        return self.initial_learning_rate * ((1 - self.alpha) * cosine + self.alpha)
