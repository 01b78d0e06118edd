"""Adagrad, with Keras' initial accumulator (0.1) and epsilon inside the square root."""

from __future__ import annotations

import torch

from torchkeras_lite.optimizers import optimizer_utils as U
from torchkeras_lite.optimizers.base_optimizer import OPTIMIZERS, Optimizer


@OPTIMIZERS.register("adagrad")
class Adagrad(Optimizer):
    """Adagrad: `acc += g^2; var -= lr * g / sqrt(acc + epsilon)`.

    Args:
        learning_rate: a float, a `LearningRateSchedule` or a callable.
        initial_accumulator_value: the starting value of the accumulators.
        epsilon: added inside the square root.
        **kwargs: the common optimizer arguments.

    Example:
        >>> opt = Adagrad(learning_rate=0.01)
    """

    def __init__(
        self,
        learning_rate=0.001,
        initial_accumulator_value: float = 0.1,
        epsilon: float = 1e-7,
        **kwargs,
    ):
        super().__init__(learning_rate=learning_rate, **kwargs)
        self.initial_accumulator_value = initial_accumulator_value
        self.epsilon = epsilon

    def _slot_groups(self):
        return (("accumulator",),)

    def _create_slots(self, param):
        value = float(self.initial_accumulator_value)
        return {"accumulator": torch.full_like(param, value, memory_format=torch.preserve_format)}

    def _update(self, params, grads, slots, lr, step):
        acc = slots["accumulator"]
        torch._foreach_addcmul_(acc, grads, grads)
        denom = torch._foreach_add(acc, self.epsilon)
        torch._foreach_sqrt_(denom)
        U.add_scaled_div_(params, grads, denom, -lr)

    def get_config(self):
        config = super().get_config()
        config.update(
            initial_accumulator_value=self.initial_accumulator_value, epsilon=self.epsilon
        )
        return config
