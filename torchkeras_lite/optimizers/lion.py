"""Lion (Chen et al., 2023): sign of an interpolated momentum."""

from __future__ import annotations

import torch

from torchkeras_lite.optimizers import optimizer_utils as U
from torchkeras_lite.optimizers.base_optimizer import OPTIMIZERS, Optimizer


@OPTIMIZERS.register("lion")
class Lion(Optimizer):
    """Lion: `var -= lr * sign(b1 * m + (1 - b1) * g); m = b2 * m + (1 - b2) * g`.

    Args:
        learning_rate: a float, a `LearningRateSchedule` or a callable.
        beta_1: the interpolation factor of the update direction, in (0, 1].
        beta_2: the decay of the momentum.
        **kwargs: the common optimizer arguments.

    Example:
        >>> opt = Lion(learning_rate=1e-4)
    """

    def __init__(self, learning_rate=0.001, beta_1: float = 0.9, beta_2: float = 0.99, **kwargs):
        super().__init__(learning_rate=learning_rate, **kwargs)
        if beta_1 <= 0 or beta_1 > 1:
            raise ValueError(
                "Argument `beta_1` must be in the [0, 1] range. Otherwise, the optimizer degenerates "
                f"to SignSGD. Received: beta_1={beta_1}."
            )
        self.beta_1, self.beta_2 = beta_1, beta_2

    def _slot_groups(self):
        return (("momentum",),)

    def _update(self, params, grads, slots, lr, step):
        m = slots["momentum"]
        direction = torch._foreach_mul(m, self.beta_1)
        torch._foreach_add_(direction, grads, alpha=1 - self.beta_1)
        torch._foreach_sign_(direction)
        U.add_scaled_(params, direction, -lr)
        torch._foreach_mul_(m, self.beta_2)
        torch._foreach_add_(m, grads, alpha=1 - self.beta_2)

    def get_config(self):
        config = super().get_config()
        config.update(beta_1=self.beta_1, beta_2=self.beta_2)
        return config
