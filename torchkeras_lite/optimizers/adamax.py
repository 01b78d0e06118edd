"""Adamax: Adam with the infinity norm."""

from __future__ import annotations

import torch

from torchkeras_lite.optimizers import optimizer_utils as U
from torchkeras_lite.optimizers.base_optimizer import OPTIMIZERS, Optimizer


@OPTIMIZERS.register("adamax")
class Adamax(Optimizer):
    """Adamax: `u = max(b2 * u, |g|); var -= lr * m / ((u + epsilon) * (1 - b1^t))`.

    Args:
        learning_rate: a float, a `LearningRateSchedule` or a callable.
        beta_1: the decay of the first moment.
        beta_2: the decay of the infinity norm.
        epsilon: added to the norm.
        **kwargs: the common optimizer arguments.

    Example:
        >>> opt = Adamax(learning_rate=2e-3)
    """

    def __init__(
        self,
        learning_rate=0.001,
        beta_1: float = 0.9,
        beta_2: float = 0.999,
        epsilon: float = 1e-7,
        **kwargs,
    ):
        super().__init__(learning_rate=learning_rate, **kwargs)
        self.beta_1, self.beta_2 = beta_1, beta_2
        self.epsilon = epsilon

    def _slot_groups(self):
        return (("momentum", "norm"),)

    def _update(self, params, grads, slots, lr, step):
        m, u = slots["momentum"], slots["norm"]
        torch._foreach_mul_(m, self.beta_1)
        torch._foreach_add_(m, grads, alpha=1 - self.beta_1)
        torch._foreach_mul_(u, self.beta_2)
        torch._foreach_maximum_(u, torch._foreach_abs(grads))
        denom = torch._foreach_add(u, self.epsilon)
        torch._foreach_mul_(denom, 1 - self.beta_1**step)
        U.add_scaled_div_(params, m, denom, -lr)

    def get_config(self):
        config = super().get_config()
        config.update(beta_1=self.beta_1, beta_2=self.beta_2, epsilon=self.epsilon)
        return config
