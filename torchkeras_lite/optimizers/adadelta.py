"""Adadelta, Keras' formulation (learning_rate 0.001, rho 0.95, epsilon 1e-7)."""

from __future__ import annotations

import torch

from torchkeras_lite.optimizers import optimizer_utils as U
from torchkeras_lite.optimizers.base_optimizer import OPTIMIZERS, Optimizer


@OPTIMIZERS.register("adadelta")
class Adadelta(Optimizer):
    """Adadelta: `delta = -sqrt(acc_delta + eps) / sqrt(acc_grad + eps) * g; var += lr * delta`.

    Args:
        learning_rate: a float, a `LearningRateSchedule` or a callable.
        rho: the decay of both running averages.
        epsilon: added inside the square roots.
        **kwargs: the common optimizer arguments.

    Example:
        >>> opt = Adadelta(learning_rate=1.0)
    """

    def __init__(self, learning_rate=0.001, rho: float = 0.95, epsilon: float = 1e-7, **kwargs):
        super().__init__(learning_rate=learning_rate, **kwargs)
        self.rho = rho
        self.epsilon = epsilon

    def _slot_groups(self):
        return (("accumulated_grad", "accumulated_delta_var"),)

    def _update(self, params, grads, slots, lr, step):
        rho, eps = self.rho, self.epsilon
        acc_grad, acc_delta = slots["accumulated_grad"], slots["accumulated_delta_var"]
        torch._foreach_mul_(acc_grad, rho)
        torch._foreach_addcmul_(acc_grad, grads, grads, value=1 - rho)
        numer = torch._foreach_add(acc_delta, eps)
        torch._foreach_sqrt_(numer)
        denom = torch._foreach_add(acc_grad, eps)
        torch._foreach_sqrt_(denom)
        delta = torch._foreach_mul(numer, grads)
        torch._foreach_div_(delta, denom)
        torch._foreach_neg_(delta)
        torch._foreach_mul_(acc_delta, rho)
        torch._foreach_addcmul_(acc_delta, delta, delta, value=1 - rho)
        U.add_scaled_(params, delta, lr)

    def get_config(self):
        config = super().get_config()
        config.update(rho=self.rho, epsilon=self.epsilon)
        return config
