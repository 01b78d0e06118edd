"""RMSprop, with Keras' epsilon inside the square root and optional centering and momentum."""

from __future__ import annotations

import torch

from torchkeras_lite.optimizers import optimizer_utils as U
from torchkeras_lite.optimizers.base_optimizer import OPTIMIZERS, Optimizer


@OPTIMIZERS.register("rmsprop")
class RMSprop(Optimizer):
    """RMSprop: `v = rho * v + (1 - rho) * g^2; var -= lr * g / sqrt(v + epsilon)`.

    Centered, the denominator is `sqrt(v - mean_g^2 + epsilon)`; with momentum,
    `m = momentum * m + lr * g / denominator; var -= m`.

    Args:
        learning_rate: a float, a `LearningRateSchedule` or a callable.
        rho: the decay of the squared-gradient average.
        momentum: the momentum (0 for none).
        epsilon: added inside the square root.
        centered: normalise by the estimated variance instead of the second moment.
        **kwargs: the common optimizer arguments.

    Example:
        >>> opt = RMSprop(learning_rate=1e-3, centered=True)
    """

    def __init__(
        self,
        learning_rate=0.001,
        rho: float = 0.9,
        momentum: float = 0.0,
        epsilon: float = 1e-7,
        centered: bool = False,
        **kwargs,
    ):
        super().__init__(learning_rate=learning_rate, **kwargs)
        self.rho, self.momentum = rho, momentum
        self.epsilon, self.centered = epsilon, centered

    def _slot_groups(self):
        groups = [("velocity",)]
        if self.momentum > 0:
            groups.append(("momentum",))
        if self.centered:
            groups.append(("average_gradient",))
        return tuple(groups)

    def _update(self, params, grads, slots, lr, step):
        rho = self.rho
        v = slots["velocity"]
        torch._foreach_mul_(v, rho)
        torch._foreach_addcmul_(v, grads, grads, value=1 - rho)
        denom = torch._foreach_add(v, self.epsilon)
        if self.centered:
            avg = slots["average_gradient"]
            torch._foreach_mul_(avg, rho)
            torch._foreach_add_(avg, grads, alpha=1 - rho)
            torch._foreach_addcmul_(denom, avg, avg, value=-1)
        torch._foreach_sqrt_(denom)
        if self.momentum > 0:
            m = slots["momentum"]
            torch._foreach_mul_(m, self.momentum)
            if isinstance(lr, torch.Tensor):
                torch._foreach_add_(m, torch._foreach_mul(torch._foreach_div(grads, denom), lr))
            else:
                torch._foreach_addcdiv_(m, grads, denom, value=lr)
            torch._foreach_sub_(params, m)
        else:
            U.add_scaled_div_(params, grads, denom, -lr)

    def get_config(self):
        config = super().get_config()
        config.update(
            rho=self.rho, momentum=self.momentum, epsilon=self.epsilon, centered=self.centered
        )
        return config
