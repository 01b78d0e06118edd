"""`EarlyStopping`: stops `fit` when a monitored metric stops improving."""

from __future__ import annotations

import warnings
from typing import Any

import numpy as np
import torch

from torchkeras_lite.callbacks.monitor_callback import MonitorCallback


def _copy_weights(weights: list[Any]) -> list[Any]:
    """A snapshot that later training steps cannot modify (tensors cloned, arrays copied)."""
    return [
        w.detach().clone() if isinstance(w, torch.Tensor) else np.array(w, copy=True)
        for w in weights
    ]


class EarlyStopping(MonitorCallback):
    """Stops training when a monitored metric has stopped improving.

    At the end of each epoch it compares `logs[monitor]` with the best value so far; after
    `patience` epochs without an improvement larger than `min_delta` it sets
    `model.stop_training = True`, which ends `fit` after that epoch.

    Args:
        monitor: the log name to watch.
        min_delta: the smallest change that counts as an improvement.
        patience: the number of epochs without improvement after which training stops.
        verbose: 0 is silent, 1 prints a message when the callback acts.
        mode: `"min"`, `"max"` or `"auto"` (from the metric name: losses and errors are
            minimised; accuracy, AUC, precision, recall... maximised).
        baseline: a value the metric must beat: while it has not, improvements do not reset
            the patience counter.
        restore_best_weights: at the end of training, restore the weights of the best epoch
            (`model.get_weights()` / `model.set_weights()`), even if it did not beat `baseline`.
        start_from_epoch: the number of warm-up epochs during which nothing is monitored.

    Example:
        >>> class FakeModel:
        ...     stop_training = False
        >>> model = FakeModel()
        >>> cb = EarlyStopping(monitor="loss", patience=1)
        >>> cb.set_model(model)
        >>> cb.on_train_begin()
        >>> for epoch, loss in enumerate([1.0, 0.8, 0.9, 0.95]):
        ...     cb.on_epoch_end(epoch, {"loss": loss})
        ...     if model.stop_training:
        ...         break
        >>> cb.stopped_epoch, cb.best
        (2, 0.8)
    """

    def __init__(
        self,
        monitor: str = "val_loss",
        min_delta: float = 0,
        patience: int = 0,
        verbose: int = 0,
        mode: str = "auto",
        baseline: float | None = None,
        restore_best_weights: bool = False,
        start_from_epoch: int = 0,
    ):
        super().__init__(monitor, mode, min_delta=min_delta)
        self.patience = patience
        self.verbose = verbose
        self.baseline = baseline
        self.restore_best_weights = restore_best_weights
        self.start_from_epoch = start_from_epoch
        self.wait = 0
        self.stopped_epoch = 0
        self.best_weights: list[Any] | None = None
        self.best_epoch = 0

    def on_train_begin(self, logs: dict | None = None) -> None:
        # The same instance may serve several `fit` calls.
        self.wait = 0
        self.stopped_epoch = 0
        self.best = None
        self.best_weights = None
        self.best_epoch = 0

    def on_epoch_end(self, epoch: int, logs: dict | None = None) -> None:
        if self.monitor_op is None:
            self._set_monitor_op()
        current = self.get_monitor_value(logs)
        if current is None or epoch < self.start_from_epoch:
            return
        if self.restore_best_weights and self.best_weights is None:
            # The first monitored epoch is the best one so far.
            self.best_weights = _copy_weights(self.model.get_weights())
            self.best_epoch = epoch
        self.wait += 1
        if self._is_improvement(current, self.best):
            self.best = current
            self.best_epoch = epoch
            if self.restore_best_weights:
                self.best_weights = _copy_weights(self.model.get_weights())
            # Patience restarts only for a value that also beats the baseline.
            if self.baseline is None or self._is_improvement(current, self.baseline):
                self.wait = 0
            return
        if self.wait >= self.patience and epoch > 0:
            self.stopped_epoch = epoch
            self.model.stop_training = True

    def on_train_end(self, logs: dict | None = None) -> None:
        if self.stopped_epoch > 0 and self.verbose > 0:
            print(f"Epoch {self.stopped_epoch + 1}: early stopping")
        if self.restore_best_weights and self.best_weights is not None:
            if self.verbose > 0:
                print(
                    f"Restoring model weights from the end of the best epoch: {self.best_epoch + 1}."
                )
            self.model.set_weights(self.best_weights)

    def get_monitor_value(self, logs: dict | None) -> float | None:
        """`logs[monitor]`, or None with a warning listing the available metrics."""
        logs = logs or {}
        value = logs.get(self.monitor)
        if value is None:
            warnings.warn(
                f"Early stopping conditioned on metric `{self.monitor}` which is not available. "
                f"Available metrics are: {','.join(logs.keys())}",
                stacklevel=2,
            )
        return value
