"""`History`: records every epoch's logs; `fit` returns it."""

from __future__ import annotations

from typing import Any

from torchkeras_lite.callbacks.callback import Callback


class History(Callback):
    """Records the epoch-end logs of `fit`. Added to every `fit` and returned by it.

    Attributes:
        history: dict mapping each log name (`"loss"`, `"val_loss"`, ...) to its list of
            per-epoch values. It is not cleared by a new `fit`: values keep accumulating.
        epoch: the indices of the epochs recorded by the last `fit`.
        params: the training parameters (`verbose`, `epochs`, `steps`).

    Example:
        >>> history = History()
        >>> history.on_train_begin()
        >>> history.on_epoch_end(0, {"loss": 0.9, "val_loss": 1.0})
        >>> history.on_epoch_end(1, {"loss": 0.5, "val_loss": 0.7})
        >>> history.history
        {'loss': [0.9, 0.5], 'val_loss': [1.0, 0.7]}
    """

    def __init__(self) -> None:
        super().__init__()
        self.history: dict[str, list[Any]] = {}
        self.epoch: list[int] = []

    def on_train_begin(self, logs: dict | None = None) -> None:
        self.epoch = []

    def on_epoch_end(self, epoch: int, logs: dict | None = None) -> None:
        self.epoch.append(epoch)
        for key, value in (logs or {}).items():
            self.history.setdefault(key, []).append(value)
        if self.model is not None:
            self.model.history = self
