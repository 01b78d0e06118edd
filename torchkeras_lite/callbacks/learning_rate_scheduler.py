"""`LearningRateScheduler`: sets the learning rate at the start of every epoch from a function."""

from __future__ import annotations

import inspect
import numbers
from collections.abc import Callable

import torch

from torchkeras_lite.callbacks._lr import get_learning_rate, set_learning_rate
from torchkeras_lite.callbacks.callback import Callback


def _takes_two_arguments(fn: Callable) -> bool:
    try:
        params = inspect.signature(fn).parameters.values()
    except (TypeError, ValueError):  # builtins without a signature: assume the current API
        return True
    positional = [p for p in params if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)]
    return len(positional) >= 2 or any(p.kind == p.VAR_POSITIONAL for p in params)


class LearningRateScheduler(Callback):
    """Sets the optimizer's learning rate to `schedule(epoch, lr)` at the start of every epoch.

    The learning rate used is added to the epoch logs as `"learning_rate"`.

    Args:
        schedule: a function of the epoch index (from 0) and the current learning rate (a
            float) returning the new learning rate (a float). A function of the epoch alone is
            accepted too.
        verbose: 0 is silent, 1 prints the new rate every epoch.

    Example:
        >>> import torch
        >>> class FakeModel:
        ...     optimizer = torch.optim.SGD([torch.nn.Parameter(torch.zeros(1))], lr=0.1)
        >>> cb = LearningRateScheduler(lambda epoch, lr: lr if epoch < 2 else lr / 2)
        >>> cb.set_model(FakeModel())
        >>> for epoch in range(4):
        ...     cb.on_epoch_begin(epoch)
        >>> FakeModel.optimizer.param_groups[0]["lr"]
        0.025
    """

    def __init__(self, schedule: Callable, verbose: int = 0):
        super().__init__()
        if not callable(schedule):
            raise ValueError(
                "`schedule` must be a function of (epoch, lr) returning the new learning rate. "
                f"Received: schedule={schedule!r}"
            )
        self.schedule = schedule
        self.verbose = verbose
        self._two_arguments = _takes_two_arguments(schedule)

    def on_epoch_begin(self, epoch: int, logs: dict | None = None) -> None:
        optimizer = getattr(self.model, "optimizer", None)
        if optimizer is None:
            raise ValueError(
                "LearningRateScheduler needs a model with an optimizer (compile the model "
                f"first). Received: optimizer={optimizer!r}"
            )
        if self._two_arguments:
            learning_rate = self.schedule(epoch, get_learning_rate(optimizer))
        else:
            learning_rate = self.schedule(epoch)
        if isinstance(learning_rate, torch.Tensor) and learning_rate.numel() == 1:
            learning_rate = learning_rate.item()
        if not isinstance(learning_rate, numbers.Real) or isinstance(learning_rate, bool):
            raise ValueError(
                "The output of the `schedule` function should be a float. "
                f"Received: learning_rate={learning_rate!r}"
            )
        set_learning_rate(optimizer, float(learning_rate))
        if self.verbose > 0:
            print(
                f"\nEpoch {epoch + 1}: LearningRateScheduler setting learning rate to "
                f"{float(learning_rate)}."
            )

    def on_epoch_end(self, epoch: int, logs: dict | None = None) -> None:
        if logs is not None:
            logs["learning_rate"] = get_learning_rate(self.model.optimizer)
