"""Binds whatever `compile(optimizer=...)` received to the model's weights, once they exist.

Keras optimizers (ours, themselves `torch.optim.Optimizer`s built lazily), native torch optimizer
instances, and torch optimizer classes or factories (`functools.partial(torch.optim.SGD, lr=0.1)`)
all end up as one `torch.optim.Optimizer` the loop steps. An optional torch lr scheduler steps
per epoch or per batch.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import torch

from torchkeras_lite.optimizers import LossScaleOptimizer
from torchkeras_lite.optimizers import Optimizer as KerasOptimizer


class OptimizerBinding:
    """The model's optimizer, its lr scheduler, and the constraints a native optimizer ignores."""

    def __init__(self, optimizer: Any, lr_scheduler: Any = None, interval: str = "epoch"):
        if optimizer is not None and not (
            isinstance(optimizer, torch.optim.Optimizer) or callable(optimizer)
        ):
            raise ValueError(
                "Could not interpret optimizer: expected a name, a Keras optimizer, or a torch.optim "
                f"optimizer instance or class. Received: optimizer={optimizer!r}"
            )
        self._spec = optimizer
        self.optimizer: torch.optim.Optimizer | None = (
            optimizer if isinstance(optimizer, torch.optim.Optimizer) else None
        )
        if isinstance(optimizer, type) and issubclass(optimizer, KerasOptimizer):
            self.optimizer = optimizer()
        if lr_scheduler is not None and not (_is_scheduler(lr_scheduler) or callable(lr_scheduler)):
            raise TypeError(
                "`lr_scheduler` must be a torch.optim.lr_scheduler instance or a callable that takes the "
                f"optimizer and returns one. Received: lr_scheduler={lr_scheduler!r}"
            )
        self._scheduler_spec = lr_scheduler
        self.scheduler: Any = lr_scheduler if _is_scheduler(lr_scheduler) else None
        self.interval = interval
        self._constrained: list[torch.Tensor] = []
        self._scales_loss = False
        self.bound = False

    def bind(self, params: list[torch.Tensor]) -> None:
        """Creates or builds the optimizer for `params` (the model's trainable weights)."""
        if self.optimizer is None:
            if not params:
                raise ValueError("The model has no trainable weights to optimize.")
            self.optimizer = self._spec(params)
        elif isinstance(self.optimizer, KerasOptimizer) and not self.optimizer.built:
            self.optimizer.build(params)
        if self.scheduler is None and isinstance(self._scheduler_spec, Callable):
            self.scheduler = self._scheduler_spec(self.optimizer)
        self._scales_loss = isinstance(self.optimizer, KerasOptimizer) and (
            isinstance(self.optimizer, LossScaleOptimizer)
            or self.optimizer.loss_scale_factor is not None
        )
        if not isinstance(self.optimizer, KerasOptimizer):  # ours applies constraints itself
            self._constrained = [p for p in params if getattr(p, "constraint", None) is not None]
        self.bound = True

    def backward(self, loss: torch.Tensor) -> None:
        """`loss.backward()`, scaled first when the optimizer scales losses (mixed float16)."""
        if self._scales_loss:
            loss = self.optimizer.scale_loss(loss)
        loss.backward()

    def zero_grad(self) -> None:
        self.optimizer.zero_grad(set_to_none=True)

    def step(self) -> None:
        self.optimizer.step()
        if self._constrained:
            with torch.no_grad():
                for p in self._constrained:
                    p.copy_(p.constraint(p))
        if self.scheduler is not None and self.interval == "step":
            self.scheduler.step()

    def on_train_end(self, params: list[torch.Tensor]) -> None:
        """Keras' end-of-training hook: an EMA optimizer writes its averages into the weights."""
        finalize = getattr(self.optimizer, "finalize_variable_values", None)
        if finalize is not None and getattr(self.optimizer, "use_ema", False):
            finalize(params)

    def on_epoch_end(self, logs: dict[str, Any]) -> None:
        if self.scheduler is None or self.interval != "epoch":
            return
        if isinstance(self.scheduler, torch.optim.lr_scheduler.ReduceLROnPlateau):
            value = logs.get("val_loss", logs.get("loss"))
            if value is not None:
                self.scheduler.step(float(value))
        else:
            self.scheduler.step()


def _is_scheduler(obj: Any) -> bool:
    return obj is not None and hasattr(obj, "step") and hasattr(obj, "optimizer")
