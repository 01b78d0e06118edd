"""`BackupAndRestore`: resume an interrupted `fit` exactly where the last backup left it.

The backup is one archive (`<backup_dir>/latest.backup`, written atomically) with the weights, the
optimizer's state, the metrics' running state, the epoch and step reached, and the random number
generators: those at the start of the interrupted epoch (so the data is shuffled the same way
again) and those at the backup (so dropout and other random ops continue the same sequence).
A run killed at any point and restarted with the same script ends with the same weights, bit
for bit on CPU, as a run that was never interrupted.

The loop cooperates through two model attributes: it exposes its data adapter as
`model._fit_adapter`, and starts from `model._initial_epoch` / `model._initial_step` when this
callback sets them in `on_train_begin`.

Under a distribution every process runs the callback and reads the backup (on a shared file
system), rank 0 alone writes and deletes it while the others wait. A mid-epoch backup holds the
metric states summed over the processes; on resume rank 0 restores them and the others start
from zero, so the epoch's results stay exact. The random generators saved are rank 0's.
"""

from __future__ import annotations

import os
import warnings
from typing import Any

import torch

from torchkeras_lite.callbacks.callback import Callback
from torchkeras_lite.distribution import process_group
from torchkeras_lite.distribution.chief_io import run_on_chief
from torchkeras_lite.distribution.collectives import summed_states
from torchkeras_lite.saving import archive, saving_api, training_state, weights
from torchkeras_lite.saving.errors import SavingError

_STATE = "training_state.json"
_STATE_TENSORS = "training_state.safetensors"


