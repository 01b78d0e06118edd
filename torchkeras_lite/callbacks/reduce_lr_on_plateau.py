"""`ReduceLROnPlateau`: lowers the learning rate when a metric stops improving."""

from __future__ import annotations

import warnings

import numpy as np

from torchkeras_lite.callbacks._lr import get_learning_rate, set_learning_rate
from torchkeras_lite.callbacks.monitor_callback import MonitorCallback


class ReduceLROnPlateau(MonitorCallback):
    """Multiplies the learning rate by `factor` when a metric has stopped improving.

    At each epoch end, after `patience` epochs without an improvement larger than `min_delta`,
    the optimizer's learning rate becomes `max(lr * factor, min_lr)`; then `cooldown` epochs
    pass before the patience counter runs again. The current learning rate is added to the
    epoch logs as `"learning_rate"` (so `History` records it). Works with any
    `torch.optim.Optimizer` and with optimizers that have a `learning_rate` attribute.

    Args:
        monitor: the log name to watch.
        factor: the factor the learning rate is multiplied by (`< 1`).
        patience: the number of epochs without improvement before the rate is lowered.
        verbose: 0 is silent, 1 prints a message when the rate changes.
        mode: `"min"`, `"max"` or `"auto"` (from the metric name).
        min_delta: the smallest change that counts as an improvement.
        cooldown: the number of epochs after a reduction during which nothing is counted.
        min_lr: the lowest learning rate.

    Example:
        >>> import torch
        >>> class FakeModel:
        ...     optimizer = torch.optim.SGD([torch.nn.Parameter(torch.zeros(1))], lr=1.0)
        >>> cb = ReduceLROnPlateau(monitor="loss", factor=0.5, patience=1)
        >>> cb.set_model(FakeModel())
        >>> cb.on_train_begin()
        >>> for epoch, loss in enumerate([1.0, 1.0, 1.0]):
        ...     cb.on_epoch_end(epoch, {"loss": loss})
        >>> FakeModel.optimizer.param_groups[0]["lr"]
        0.25
    """

    def __init__(
        self,
        monitor: str = "val_loss",
        factor: float = 0.1,
        patience: int = 10,
        verbose: int = 0,
        mode: str = "auto",
        min_delta: float = 1e-4,
        cooldown: int = 0,
        min_lr: float = 0.0,
    ):
        super().__init__(monitor, mode, min_delta=min_delta)
        if factor >= 1.0:
            raise ValueError(
                f"ReduceLROnPlateau does not support a factor >= 1.0. Received: factor={factor}"
            )
        self.factor = factor
        self.min_lr = min_lr
        self.patience = patience
        self.verbose = verbose
        self.cooldown = cooldown
        self.cooldown_counter = 0
        self.wait = 0

    def _reset(self) -> None:
        self.best = None
        self.cooldown_counter = 0
        self.wait = 0

    def in_cooldown(self) -> bool:
        """Whether the callback is waiting out the cooldown after a reduction."""
        return self.cooldown_counter > 0

    def _optimizer(self):
        optimizer = getattr(self.model, "optimizer", None)
        if optimizer is None:
            raise ValueError(
                "ReduceLROnPlateau needs a model with an optimizer (compile the model first). "
                f"Received: optimizer={optimizer!r}"
            )
        return optimizer

    def on_train_begin(self, logs: dict | None = None) -> None:
        self._reset()

    def on_epoch_end(self, epoch: int, logs: dict | None = None) -> None:
        if self.monitor_op is None:
            self._set_monitor_op()
        logs = logs if logs is not None else {}
        optimizer = self._optimizer()
        logs["learning_rate"] = get_learning_rate(optimizer)
        current = logs.get(self.monitor)
        if current is None:
            warnings.warn(
                f"Learning rate reduction is conditioned on metric `{self.monitor}` which is not "
                f"available. Available metrics are: {','.join(logs.keys())}.",
                stacklevel=2,
            )
            return
        if self.in_cooldown():
            self.cooldown_counter -= 1
            self.wait = 0
        if self._is_improvement(current, self.best):
            self.best = current
            self.wait = 0
        elif not self.in_cooldown():
            self.wait += 1
            if self.wait >= self.patience and self._reduce(optimizer, epoch):
                self.cooldown_counter = self.cooldown
                self.wait = 0

    def _reduce(self, optimizer, epoch: int) -> bool:
        old_lr = get_learning_rate(optimizer)
        # Compared in float32, as the learning rate of a Keras optimizer: a rate already at
        # `min_lr` up to float32 rounding is not reduced again.
        if not np.float32(old_lr) > np.float32(self.min_lr):
            return False
        new_lr = max(old_lr * self.factor, self.min_lr)
        set_learning_rate(optimizer, new_lr)
        if self.verbose > 0:
            print(f"\nEpoch {epoch + 1}: ReduceLROnPlateau reducing learning rate to {new_lr}.")
        return True
