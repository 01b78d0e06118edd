"""`fit`, `evaluate`, `predict` and the `*_on_batch` methods: data adapter -> step -> callbacks.

The loops never read a tensor's value per step: logs stay tensors on the device until an epoch
ends (or a callback asks), so a step costs what its kernels cost.
"""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Iterator
from typing import Any

import torch

from torchkeras_lite.backend import config as backend_config
from torchkeras_lite.backend import device as backend_device
from torchkeras_lite.callbacks import CallbackList
from torchkeras_lite.callbacks.callback_list import pythonify_logs
from torchkeras_lite.distribution import distribution_lib
from torchkeras_lite.distribution.collectives import any_rank, gather_rows, sync_metrics
from torchkeras_lite.distribution.process_group import collective_errors
from torchkeras_lite.trainers.data_adapters import data_utils, get_data_adapter
from torchkeras_lite.trainers.data_adapters.torch_adapter import warn_ran_out
from torchkeras_lite.utils import tree


def batch_size_of(x: Any) -> int:
    if type(x) is torch.Tensor:
        return int(x.shape[0]) if x.ndim else 1
    for leaf in tree.flatten(x):
        if hasattr(leaf, "shape") and len(leaf.shape) > 0:
            return int(leaf.shape[0])
    return 1


def _resolve_verbose(verbose: Any) -> int:
    if verbose == "auto":
        return 1 if sys.stdout.isatty() else 2
    if verbose not in (0, 1, 2):
        raise ValueError(f"`verbose` must be 0, 1, 2 or 'auto'. Received: verbose={verbose!r}")
    return int(verbose)


def _steps(adapter: Any, steps: int | None, what: str) -> int | None:
    """How many steps an epoch runs; an error when `steps` exceeds what finite data provides."""
    available = adapter.num_batches
    if steps is None:
        return available
    if not isinstance(steps, int) or steps <= 0:
        raise ValueError(f"`{what}` must be a positive integer. Received: {what}={steps!r}")
    if available is not None and steps > available:
        raise ValueError(
            f"`{what}={steps}` is larger than the number of batches the data provides ({available}). "
            f"Pass `{what}={available}` or less, or repeat the data. Received: {what}={steps}"
        )
    return steps


def _iterate(adapter: Any, device: torch.device, steps: int | None) -> Iterator[tuple[int, Any]]:
    done = 0
    for batch in adapter.get_iterator(device):
        yield done, batch
        done += 1
        if steps is not None and done >= steps:
            return
    if done == 0 and adapter.num_batches != 0:
        raise ValueError(
            "The data provided no batches for this epoch. A generator is consumed once: pass "
            "`steps_per_epoch` so each epoch takes only part of it, or a re-iterable dataset."
        )
    if steps is not None and done < steps:
        warn_ran_out(steps, done)


def _guard(dist: Any, what: str) -> Any:
    """Under a distribution, a failed collective raises a `DistributedError` that says why."""
    return contextlib.nullcontext() if dist is None else collective_errors(what)


def _quiet(dist: Any, verbose: int) -> int:
    """Only rank 0 prints progress."""
    return 0 if dist is not None and dist.rank != 0 else verbose


