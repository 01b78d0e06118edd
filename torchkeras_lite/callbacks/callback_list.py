"""`CallbackList`: calls a list of callbacks, the one object the training loop talks to."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

import numpy as np
import torch

from torchkeras_lite.callbacks.callback import BATCH_HOOKS, Callback, overrides
from torchkeras_lite.callbacks.history import History
from torchkeras_lite.callbacks.progbar_logger import ProgbarLogger


def pythonify_logs(logs: dict | None) -> dict[str, Any]:
    """A copy of `logs` with sorted keys, nested dicts flattened and 1-element tensors as floats."""
    result: dict[str, Any] = {}
    for key, value in sorted((logs or {}).items()):
        if isinstance(value, dict):
            result.update(pythonify_logs(value))
            continue
        if isinstance(value, torch.Tensor) and value.numel() == 1:
            value = value.detach().reshape(()).item()
        elif isinstance(value, (np.ndarray, np.generic)) and np.size(value) == 1:
            value = np.asarray(value).reshape(()).item()
        result[key] = value
    return result


def _flatten(callbacks: Any) -> list[Callback]:
    if callbacks is None:
        return []
    if not isinstance(callbacks, (list, tuple)):
        return [callbacks]
    flat: list[Callback] = []
    for item in callbacks:
        flat.extend(_flatten(item))
    return flat


class CallbackList(Callback):
    """Calls every hook of a list of callbacks, in order.

    Contract with the training loop (`fit` / `evaluate` / `predict`):

    - `fit` builds `CallbackList(callbacks, add_history=True, add_progbar=verbose != 0,
      model=model, verbose=verbose, epochs=epochs, steps=steps_per_epoch)`; `evaluate` and
      `predict` build one with `epochs=1, steps=<their number of batches>` (None if unknown).
      The keyword parameters become every callback's `params`; `model.history` is set to the
      `History` callback.
    - `fit` calls `on_train_begin()`, then per epoch `on_epoch_begin(epoch)`, per batch
      `on_train_batch_begin(batch)` / `on_train_batch_end(batch, logs)`, the validation pass
      (`on_test_begin()`, `on_test_batch_begin/end(batch, logs)`, `on_test_end(logs)`), then
      `on_epoch_end(epoch, logs)`, and stops after the epoch when `model.stop_training` is true;
      at last `on_train_end(logs)` with the last epoch's logs. `evaluate` calls the `on_test_*`
      hooks, `predict` the `on_predict_*` ones (batch-end logs `{"outputs": predictions}`).
      `epoch` and `batch` count from 0; `batch` restarts at 0 every epoch.
    - Batch-end `logs` map metric names to running (already averaged) values that may be 0-d
      torch tensors, possibly on a GPU. They are passed on as they are: this list never reads
      them, and a callback reads one only when it needs the value (the progress bar a few times
      per second). Epoch-end and begin/end logs should hold Python floats; this list sorts their
      keys, flattens nested dicts and turns 1-element tensors into floats, like Keras.
    - Batch hooks go only to the callbacks that override them (worked out once, here), so a
      `fit` with only `History` and the progress bar costs one cheap call per batch.

    Args:
        callbacks: a `Callback` or a (nested) list of them.
        add_history: append a `History` unless the list has one.
        add_progbar: append a `ProgbarLogger` unless the list has one.
        model: the model the callbacks act on.
        **params: the training parameters passed to every callback's `set_params`.

    Example:
        >>> history = History()
        >>> callbacks = CallbackList([history], epochs=1, steps=2, verbose=0)
        >>> callbacks.on_train_begin()
        >>> callbacks.on_epoch_begin(0)
        >>> callbacks.on_epoch_end(0, {"loss": 0.5})
        >>> history.history
        {'loss': [0.5]}
    """

    def __init__(
        self,
        callbacks: Callback | Iterable | None = None,
        add_history: bool = False,
        add_progbar: bool = False,
        model: Any = None,
        **params: Any,
    ):
        super().__init__()
        self.callbacks: list[Callback] = _flatten(callbacks)
        for cb in self.callbacks:
            if not isinstance(cb, Callback):
                raise TypeError(
                    "Every callback must be an instance of `keras.callbacks.Callback`. "
                    f"Received: callback={cb!r}"
                )
        self._history = next((cb for cb in self.callbacks if isinstance(cb, History)), None)
        self._progbar = next((cb for cb in self.callbacks if isinstance(cb, ProgbarLogger)), None)
        if self._history is None and add_history:
            self._history = History()
            self.callbacks.append(self._history)
        if self._progbar is None and add_progbar:
            self._progbar = ProgbarLogger()
            self.callbacks.append(self._progbar)
        self._batch_callbacks: dict[str, list[Callback]] = {}
        self._index_batch_hooks()
        self.set_model(model)
        self.set_params(params)

    def _index_batch_hooks(self) -> None:
        self._batch_callbacks = {
            hook: [cb for cb in self.callbacks if overrides(cb, hook)] for hook in BATCH_HOOKS
        }

    def append(self, callback: Callback) -> None:
        """Adds one more callback (it gets the list's model and params)."""
        self.callbacks.append(callback)
        if self._model is not None:
            callback.set_model(self._model)
        if self.params:
            callback.set_params(self.params)
        self._index_batch_hooks()

    def __iter__(self) -> Iterator[Callback]:
        return iter(self.callbacks)

    def __len__(self) -> int:
        return len(self.callbacks)

    def set_params(self, params: dict[str, Any]) -> None:
        self.params = params
        if params:
            for cb in self.callbacks:
                cb.set_params(params)

    def set_model(self, model: Any) -> None:
        if model is None:
            return
        super().set_model(model)
        if self._history is not None:
            model.history = self._history
        for cb in self.callbacks:
            cb.set_model(model)

    # -- batch hooks: only the callbacks that override them ---------------------------------------
    def on_train_batch_begin(self, batch: int, logs: dict | None = None) -> None:
        for cb in self._batch_callbacks["on_train_batch_begin"]:
            cb.on_train_batch_begin(batch, logs=logs if logs is not None else {})

    def on_train_batch_end(self, batch: int, logs: dict | None = None) -> None:
        for cb in self._batch_callbacks["on_train_batch_end"]:
            cb.on_train_batch_end(batch, logs=logs if logs is not None else {})

    def on_test_batch_begin(self, batch: int, logs: dict | None = None) -> None:
        for cb in self._batch_callbacks["on_test_batch_begin"]:
            cb.on_test_batch_begin(batch, logs=logs if logs is not None else {})

    def on_test_batch_end(self, batch: int, logs: dict | None = None) -> None:
        for cb in self._batch_callbacks["on_test_batch_end"]:
            cb.on_test_batch_end(batch, logs=logs if logs is not None else {})

    def on_predict_batch_begin(self, batch: int, logs: dict | None = None) -> None:
        for cb in self._batch_callbacks["on_predict_batch_begin"]:
            cb.on_predict_batch_begin(batch, logs=logs if logs is not None else {})

    def on_predict_batch_end(self, batch: int, logs: dict | None = None) -> None:
        for cb in self._batch_callbacks["on_predict_batch_end"]:
            cb.on_predict_batch_end(batch, logs=logs if logs is not None else {})

    def on_batch_begin(self, batch: int, logs: dict | None = None) -> None:
        self.on_train_batch_begin(batch, logs)

    def on_batch_end(self, batch: int, logs: dict | None = None) -> None:
        self.on_train_batch_end(batch, logs)

    # -- epoch and run hooks: every callback, with pythonified logs --------------------------------
    def on_epoch_begin(self, epoch: int, logs: dict | None = None) -> None:
        logs = pythonify_logs(logs)
        for cb in self.callbacks:
            cb.on_epoch_begin(epoch, logs)

    def on_epoch_end(self, epoch: int, logs: dict | None = None) -> None:
        logs = pythonify_logs(logs)
        for cb in self.callbacks:
            cb.on_epoch_end(epoch, logs)

    def on_train_begin(self, logs: dict | None = None) -> None:
        logs = pythonify_logs(logs)
        for cb in self.callbacks:
            cb.on_train_begin(logs)

    def on_train_end(self, logs: dict | None = None) -> None:
        logs = pythonify_logs(logs)
        for cb in self.callbacks:
            cb.on_train_end(logs)

    def on_test_begin(self, logs: dict | None = None) -> None:
        logs = pythonify_logs(logs)
        for cb in self.callbacks:
            cb.on_test_begin(logs)

    def on_test_end(self, logs: dict | None = None) -> None:
        logs = pythonify_logs(logs)
        for cb in self.callbacks:
            cb.on_test_end(logs)

    def on_predict_begin(self, logs: dict | None = None) -> None:
        logs = pythonify_logs(logs)
        for cb in self.callbacks:
            cb.on_predict_begin(logs)

    def on_predict_end(self, logs: dict | None = None) -> None:
        logs = pythonify_logs(logs)
        for cb in self.callbacks:
            cb.on_predict_end(logs)
