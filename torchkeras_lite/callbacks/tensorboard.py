"""`TensorBoard`: writes metrics, the learning rate and weight histograms for TensorBoard."""

from __future__ import annotations

import os
from typing import Any

import torch

from torchkeras_lite.callbacks._lr import get_learning_rate
from torchkeras_lite.callbacks.callback import Callback
from torchkeras_lite.distribution.process_group import is_chief


def _summary_writer_class() -> type:
    try:
        import tensorboard  # noqa: F401
        from torch.utils.tensorboard import SummaryWriter
    except ImportError as error:
        raise ImportError(
            "The TensorBoard callback needs the `tensorboard` package, which is not installed. "
            "Install it with `pip install tensorboard` (or `pip install torchkeras_lite[tensorboard]`). "
            f"Received: error={error!r}"
        ) from error
    return SummaryWriter


class TensorBoard(Callback):
    """Writes TensorBoard event files (through `torch.utils.tensorboard.SummaryWriter`).

    Training logs go to `<log_dir>/train`, validation logs (with their `val_` prefix removed)
    to `<log_dir>/validation`, as `epoch_<name>` scalars at step `epoch`; the optimizer's
    learning rate is written as `epoch_learning_rate`. View them with
    `tensorboard --logdir <log_dir>`. Under a distribution only rank 0 writes.

    Args:
        log_dir: the directory of the event files.
        histogram_freq: every how many epochs to write a histogram of each weight (0: never).
        write_graph: write the model's structure (its module tree, as text: torch needs
            example inputs, which callbacks do not see, to trace a graph).
        update_freq: `"epoch"` writes only epoch results; `"batch"` or an integer N also
            writes each N-th training batch's logs as `batch_<name>` scalars (reading them
            makes the host wait for the device at those batches).

    Raises:
        ImportError: when the `tensorboard` package is not installed.

    Example:
        ```python
        model.fit(x, y, epochs=10, callbacks=[keras.callbacks.TensorBoard("logs")])
        # then: tensorboard --logdir logs
        ```
    """

    def __init__(
        self,
        log_dir: str | os.PathLike = "logs",
        histogram_freq: int = 0,
        write_graph: bool = True,
        update_freq: str | int = "epoch",
    ):
        super().__init__()
        if update_freq == "batch":
            update_freq = 1
        if update_freq != "epoch" and not (isinstance(update_freq, int) and update_freq > 0):
            raise ValueError(
                "`update_freq` must be 'epoch', 'batch' or a positive integer. "
                f"Received: update_freq={update_freq!r}"
            )
        if not isinstance(histogram_freq, int) or histogram_freq < 0:
            raise ValueError(
                f"`histogram_freq` must be a non-negative integer. Received: histogram_freq={histogram_freq!r}"
            )
        self._writer_class = _summary_writer_class()
        self.log_dir = os.fspath(log_dir)
        self.histogram_freq = histogram_freq
        self.write_graph = write_graph
        self.update_freq = update_freq
        self._train_dir = os.path.join(self.log_dir, "train")
        self._val_dir = os.path.join(self.log_dir, "validation")
        self._writers: dict[str, Any] = {}
        self._global_train_batch = 0
        self._writes = True

    # -- writers (created on first use, so no empty event files) ----------------------------------
    def _writer(self, which: str):
        if which not in self._writers:
            log_dir = self._train_dir if which == "train" else self._val_dir
            self._writers[which] = self._writer_class(log_dir=log_dir)
        return self._writers[which]

    def _close_writers(self) -> None:
        for writer in self._writers.values():
            writer.close()
        self._writers = {}

    # -- hooks -----------------------------------------------------------------------------------
    def on_train_begin(self, logs: dict | None = None) -> None:
        self._global_train_batch = 0
        self._writes = is_chief()
        if self.write_graph and self._writes and self.model is not None:
            self._writer("train").add_text("model", f"```\n{self.model}\n```", global_step=0)

    def on_train_batch_end(self, batch: int, logs: dict | None = None) -> None:
        self._global_train_batch += 1
        if (
            self.update_freq == "epoch"
            or self._global_train_batch % self.update_freq
            or not self._writes
        ):
            return
        writer = self._writer("train")
        for name, value in (logs or {}).items():
            writer.add_scalar(f"batch_{name}", _scalar(value), self._global_train_batch)

    def on_test_end(self, logs: dict | None = None) -> None:
        if not logs or not self._global_train_batch or not self._writes:
            return  # only the validation of `fit` is placed on the training timeline
        writer = self._writer("val")
        for name, value in logs.items():
            writer.add_scalar(
                f"evaluation_{name}_vs_iterations", _scalar(value), self._global_train_batch
            )

    def on_epoch_end(self, epoch: int, logs: dict | None = None) -> None:
        if not self._writes:
            return
        logs = logs or {}
        train_logs = {k: v for k, v in logs.items() if not k.startswith("val_")}
        val_logs = {k[4:]: v for k, v in logs.items() if k.startswith("val_")}
        optimizer = getattr(self.model, "optimizer", None)
        if optimizer is not None and "learning_rate" not in train_logs:
            train_logs["learning_rate"] = get_learning_rate(optimizer)
        for which, group in (("train", train_logs), ("val", val_logs)):
            if not group:
                continue
            writer = self._writer(which)
            for name, value in group.items():
                writer.add_scalar(f"epoch_{name}", _scalar(value), epoch)
            writer.flush()
        if self.histogram_freq and epoch % self.histogram_freq == 0:
            self._log_weights(epoch)

    def on_train_end(self, logs: dict | None = None) -> None:
        self._close_writers()

    def _log_weights(self, epoch: int) -> None:
        if not isinstance(self.model, torch.nn.Module):
            return
        writer = self._writer("train")
        for name, weight in self.model.named_parameters():
            tag = getattr(weight, "path", None) or name.replace(".", "/")
            writer.add_histogram(f"{tag}/histogram", weight.detach().float().cpu(), epoch)
        writer.flush()


def _scalar(value: Any) -> float:
    if isinstance(value, torch.Tensor):
        return float(value.detach().float().mean().item())
    return float(value)