class LoopsMixin:
    """The loops of `Model`; the step functions and metric state live in `Trainer`."""

    # -- placement ---------------------------------------------------------------------------
    def to(self, *args: Any, **kwargs: Any):
        self.__dict__["_placed"] = True
        return super().to(*args, **kwargs)

    def cuda(self, device: Any = None):
        self.__dict__["_placed"] = True
        return super().cuda(device)

    def cpu(self):
        self.__dict__["_placed"] = True
        return super().cpu()

    def _train_device(self) -> torch.device:
        """The configured device, else where the (placed) model is, else CUDA when available.

        Under a distribution: this process' device (its local GPU, or the CPU).
        """
        dist = distribution_lib.active()
        if dist is not None:
            return dist.device
        if backend_config._DEVICE is not None:
            return torch.device(backend_config._DEVICE)
        current = backend_device.device_of(self)
        if current is not None and (current.type != "cpu" or self.__dict__.get("_placed")):
            return current
        return backend_device.get_device()

    def _prepare(self, first_batch: Any, device: torch.device, training: bool = True) -> None:
        """Moves the model to `device`, builds unbuilt layers with one dry call, binds the optimizer.

        Under a distribution, the built model is then set up for it (DDP or FSDP for training,
        rank 0's weights for inference) before the optimizer is bound to the weights.
        """
        current = backend_device.device_of(self)
        if current is not None and current != device:
            torch.nn.Module.to(self, device)
        x, y, _ = data_utils.unpack_x_y_sample_weight(first_batch)
        metrics = self.__dict__.get("_compile_metrics")
        needs_metrics = metrics is not None and not metrics.built and y is not None
        if needs_metrics or not all(layer.built for layer in self._flatten_layers()):
            with torch.no_grad():  # one dry call builds the layers and the compiled metrics
                y_pred = self(x, training=False)
            if needs_metrics:
                metrics.build(y, y_pred)
        for m in self.metrics:
            if isinstance(m, torch.nn.Module):
                m.to(device)
        dist = distribution_lib.active()
        if dist is not None:
            if training:
                dist.prepare_for_training(self)
            else:
                dist.prepare_for_inference(self)
        binding = self.__dict__.get("_binding")
        if binding is not None and not binding.bound:
            binding.bind(self.trainable_weights)

    # -- fit -----------------------------------------------------------------------------------
    def fit(
        self,
        x: Any = None,
        y: Any = None,
        batch_size: int | None = None,
        epochs: int = 1,
        verbose: Any = "auto",
        callbacks: Any = None,
        validation_split: float = 0.0,
        validation_data: Any = None,
        shuffle: bool = True,
        class_weight: dict | None = None,
        sample_weight: Any = None,
        initial_epoch: int = 0,
        steps_per_epoch: int | None = None,
        validation_steps: int | None = None,
        validation_batch_size: int | None = None,
        validation_freq: int = 1,
    ):
        """Trains the model for `epochs` epochs and returns a `History` (see the Keras docs).

        Under torchrun (or `keras.distribution.set_distribution(...)`) every process runs `fit`
        on its part of the data: `batch_size` is the batch of each process, and the logs and
        `History` hold the metrics of all processes together (see `keras.distribution`).
        """
        self._assert_compiled("training")
        dist = distribution_lib.active()
        verbose = _quiet(dist, _resolve_verbose(verbose))
        if validation_split and validation_data is None:
            if not (data_utils.is_array_structure(x) and data_utils.is_array_structure(y)):
                raise ValueError(
                    "`validation_split` is only supported for arrays and tensors, not for datasets or "
                    f"generators. Received: x of type {type(x).__name__}"
                )
            (x, y, sample_weight), validation_data = data_utils.train_validation_split(
                (x, y, sample_weight), validation_split
            )
        shard = None if dist is None else dist.data_shard(training=True, shuffle=bool(shuffle))
        adapter = get_data_adapter(x, y, sample_weight, batch_size, shuffle, class_weight, shard)
        steps = _steps(adapter, steps_per_epoch, "steps_per_epoch")
        val_adapter = None
        if validation_data is not None:
            vx, vy, vsw = data_utils.unpack_x_y_sample_weight(validation_data)
            val_adapter = get_data_adapter(
                vx,
                vy,
                vsw,
                validation_batch_size
                or (batch_size if data_utils.is_array_structure(vx) else None),
                shard=None if dist is None else dist.data_shard(training=False),
            )
        device = self._train_device()
        callback_list = CallbackList(
            callbacks,
            add_history=True,
            add_progbar=verbose != 0,
            model=self,
            verbose=verbose,
            epochs=epochs,
            steps=steps,
        )
        self.stop_training = False
        # Resume hook (BackupAndRestore): the callback reads `_fit_adapter` (its shuffle generator)
        # and may set `_initial_epoch` / `_initial_step` (batches of that epoch already trained).
        self.__dict__["_fit_adapter"] = adapter
        callback_list.on_train_begin()
        resumed_epoch = self.__dict__.pop("_initial_epoch", None)
        initial_epoch = initial_epoch if resumed_epoch is None else resumed_epoch
        skip_steps = self.__dict__.pop("_initial_step", 0)
        epoch_logs: dict[str, Any] = {}
        prepared = False
        with _guard(dist, "Training"):
            for epoch in range(initial_epoch, epochs):
                self.reset_metrics()
                callback_list.on_epoch_begin(epoch)
                for step, batch in _iterate(adapter, device, steps):
                    if (
                        skip_steps
                    ):  # resuming mid-epoch: these batches were trained before the restart
                        skip_steps -= 1
                        continue
                    if not prepared:
                        self._prepare(batch, device)
                        prepared = True
                    callback_list.on_train_batch_begin(step)
                    self._binding.zero_grad()
                    logs = self.train_step(batch)
                    callback_list.on_train_batch_end(step, logs)
                    if self.stop_training:
                        break
                if dist is not None:  # the metric states summed over the processes, once per epoch
                    sync_metrics(self)
                epoch_logs = pythonify_logs(self.get_metrics_result())
                if val_adapter is not None and (epoch + 1) % validation_freq == 0:
                    val_logs = self._test_loop(
                        val_adapter, device, validation_steps, callback_list, in_fit=True
                    )
                    epoch_logs.update({f"val_{k}": v for k, v in val_logs.items()})
                callback_list.on_epoch_end(epoch, epoch_logs)
                self._binding.on_epoch_end(epoch_logs)
                if dist is not None:  # one process' callback stops them all
                    self.stop_training = any_rank(self.stop_training)
                if self.stop_training:
                    break
        self._binding.on_train_end(self.trainable_weights)
        callback_list.on_train_end(epoch_logs)
        self.__dict__.pop("_fit_adapter", None)  # resume hook: do not keep the data alive
        return self.history

    # -- evaluate ------------------------------------------------------------------------------
    def evaluate(
        self,
        x: Any = None,
        y: Any = None,
        batch_size: int | None = None,
        verbose: Any = "auto",
        sample_weight: Any = None,
        steps: int | None = None,
        callbacks: Any = None,
        return_dict: bool = False,
    ):
        """The loss and metrics on the data: a scalar, a list `[loss, *metrics]`, or a dict."""
        self._assert_compiled("evaluating")
        dist = distribution_lib.active()
        verbose = _quiet(dist, _resolve_verbose(verbose))
        shard = None if dist is None else dist.data_shard(training=False)
        adapter = get_data_adapter(x, y, sample_weight, batch_size, False, shard=shard)
        callback_list = CallbackList(
            callbacks,
            add_history=False,
            add_progbar=verbose != 0,
            model=self,
            verbose=verbose,
            epochs=1,
            steps=_steps(adapter, steps, "steps"),
        )
        logs = self._test_loop(adapter, self._train_device(), steps, callback_list)
        if return_dict:
            return logs
        values = list(logs.values())
        return values[0] if len(values) == 1 else values

    def _test_loop(
        self,
        adapter: Any,
        device: torch.device,
        steps: int | None,
        callback_list: Any,
        in_fit: bool = False,
    ) -> dict:
        steps = _steps(adapter, steps, "validation_steps" if in_fit else "steps")
        dist = distribution_lib.active()
        self.reset_metrics()
        if callback_list is not None:
            callback_list.on_test_begin()
        with torch.no_grad(), _guard(dist, "Evaluation"):
            for step, batch in _iterate(adapter, device, steps):
                if step == 0:
                    self._prepare(batch, device, training=False)
                if callback_list is not None:
                    callback_list.on_test_batch_begin(step)
                logs = self.test_step(batch)
                if callback_list is not None:
                    callback_list.on_test_batch_end(step, logs)
            if dist is not None:
                sync_metrics(self)
        logs = _to_floats(self.get_metrics_result())
        if callback_list is not None:
            callback_list.on_test_end(logs)
        return logs

    # -- predict -------------------------------------------------------------------------------
    def predict(
        self,
        x: Any,
        batch_size: int | None = None,
        verbose: Any = "auto",
        steps: int | None = None,
        callbacks: Any = None,
    ):
        """The model's outputs on `x` as numpy arrays, in the structure of the outputs.

        Under a distribution each process predicts its part of `x`, and every process returns
        all the outputs, in the order of `x`.
        """
        return self._predict(x, batch_size, verbose, steps, callbacks, distribute=True)

    def _predict(
        self,
        x: Any,
        batch_size: int | None,
        verbose: Any,
        steps: int | None,
        callbacks: Any,
        distribute: bool,
    ):
        dist = distribution_lib.active() if distribute else None
        verbose = _quiet(dist, _resolve_verbose(verbose))
        shard = None if dist is None else dist.data_shard(training=False)
        adapter = get_data_adapter(x, None, None, batch_size, False, shard=shard)
        steps = _steps(adapter, steps, "steps")
        device = self._train_device()
        callback_list = CallbackList(
            callbacks,
            add_history=False,
            add_progbar=verbose != 0,
            model=self,
            verbose=verbose,
            epochs=1,
            steps=steps,
        )
        callback_list.on_predict_begin()
        outputs: list[Any] = []
        layout = getattr(adapter, "shard_layout", None) if dist is not None else None
        with torch.no_grad(), _guard(dist, "Prediction"):
            for step, batch in _iterate(adapter, device, steps):
                if step == 0:
                    current = backend_device.device_of(self)
                    if current is not None and current != device:
                        torch.nn.Module.to(self, device)
                    if dist is not None:
                        self._build_for_inference(batch, dist)
                callback_list.on_predict_batch_begin(step)
                out = self.predict_step(batch)
                outputs.append(out)
                callback_list.on_predict_batch_end(step, {"outputs": out})
            callback_list.on_predict_end()
            gather = None
            if layout is not None:
                total = getattr(adapter, "num_samples", None)
                gather = lambda leaves: gather_rows(leaves, layout, total)  # noqa: E731
            return _concat_to_numpy(outputs, gather)

    def _build_for_inference(self, batch: Any, dist: Any) -> None:
        """Builds an unbuilt model with one dry call, then gives it rank 0's weights."""
        if not all(layer.built for layer in self._flatten_layers()):
            self(data_utils.unpack_x_y_sample_weight(batch)[0], training=False)
        dist.prepare_for_inference(self)

    # -- single batches --------------------------------------------------------------------------
    def train_on_batch(
        self,
        x: Any,
        y: Any = None,
        sample_weight: Any = None,
        class_weight: dict | None = None,
        return_dict: bool = False,
    ):
        """One training step on one batch; returns the loss (and metrics) after it."""
        self._assert_compiled("training")
        adapter = get_data_adapter(x, y, sample_weight, batch_size_of(x), False, class_weight)
        device = self._train_device()
        batch = next(iter(adapter.get_iterator(device)))
        self._prepare(batch, device)
        self.reset_metrics()
        self._binding.zero_grad()
        dist = distribution_lib.active()
        with _guard(dist, "Training"):
            self.train_step(batch)
            if dist is not None:
                sync_metrics(self)
        return _format(_to_floats(self.get_metrics_result()), return_dict)

    def test_on_batch(
        self, x: Any, y: Any = None, sample_weight: Any = None, return_dict: bool = False
    ):
        self._assert_compiled("evaluating")
        adapter = get_data_adapter(x, y, sample_weight, batch_size_of(x), False)
        logs = self._test_loop(adapter, self._train_device(), 1, None)
        return _format(logs, return_dict)

    def predict_on_batch(self, x: Any):
        """The outputs on this batch (this process' batch: nothing is split or gathered)."""
        return self._predict(x, batch_size_of(x), 0, None, None, distribute=False)


def _to_floats(logs: dict) -> dict[str, Any]:
    """Logs as Python floats, in the model's order (loss first, as `metrics_names`)."""
    out: dict[str, Any] = {}
    for key, value in logs.items():
        if isinstance(value, dict):
            out.update(_to_floats(value))
        elif isinstance(value, torch.Tensor) and value.numel() == 1:
            out[key] = float(value.detach())
        else:
            out[key] = value
    return out


def _format(logs: dict, return_dict: bool):
    if return_dict:
        return logs
    values = list(logs.values())
    return values[0] if len(values) == 1 else values


def _concat_to_numpy(outputs: list[Any], gather: Any = None) -> Any:
    if not outputs:
        raise ValueError("Expected a non-empty dataset to predict on. Received: no batches")
    flat = [tree.flatten(o) for o in outputs]
    joined = [torch.cat([f[i] for f in flat]) for i in range(len(flat[0]))]
    if gather is not None:  # every process' outputs, in the order of the data
        joined = gather(joined)
    joined = [t.detach().cpu().numpy() for t in joined]
    return tree.pack_sequence_as(outputs[0], joined) if tree.is_nested(outputs[0]) else joined[0]


__all__ = ["LoopsMixin", "batch_size_of"]
