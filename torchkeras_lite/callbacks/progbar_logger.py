"""`ProgbarLogger`: the progress bar `fit`, `evaluate` and `predict` show."""

from __future__ import annotations

import sys
from typing import Any

from torchkeras_lite.callbacks.callback import Callback
from torchkeras_lite.distribution.process_group import is_chief
from torchkeras_lite.utils.progress import Progbar, resolve_verbose

#: Seconds between two redraws (and so between two reads of tensor logs) of the bar.
REFRESH_INTERVAL = 0.2


class ProgbarLogger(Callback):
    """Prints the progress and the metrics of `fit`, `evaluate` and `predict`.

    Added by `fit` / `evaluate` / `predict` when `verbose != 0`. It reads `params["verbose"]`
    (1: a live bar, 2: one line per epoch, `"auto"`: 1 in a terminal, else 2),
    `params["epochs"]` and `params["steps"]` (None when unknown). Per batch it only counts
    steps; the batch logs (tensors allowed) are read when the bar is redrawn, every
    0.2 s at most. During `fit` the validation pass is silent: its results appear in the
    epoch's line. A header `Epoch 3/10` precedes each epoch when there is more than one.
    Under a distribution only rank 0 prints.

    Args:
        count_mode: `"steps"` counts batches. `"samples"` counts samples: the target is
            `params["samples"]`, and each batch adds its logs' `"size"` (a Python int), else
            `params["batch_size"]`.

    Example:
        >>> logger = ProgbarLogger()
        >>> logger.set_params({"verbose": 2, "epochs": 1, "steps": 2})
        >>> logger.on_epoch_begin(0)
        >>> logger.on_train_batch_end(0, {"loss": 0.7})
        >>> logger.on_train_batch_end(1, {"loss": 0.6})
        >>> logger.on_epoch_end(0, {"loss": 0.6})  # doctest: +ELLIPSIS
        2/2 - 0s - ...s/step - loss: 0.6000
    """

    def __init__(self, count_mode: str = "steps"):
        super().__init__()
        if count_mode not in ("steps", "samples"):
            raise ValueError(
                f"Unknown `count_mode`. Expected 'steps' or 'samples'. Received: count_mode={count_mode!r}"
            )
        self.count_mode = count_mode
        self.seen = 0
        self.progbar: Progbar | None = None
        self.target: int | None = None
        self.verbose = 1
        self.epochs = 1
        self._called_in_fit = False

    def set_params(self, params: dict[str, Any]) -> None:
        super().set_params(params)
        self.verbose = resolve_verbose(params.get("verbose", 1)) if is_chief() else 0
        self.epochs = params.get("epochs") or 1
        self.target = params.get("samples" if self.count_mode == "samples" else "steps")

    # -- hooks -----------------------------------------------------------------------------------
    def on_train_begin(self, logs: dict | None = None) -> None:
        self._called_in_fit = True  # the validation pass of `fit` stays silent

    def on_train_end(self, logs: dict | None = None) -> None:
        self._close()
        self._called_in_fit = False

    def on_epoch_begin(self, epoch: int, logs: dict | None = None) -> None:
        self._reset_progbar()
        if self.verbose and self.epochs > 1:
            sys.stdout.write(f"Epoch {epoch + 1}/{self.epochs}\n")
            sys.stdout.flush()
        self._maybe_init_progbar()

    def on_epoch_end(self, epoch: int, logs: dict | None = None) -> None:
        self._finalize_progbar(logs)

    def on_train_batch_end(self, batch: int, logs: dict | None = None) -> None:
        self._update_progbar(batch, logs)

    def on_test_begin(self, logs: dict | None = None) -> None:
        if not self._called_in_fit:
            self._reset_progbar()
            self._maybe_init_progbar()

    def on_test_batch_end(self, batch: int, logs: dict | None = None) -> None:
        if not self._called_in_fit:
            self._update_progbar(batch, logs)

    def on_test_end(self, logs: dict | None = None) -> None:
        if not self._called_in_fit:
            self._finalize_progbar(logs)

    def on_predict_begin(self, logs: dict | None = None) -> None:
        self._reset_progbar()
        self._maybe_init_progbar()

    def on_predict_batch_end(self, batch: int, logs: dict | None = None) -> None:
        self._update_progbar(batch, None)  # predictions are not metrics

    def on_predict_end(self, logs: dict | None = None) -> None:
        self._finalize_progbar(logs)

    # -- the bar ---------------------------------------------------------------------------------
    def _close(self) -> None:
        if self.progbar is not None:
            self.progbar.close()

    def _reset_progbar(self) -> None:
        self._close()
        self.seen = 0
        self.progbar = None

    def _maybe_init_progbar(self) -> None:
        if self.progbar is None:
            self.progbar = Progbar(
                target=self.target,
                verbose=self.verbose,
                interval=REFRESH_INTERVAL,
                unit_name="sample" if self.count_mode == "samples" else "step",
                stateless_metrics=(),  # logs hold running averages already
            )

    def _update_progbar(self, batch: int, logs: dict | None) -> None:
        logs = logs or {}
        if self.count_mode == "steps":
            self.seen = batch + 1
        else:
            self.seen += int(logs.get("size", self.params.get("batch_size", 1)))
            logs = {k: v for k, v in logs.items() if k not in ("size", "batch")}
        if self.verbose == 1:
            self._maybe_init_progbar()
            self.progbar.update(self.seen, logs, finalize=False)

    def _finalize_progbar(self, logs: dict | None) -> None:
        if not self.verbose:
            return
        self._maybe_init_progbar()
        if self.target is None:
            self.target = self.seen
            self.progbar.target = self.seen
        self.progbar.update(self.target, logs or {}, finalize=True)
