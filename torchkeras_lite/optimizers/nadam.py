"""Nadam: Adam with Nesterov momentum and Keras' momentum schedule."""

from __future__ import annotations

import torch

from torchkeras_lite.optimizers import optimizer_utils as U
from torchkeras_lite.optimizers.base_optimizer import OPTIMIZERS, Optimizer


@OPTIMIZERS.register("nadam")
class Nadam(Optimizer):
    """Nadam, with the momentum schedule `u_t = beta_1 * (1 - 0.5 * 0.96^t)`.

    `m_hat = u_{t+1} m / (1 - prod u_{..t+1}) + (1 - u_t) g / (1 - prod u_{..t})`,
    `var -= lr * m_hat / (sqrt(v / (1 - b2^t)) + epsilon)`.

    Args:
        learning_rate: a float, a `LearningRateSchedule` or a callable.
        beta_1: the decay of the first moment.
        beta_2: the decay of the second moment.
        epsilon: added to the square root.
        **kwargs: the common optimizer arguments.

    Example:
        >>> opt = Nadam(learning_rate=1e-3)
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
        self._u_product = 1.0
        self._coefficients = (1.0, 1.0, 1.0, 1.0)

    def _slot_groups(self):
        return (("momentum", "velocity"),)

    def _scalar_state(self):
        return {"u_product": self._u_product}

    def _set_scalar_state(self, values):
        self._u_product = float(values.get("u_product", self._u_product))

    def _prepare_update(self, step):
        u_t = self.beta_1 * (1.0 - 0.5 * 0.96**step)
        u_next = self.beta_1 * (1.0 - 0.5 * 0.96 ** (step + 1))
        self._u_product *= u_t
        self._coefficients = (u_t, u_next, self._u_product, self._u_product * u_next)

    def _update(self, params, grads, slots, lr, step):
        u_t, u_next, prod_t, prod_next = self._coefficients
        m, v = slots["momentum"], slots["velocity"]
        torch._foreach_mul_(m, self.beta_1)
        torch._foreach_add_(m, grads, alpha=1 - self.beta_1)
        torch._foreach_mul_(v, self.beta_2)
        torch._foreach_addcmul_(v, grads, grads, value=1 - self.beta_2)
        m_hat = torch._foreach_mul(m, u_next / (1 - prod_next))
        torch._foreach_add_(m_hat, grads, alpha=(1 - u_t) / (1 - prod_t))
        denom = torch._foreach_div(v, 1 - self.beta_2**step)
        torch._foreach_sqrt_(denom)
        torch._foreach_add_(denom, self.epsilon)
        U.add_scaled_div_(params, m_hat, denom, -lr)

    def get_config(self):
        config = super().get_config()
        config.update(beta_1=self.beta_1, beta_2=self.beta_2, epsilon=self.epsilon)
        return config
