"""The `Callback` base class: every hook of `fit`, `evaluate` and `predict`, each a no-op."""

from __future__ import annotations

from typing import Any

import torch

#: Hooks called once per batch; `CallbackList` only dispatches them to callbacks that override them.
BATCH_HOOKS = (
    "on_train_batch_begin",
    "on_train_batch_end",
    "on_test_batch_begin",
    "on_test_batch_end",
    "on_predict_batch_begin",
    "on_predict_batch_end",
)

#: Keras' backwards-compatible aliases: overriding one of these also overrides the training hook.
BATCH_ALIASES = {"on_train_batch_begin": "on_batch_begin", "on_train_batch_end": "on_batch_end"}


class Callback:
    """Base class of the objects that hook into `fit()`, `evaluate()` and `predict()`.

    Subclass it and override the hooks you need; every hook here does nothing. `on_batch_begin` /
    `on_batch_end` are Keras' older names of `on_train_batch_begin` / `on_train_batch_end`: the
    default training-batch hooks call them, so overriding either name works.

    Batch-end `logs` may hold 0-d torch tensors (possibly on a GPU): reading one (`float(v)`)
    waits for the device, so only do it when the callback needs the value. Epoch-end logs hold
    Python floats.

    Attributes:
        params: dict of training parameters (`verbose`, `epochs`, `steps`, ...).
        model: the model being trained (`model.stop_training = True` ends `fit` after the epoch).

    Example:
        >>> class PrintLoss(Callback):
        ...     def on_epoch_end(self, epoch, logs=None):
        ...         print(f"epoch {epoch}: loss={logs['loss']:.3f}")
        >>> PrintLoss().on_epoch_end(0, {"loss": 0.5})
        epoch 0: loss=0.500
    """

    def __init__(self) -> None:
        self.params: dict[str, Any] = {}
        self._model: Any = None

    def set_params(self, params: dict[str, Any]) -> None:
        """Stores the training parameters (`verbose`, `epochs`, `steps`, ...) as `self.params`."""
        self.params = params

    def set_model(self, model: Any) -> None:
        """Stores the model these callbacks act on as `self.model`."""
        self._model = model

    @property
    def model(self) -> Any:
        """The model; a `DistributedDataParallel` wrapper is unwrapped to its module."""
        if isinstance(self._model, torch.nn.parallel.DistributedDataParallel):
            return self._model.module
        return self._model

    # -- aliases ---------------------------------------------------------------------------------
    def on_batch_begin(self, batch: int, logs: dict | None = None) -> None:
        """Backwards-compatible alias of `on_train_batch_begin`."""

    def on_batch_end(self, batch: int, logs: dict | None = None) -> None:
        """Backwards-compatible alias of `on_train_batch_end`."""

    # -- epochs ----------------------------------------------------------------------------------
    def on_epoch_begin(self, epoch: int, logs: dict | None = None) -> None:
        """Called at the start of an epoch of `fit` (`epoch` counts from 0)."""

    def on_epoch_end(self, epoch: int, logs: dict | None = None) -> None:
        """Called at the end of an epoch with the epoch's metrics (validation ones prefixed `val_`)."""

    # -- batches ---------------------------------------------------------------------------------
    def on_train_batch_begin(self, batch: int, logs: dict | None = None) -> None:
        """Called before a training batch (`batch` counts from 0 within the epoch)."""
        self.on_batch_begin(batch, logs=logs)

    def on_train_batch_end(self, batch: int, logs: dict | None = None) -> None:
        """Called after a training batch with the metrics aggregated so far in the epoch."""
        self.on_batch_end(batch, logs=logs)

    def on_test_batch_begin(self, batch: int, logs: dict | None = None) -> None:
        """Called before a batch of `evaluate` (or of the validation pass of `fit`)."""

    def on_test_batch_end(self, batch: int, logs: dict | None = None) -> None:
        """Called after a batch of `evaluate` with the metrics aggregated so far."""

    def on_predict_batch_begin(self, batch: int, logs: dict | None = None) -> None:
        """Called before a batch of `predict`."""

    def on_predict_batch_end(self, batch: int, logs: dict | None = None) -> None:
        """Called after a batch of `predict`; `logs["outputs"]` holds the batch's predictions."""

    # -- whole runs ------------------------------------------------------------------------------
    def on_train_begin(self, logs: dict | None = None) -> None:
        """Called at the start of `fit`."""

    def on_train_end(self, logs: dict | None = None) -> None:
        """Called at the end of `fit` with the last epoch's logs."""

    def on_test_begin(self, logs: dict | None = None) -> None:
        """Called at the start of `evaluate` (or of the validation pass of `fit`)."""

    def on_test_end(self, logs: dict | None = None) -> None:
        """Called at the end of `evaluate` with its results."""

    def on_predict_begin(self, logs: dict | None = None) -> None:
        """Called at the start of `predict`."""

    def on_predict_end(self, logs: dict | None = None) -> None:
        """Called at the end of `predict`."""


def overrides(callback: Callback, hook: str) -> bool:
    """Whether `callback` replaces the no-op `hook` (in its class or as an instance attribute)."""
    names = (hook, BATCH_ALIASES[hook]) if hook in BATCH_ALIASES else (hook,)
    for name in names:
        method = getattr(callback, name)
        if getattr(method, "__func__", method) is not getattr(Callback, name):
            return True
    return False
