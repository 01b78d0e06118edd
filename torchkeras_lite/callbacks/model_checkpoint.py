"""`ModelCheckpoint`: save the model (or its weights) during training, optionally only the best."""

from __future__ import annotations

import os
import warnings
from typing import Any

import torch

from torchkeras_lite.callbacks.monitor_callback import MonitorCallback
from torchkeras_lite.distribution.chief_io import decide_on_chief
from torchkeras_lite.distribution.process_group import is_chief


def _plain(value: Any) -> Any:
    """A 0-d tensor as a Python float (read only when a checkpoint is written)."""
    if isinstance(value, torch.Tensor) and value.numel() == 1:
        return float(value.detach())
    return value


class ModelCheckpoint(MonitorCallback):
    """Saves the model with `model.save()` (or `model.save_weights()`) at some frequency.

    Args:
        filepath: where to save; may hold `{epoch}`, `{batch}` (with an integer `save_freq`)
            and log names, formatted with `str.format` (`"ckpt-{epoch:02d}-{val_loss:.2f}.keras"`).
            It must end in `.keras`, or in `.weights.safetensors` with `save_weights_only=True`.
        monitor: the log to compare with `save_best_only`.
        verbose: 1 prints a message when saving (or not saving) a checkpoint.
        save_best_only: only save when `monitor` improves on the best value so far.
        save_weights_only: save the weights only (`model.save_weights`).
        mode: `"min"`, `"max"` or `"auto"` (the direction follows from the metric name).
        save_freq: `"epoch"`, or an integer: save every this many batches.
        initial_value_threshold: the initial "best" value (with `save_best_only`).

    Under a distribution every process runs the callback; rank 0 decides whether to save (its
    logs; epoch logs are the same everywhere), prints, and writes the file while the others wait.

    Example:
        >>> checkpoint = keras.callbacks.ModelCheckpoint(
        ...     "ckpt/best.keras", monitor="val_loss", save_best_only=True)
        >>> model.fit(x, y, validation_split=0.2, epochs=10, callbacks=[checkpoint])
    """

    def __init__(
        self,
        filepath: str | os.PathLike,
        monitor: str = "val_loss",
        verbose: int = 0,
        save_best_only: bool = False,
        save_weights_only: bool = False,
        mode: str = "auto",
        save_freq: str | int = "epoch",
        initial_value_threshold: float | None = None,
    ):
        super().__init__(monitor, mode, initial_value_threshold)
        self.verbose = verbose
        self.filepath = os.fspath(filepath)
        self.save_best_only = save_best_only
        self.save_weights_only = save_weights_only
        self.save_freq = save_freq
        self._batches_since_save = 0
        self._last_batch: int | None = None
        self._current_epoch = 0
        if save_freq != "epoch" and (
            not isinstance(save_freq, int) or isinstance(save_freq, bool) or save_freq < 1
        ):
            raise ValueError(
                "Unrecognized save_freq: expected 'epoch' or a positive integer. "
                f"Received: save_freq={save_freq!r}"
            )
        if save_weights_only and not self.filepath.endswith(".weights.safetensors"):
            raise ValueError(
                "When using `save_weights_only=True` in `ModelCheckpoint`, the filepath provided "
                "must end in `.weights.safetensors` (the weights format). "
                f"Received: filepath={self.filepath}"
            )
        if not save_weights_only and not self.filepath.endswith(".keras"):
            raise ValueError(
                "The filepath provided must end in `.keras` (the model format). "
                f"Received: filepath={self.filepath}"
            )

    def on_epoch_begin(self, epoch: int, logs: dict | None = None) -> None:
        self._current_epoch = epoch

    def on_train_batch_end(self, batch: int, logs: dict | None = None) -> None:
        if self.save_freq == "epoch":
            return
        if self._last_batch is None or batch <= self._last_batch:  # a new epoch began
            self._batches_since_save += batch + 1
        else:
            self._batches_since_save += batch - self._last_batch
        self._last_batch = batch
        if self._batches_since_save >= self.save_freq:
            self._batches_since_save = 0
            self._save_model(self._current_epoch, batch, logs)

    def on_epoch_end(self, epoch: int, logs: dict | None = None) -> None:
        if self.save_freq == "epoch":
            self._save_model(epoch, None, logs)

    def _file_path(self, epoch: int, batch: int | None, logs: dict) -> str:
        try:
            if batch is None or "batch" in logs:
                return self.filepath.format(epoch=epoch + 1, **logs)
            return self.filepath.format(epoch=epoch + 1, batch=batch + 1, **logs)
        except KeyError as e:
            raise KeyError(
                f'Failed to format this callback filepath: "{self.filepath}". Reason: {e}. '
                f"Received: logs keys={sorted(logs)}"
            ) from e

    def _should_save(self, epoch: int, logs: dict, filepath: str) -> bool:
        verbose = self.verbose > 0 and is_chief()
        if not self.save_best_only:
            if verbose:
                print(f"\nEpoch {epoch + 1}: saving model to {filepath}")
            return True
        current = logs.get(self.monitor)
        if current is None:
            warnings.warn(  # as Keras: the checkpoint is still written
                f"Can save best model only with {self.monitor} available.", stacklevel=3
            )
            return True
        if self.monitor_op is None:
            self._set_monitor_op()
        best = "None" if self.best is None else f"{self.best:.5f}"
        if self._is_improvement(current, self.best):
            if verbose:
                print(
                    f"\nEpoch {epoch + 1}: {self.monitor} improved from {best} to "
                    f"{current:.5f}, saving model to {filepath}"
                )
            self.best = current
            return True
        if verbose:
            print(f"\nEpoch {epoch + 1}: {self.monitor} did not improve from {best}")
        return False

    def _save_model(self, epoch: int, batch: int | None, logs: dict | None) -> None:
        logs = {k: _plain(v) for k, v in (logs or {}).items()}
        filepath = self._file_path(epoch, batch, logs)
        if os.path.isdir(filepath):
            raise OSError(
                "Please specify a non-directory filepath for ModelCheckpoint. Filepath used is an "
                f"existing directory: {filepath}"
            )
        if not decide_on_chief(self._should_save(epoch, logs, filepath), "ModelCheckpoint"):
            return
        folder = os.path.dirname(filepath)
        if folder and is_chief():
            os.makedirs(folder, exist_ok=True)
        if self.save_weights_only:
            self.model.save_weights(filepath, overwrite=True)
        else:
            self.model.save(filepath, overwrite=True)
