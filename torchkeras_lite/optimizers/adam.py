"""Adam (Kingma & Ba), with Keras' epsilon placement and optional AMSGrad."""

from __future__ import annotations

import math

import torch

from torchkeras_lite.optimizers import optimizer_utils as U
from torchkeras_lite.optimizers.base_optimizer import OPTIMIZERS, Optimizer


@OPTIMIZERS.register("adam")
class Adam(Optimizer):
    """Adam: `var -= lr * sqrt(1 - b2^t) / (1 - b1^t) * m / (sqrt(v) + epsilon)`.

    Args:
        learning_rate: a float, a `LearningRateSchedule` or a callable.
        beta_1: the decay of the first moment `m`.
        beta_2: the decay of the second moment `v`.
        epsilon: added to `sqrt(v)` (before the bias correction is folded in, as Keras).
        amsgrad: use the running maximum of `v` (AMSGrad).
        **kwargs: the common optimizer arguments (`weight_decay`, `clipnorm`, `use_ema`, ...).

    Example:
        >>> opt = Adam(learning_rate=1e-3)
        >>> opt.apply([torch.ones(2)], [torch.nn.Parameter(torch.zeros(2))])
    """

    def __init__(
        self,
        learning_rate=0.001,
        beta_1: float = 0.9,
        beta_2: float = 0.999,
        epsilon: float = 1e-7,
        amsgrad: bool = False,
        **kwargs,
    ):
        super().__init__(learning_rate=learning_rate, **kwargs)
        self.beta_1, self.beta_2 = beta_1, beta_2
        self.epsilon = epsilon
        self.amsgrad = amsgrad

    def _slot_groups(self):
        return (("momentum", "velocity"),) + ((("velocity_hat",),) if self.amsgrad else ())

    def _update(self, params, grads, slots, lr, step):
        b1, b2 = self.beta_1, self.beta_2
        m, v = slots["momentum"], slots["velocity"]
        torch._foreach_mul_(m, b1)
        torch._foreach_add_(m, grads, alpha=1 - b1)
        torch._foreach_mul_(v, b2)
        torch._foreach_addcmul_(v, grads, grads, value=1 - b2)
        if self.amsgrad:
            torch._foreach_maximum_(slots["velocity_hat"], v)
            v = slots["velocity_hat"]
        alpha = lr * (math.sqrt(1 - b2**step) / (1 - b1**step))
        denom = torch._foreach_sqrt(v)
        torch._foreach_add_(denom, self.epsilon)
        U.add_scaled_div_(params, m, denom, -alpha)

    def get_config(self):
        config = super().get_config()
        config.update(
            beta_1=self.beta_1, beta_2=self.beta_2, epsilon=self.epsilon, amsgrad=self.amsgrad
        )
        return config
