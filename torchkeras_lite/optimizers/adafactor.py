"""Adafactor (Shazeer & Stern, 2018): factored second moments for variables of rank >= 2."""

from __future__ import annotations

import math

import torch

from torchkeras_lite.optimizers import optimizer_utils as U
from torchkeras_lite.optimizers.base_optimizer import OPTIMIZERS, Optimizer


@OPTIMIZERS.register("adafactor")
class Adafactor(Optimizer):
    """Adafactor, as in Keras: the last two dimensions of each variable of rank >= 2 are factored.

    With `t` the 1-based step: `beta_2_t = 1 - t^beta_2_decay`, `rho_t = min(lr, 1/sqrt(t))`,
    `alpha_t = max(epsilon_2, rms(var)) * rho_t`; the second moment `v` is `r c / mean(r)` for a
    factored variable; `u = g / sqrt(v)` is clipped to `rms(u) <= clip_threshold`;
    `var -= alpha_t * u`.

    Args:
        learning_rate: a float, a `LearningRateSchedule` or a callable.
        beta_2_decay: the decay exponent of `beta_2`.
        epsilon_1: added to the squared gradients.
        epsilon_2: the floor of the variable's RMS in the step size.
        clip_threshold: the RMS threshold of the update.
        relative_step: kept for Keras compatibility (the step size is always capped by `1/sqrt(t)`).
        **kwargs: the common optimizer arguments.

    Example:
        >>> opt = Adafactor(learning_rate=1e-2)
    """

    def __init__(
        self,
        learning_rate=0.001,
        beta_2_decay: float = -0.8,
        epsilon_1: float = 1e-30,
        epsilon_2: float = 1e-3,
        clip_threshold: float = 1.0,
        relative_step: bool = True,
        **kwargs,
    ):
        super().__init__(learning_rate=learning_rate, **kwargs)
        self.beta_2_decay = beta_2_decay
        self.epsilon_1, self.epsilon_2 = epsilon_1, epsilon_2
        self.clip_threshold = clip_threshold
        self.relative_step = relative_step

    def _slot_groups(self):
        return (("r", "c", "velocity"),)

    def _create_slots(self, param):
        def zeros(shape):
            return torch.zeros(shape, dtype=param.dtype, device=param.device)

        if param.dim() < 2:
            r, c = zeros(()), zeros(())
        else:
            r, c = zeros(param.shape[:-1]), zeros(param.shape[:-2] + param.shape[-1:])
        return {
            "r": r,
            "c": c,
            "velocity": torch.zeros_like(param, memory_format=torch.preserve_format),
        }

    def _update(self, params, grads, slots, lr, step):
        beta = 1.0 - step**self.beta_2_decay
        rho = U.minimum(lr, 1.0 / math.sqrt(step))
        alpha = torch._foreach_maximum(U.rms(params), self.epsilon_2)
        torch._foreach_mul_(alpha, rho)
        squares = torch._foreach_mul(grads, grads)
        torch._foreach_add_(squares, self.epsilon_1)
        velocities = slots["velocity"]
        flat = [i for i, p in enumerate(params) if p.dim() < 2]
        for i, p in enumerate(params):
            if p.dim() >= 2:
                r, c, sq = slots["r"][i], slots["c"][i], squares[i]
                r.mul_(beta).add_(sq.mean(dim=-1), alpha=1 - beta)
                c.mul_(beta).add_(sq.mean(dim=-2), alpha=1 - beta)
                velocities[i].copy_(
                    (r / r.mean(dim=-1, keepdim=True)).unsqueeze(-1) * c.unsqueeze(-2)
                )
        if flat:
            flat_v = [velocities[i] for i in flat]
            U.ema_(flat_v, [squares[i] for i in flat], beta)
        updates = torch._foreach_div(grads, torch._foreach_sqrt(velocities))
        limits = torch._foreach_div(U.rms(updates), self.clip_threshold)
        torch._foreach_clamp_min_(limits, 1.0)
        torch._foreach_div_(updates, limits)
        torch._foreach_mul_(updates, alpha)
        torch._foreach_sub_(params, updates)

    def get_config(self):
        config = super().get_config()
        config.update(
            beta_2_decay=self.beta_2_decay,
            epsilon_1=self.epsilon_1,
            epsilon_2=self.epsilon_2,
            clip_threshold=self.clip_threshold,
            relative_step=self.relative_step,
        )
        return config
