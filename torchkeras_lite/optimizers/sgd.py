"""Stochastic gradient descent with optional (Nesterov) momentum, Keras' formulation."""

from __future__ import annotations

import numbers

import torch

from torchkeras_lite.optimizers import optimizer_utils as U
from torchkeras_lite.optimizers.base_optimizer import OPTIMIZERS, Optimizer


@OPTIMIZERS.register("sgd")
class SGD(Optimizer):
    """SGD: `m = momentum * m - lr * g; var += m` (Nesterov: `var += momentum * m - lr * g`).

    Args:
        learning_rate: a float, a `LearningRateSchedule` or a callable.
        momentum: in [0, 1]; 0 is plain gradient descent.
        nesterov: use Nesterov momentum.
        **kwargs: the common optimizer arguments.

    Example:
        >>> opt = SGD(learning_rate=0.1, momentum=0.9, nesterov=True)
    """

    def __init__(self, learning_rate=0.01, momentum: float = 0.0, nesterov: bool = False, **kwargs):
        super().__init__(learning_rate=learning_rate, **kwargs)
        if (
            isinstance(momentum, bool)
            or not isinstance(momentum, numbers.Real)
            or not 0 <= momentum <= 1
        ):
            raise ValueError(
                f"`momentum` must be a float between [0, 1]. Received: momentum={momentum!r}"
            )
        self.momentum = float(momentum)
        self.nesterov = nesterov

    def _slot_groups(self):
        return (("momentum",),) if self.momentum != 0 else ()

    def _update(self, params, grads, slots, lr, step):
        if self.momentum == 0:
            U.add_scaled_(params, grads, -lr)
            return
        m = slots["momentum"]
        torch._foreach_mul_(m, self.momentum)
        U.add_scaled_(m, grads, -lr)
        if self.nesterov:
            U.add_scaled_(params, grads, -lr)
            torch._foreach_add_(params, m, alpha=self.momentum)
        else:
            torch._foreach_add_(params, m)

    def get_config(self):
        config = super().get_config()
        config.update(momentum=self.momentum, nesterov=self.nesterov)
        return config