class BackupAndRestore(Callback):
    """Backs up the training state regularly and restores it when `fit` starts again.

    Args:
        backup_dir: the folder for the backup (use one folder per training run).
        save_freq: `"epoch"` backs up after each epoch; an integer N every N batches (a restart
            then resumes in the middle of the epoch).
        delete_checkpoint: delete the backup when training ends normally.
        double_checkpoint: keep the previous backup as well, used if the latest cannot be read.

    Example:
        >>> backup = keras.callbacks.BackupAndRestore(backup_dir="/tmp/backup")
        >>> model.fit(x, y, epochs=10, callbacks=[backup])  # killed at epoch 4
        >>> model.fit(x, y, epochs=10, callbacks=[backup])  # resumes at epoch 4
    """

    def __init__(
        self,
        backup_dir: str | os.PathLike,
        save_freq: str | int = "epoch",
        delete_checkpoint: bool = True,
        double_checkpoint: bool = False,
    ):
        super().__init__()
        if not backup_dir:
            raise ValueError(
                f"Empty `backup_dir` argument passed. Received: backup_dir={backup_dir!r}"
            )
        if save_freq != "epoch" and (
            not isinstance(save_freq, int) or isinstance(save_freq, bool) or save_freq < 1
        ):
            raise ValueError(
                "Invalid value for argument `save_freq`: expected 'epoch' or a positive integer. "
                f"Received: save_freq={save_freq!r}"
            )
        self.backup_dir = os.fspath(backup_dir)
        self.save_freq = save_freq
        self.delete_checkpoint = delete_checkpoint
        self.double_checkpoint = double_checkpoint
        self._latest = os.path.join(self.backup_dir, "latest.backup")
        self._previous = os.path.join(self.backup_dir, "previous.backup")
        self._pending: tuple[dict, dict, dict, str] | None = None
        self._epoch = 0
        self._epoch_rng: tuple[dict, dict] | None = None
        self._batches_since_save = 0
        self._last_batch: int | None = None

    # -- restoring -------------------------------------------------------------------------------
    def _read(self) -> tuple[dict, dict, dict, str] | None:
        candidates = [self._latest] + ([self._previous] if self.double_checkpoint else [])
        errors = []
        for path in candidates:
            if not os.path.exists(path):
                continue
            try:
                members = archive.read(path)
                doc = archive.load_json(members, _STATE, path)
                tensors = weights.decode(archive.member(members, _STATE_TENSORS, path), path)
                return members, doc, tensors, path
            except SavingError as e:
                errors.append(e)
                warnings.warn(f"Could not read the backup '{path}': {e}", stacklevel=3)
        if errors:
            raise errors[-1]
        return None

    def on_train_begin(self, logs: dict | None = None) -> None:
        self._batches_since_save, self._last_batch, self._pending = 0, None, None
        found = self._read()
        if found is None:
            return
        members, doc, tensors, path = found
        try:
            epoch, step = int(doc["epoch"]), int(doc["step"])
        except (KeyError, TypeError, ValueError) as e:
            raise SavingError(f"The backup '{path}' has no valid epoch/step: {e}") from e
        self.model._initial_epoch = epoch
        self.model._initial_step = step
        self._epoch = epoch
        # The epoch's shuffle is drawn when its first batch is requested: rewind the generators.
        training_state.restore_rng("epoch_rng", doc.get("epoch_rng"), tensors, path)
        adapter = self.model.__dict__.get("_fit_adapter")
        if getattr(adapter, "_generator", None) is not None and "adapter_rng" in tensors:
            adapter._generator.set_state(tensors["adapter_rng"])
        self._pending = {"members": members, "doc": doc, "tensors": tensors, "path": path}
        model = self.model
        if (
            getattr(model, "built", True)
            and all(getattr(m, "built", True) for m in model.modules())
        ):  # restore now, so that callbacks setting the rate per epoch act on the restored optimizer
            device = model._train_device() if hasattr(model, "_train_device") else None
            if device is not None:
                torch.nn.Module.to(model, device)
            self._restore_model()

    def _restore_metrics(self) -> None:
        """The loop reset the metrics as the resumed epoch began: put back their running state."""
        tensors = self._pending["tensors"]
        if not process_group.is_chief():  # rank 0 holds the sum of every process' states
            return
        for metric in _metric_modules(self.model):
            prefix = f"metrics/{metric.name}/"
            saved = {k[len(prefix) :]: v for k, v in tensors.items() if k.startswith(prefix)}
            if saved and set(saved) == set(metric.state_dict()):
                metric.load_state_dict(saved)

    def _finish_restore(self) -> None:
        """Right before the first step after the restart (or the epoch end, when none is left)."""
        pending = self._pending
        if not pending.get("model_restored"):  # a model built lazily by the loop
            self._restore_model()
        self._pending = None
        training_state.restore_rng(
            "rng", pending["doc"].get("rng"), pending["tensors"], pending["path"]
        )

    def on_train_batch_begin(self, batch: int, logs: dict | None = None) -> None:
        if self._pending is not None:
            self._finish_restore()

    def _restore_model(self) -> None:
        pending, model = self._pending, self.model
        members, doc, tensors, path = (pending[k] for k in ("members", "doc", "tensors", "path"))
        pending["model_restored"] = True
        saved = weights.decode(archive.member(members, archive.WEIGHTS, path), path)
        weights.assign(model, saved, path)
        has_binding = model.__dict__.get("_binding") is not None
        if archive.OPTIMIZER_STATE in members and has_binding:
            saving_api.restore_optimizer(model, members, path)
        training_state.restore_generators(model, doc.get("generators"), tensors, path)
        if doc.get("at_epoch_end") and has_binding:
            # Backed up in on_epoch_end, before the loop stepped the lr scheduler: step it now.
            model._binding.on_epoch_end(doc.get("epoch_logs") or {})

    # -- backing up ------------------------------------------------------------------------------
    def on_epoch_begin(self, epoch: int, logs: dict | None = None) -> None:
        self._epoch = epoch
        tensors: dict[str, torch.Tensor] = {}
        doc = training_state.capture_rng("epoch_rng", tensors)
        adapter = self.model.__dict__.get("_fit_adapter")
        if getattr(adapter, "_generator", None) is not None:
            tensors["adapter_rng"] = adapter._generator.get_state()
        self._epoch_rng = (doc, tensors)
        if self._pending is not None:
            self._restore_metrics()

    def on_train_batch_end(self, batch: int, logs: dict | None = None) -> None:
        if self.save_freq == "epoch":
            return
        if self._last_batch is None or batch <= self._last_batch:
            self._batches_since_save += batch + 1
        else:
            self._batches_since_save += batch - self._last_batch
        self._last_batch = batch
        if self._batches_since_save >= self.save_freq:
            self._batches_since_save = 0
            self._save(self._epoch, batch + 1, at_epoch_end=False, logs=None)

    def on_epoch_end(self, epoch: int, logs: dict | None = None) -> None:
        if self._pending is not None:  # resumed after the epoch's last batch: no step ran
            self._finish_restore()
        self._last_batch = None
        if self.save_freq == "epoch":
            self._epoch_rng = None  # the next epoch starts from the generators as they are now
            self._save(epoch + 1, 0, at_epoch_end=True, logs=logs)

    def _save(self, epoch: int, step: int, at_epoch_end: bool, logs: dict | None) -> None:
        model = self.model
        tensors: dict[str, torch.Tensor] = {}
        doc: dict[str, Any] = {"epoch": epoch, "step": step, "at_epoch_end": at_epoch_end}
        doc["rng"] = training_state.capture_rng("rng", tensors)
        if self._epoch_rng is not None:
            epoch_doc, epoch_tensors = self._epoch_rng
            tensors.update(epoch_tensors)
        else:
            epoch_doc = training_state.capture_rng("epoch_rng", tensors)
            adapter = model.__dict__.get("_fit_adapter")
            if getattr(adapter, "_generator", None) is not None:
                tensors["adapter_rng"] = adapter._generator.get_state()
        doc["epoch_rng"] = epoch_doc
        doc["generators"] = training_state.capture_generators(model, tensors)
        if not at_epoch_end:  # the running metrics of the epoch in progress
            metrics = _metric_modules(model)
            if process_group.is_distributed():
                states = summed_states(metrics)
            else:
                states = []
                for metric in metrics:
                    fold = getattr(metric, "_fold", None)  # LossTracker keeps its count in Python
                    if callable(fold):
                        fold()
                    states.append(metric.state_dict())
            for metric, state in zip(metrics, states):
                tensors.update({f"metrics/{metric.name}/{k}": v for k, v in state.items()})
        doc["epoch_logs"] = {
            k: float(v) for k, v in (logs or {}).items() if isinstance(v, (int, float))
        }
        members: dict[str, bytes] = {}
        if process_group.is_chief() or saving_api._sharded(model):
            members = {
                archive.WEIGHTS: weights.encode(saving_api.model_weight_tensors(model)),
                **saving_api.optimizer_members(model),
                _STATE: archive.dumps(doc, "training state"),
                _STATE_TENSORS: weights.encode(tensors),
            }
        run_on_chief(lambda: self._write(members), f"Writing the backup '{self._latest}'")

    def _write(self, members: dict[str, bytes]) -> None:
        os.makedirs(self.backup_dir, exist_ok=True)
        if self.double_checkpoint and os.path.exists(self._latest):
            os.replace(self._latest, self._previous)
        archive.write(self._latest, members)

    def on_train_end(self, logs: dict | None = None) -> None:
        if self.delete_checkpoint:
            run_on_chief(self._delete, f"Deleting the backup '{self._latest}'")

    def _delete(self) -> None:
        for path in (self._latest, self._previous):
            if os.path.exists(path):
                os.remove(path)
        if os.path.isdir(self.backup_dir) and not os.listdir(self.backup_dir):
            os.rmdir(self.backup_dir)


def _metric_modules(model: Any) -> list[torch.nn.Module]:
    """The model's metrics that hold state (the loss tracker, built compiled metrics)."""
    return [m for m in getattr(model, "metrics", ()) if isinstance(m, torch.nn.Module)]
