"""AdamW: Adam with decoupled weight decay (on by default)."""

from __future__ import annotations

from torchkeras_lite.optimizers.adam import Adam
from torchkeras_lite.optimizers.base_optimizer import OPTIMIZERS


@OPTIMIZERS.register("adamw")
class AdamW(Adam):
    """Adam with decoupled weight decay `var -= var * weight_decay * lr` before each update.

    Args:
        learning_rate: a float, a `LearningRateSchedule` or a callable.
        weight_decay: the decay rate (required; default 0.004).
        beta_1: the decay of the first moment.
        beta_2: the decay of the second moment.
        epsilon: added to `sqrt(v)`.
        amsgrad: use the running maximum of `v`.
        **kwargs: the common optimizer arguments.

    Example:
        >>> opt = AdamW(learning_rate=1e-3, weight_decay=0.01)
    """

    def __init__(
        self,
        learning_rate=0.001,
        weight_decay: float = 0.004,
        beta_1: float = 0.9,
        beta_2: float = 0.999,
        epsilon: float = 1e-7,
        amsgrad: bool = False,
        **kwargs,
    ):
        super().__init__(
            learning_rate=learning_rate,
            beta_1=beta_1,
            beta_2=beta_2,
            epsilon=epsilon,
            amsgrad=amsgrad,
            weight_decay=weight_decay,
            **kwargs,
        )
        if self.weight_decay is None:
            raise ValueError("Argument `weight_decay` must be a float. Received: weight_decay=None")
