"""The training half of `Model`: `compile`, the step functions, and the metric bookkeeping.

The loops (`fit`, `evaluate`, `predict`) live in `trainers/loops.py` and delegate here:
data adapter -> step function -> callbacks -> history.
"""

from __future__ import annotations

from typing import Any

import torch

from torchkeras_lite import metrics as metrics_module
from torchkeras_lite import optimizers as optimizers_module
from torchkeras_lite.trainers import loops
from torchkeras_lite.trainers.compile_utils import CompileLoss, CompileMetrics, validate_names
from torchkeras_lite.trainers.compiled_steps import CompiledSteps
from torchkeras_lite.trainers.data_adapters import data_utils
from torchkeras_lite.trainers.optimizer_binding import OptimizerBinding
from torchkeras_lite.trainers.trackers import LazyLogs, LossTracker


class Trainer(loops.LoopsMixin):
    """Mixed into `Model`: `compile`, `train_step`/`test_step`/`predict_step`, `compute_loss`."""

    def _init_trainer_state(self) -> None:
        d = self.__dict__
        d.setdefault("compiled", False)
        d.setdefault("stop_training", False)
        d.setdefault("_compile_loss", None)
        d.setdefault("_compile_metrics", None)
        d.setdefault("_loss_tracker", None)
        d.setdefault("_binding", None)
        d.setdefault("_compiled_steps", None)
        d.setdefault("_placed", False)
        d.setdefault("history", None)

    def compile(
        self,
        optimizer: Any = "rmsprop",
        loss: Any = None,
        loss_weights: Any = None,
        metrics: Any = None,
        weighted_metrics: Any = None,
        run_eagerly: bool = False,
        steps_per_execution: int = 1,
        jit_compile: bool | str = "auto",
        auto_scale_loss: bool = True,
        lr_scheduler: Any = None,
        lr_scheduler_interval: str = "epoch",
    ) -> None:
        """Configures the model for training.

        Args:
            optimizer: a name (`"adam"`), a Keras optimizer, or a native `torch.optim.Optimizer`
                instance or class (a class is instantiated with the model's trainable weights once
                they exist).
            loss: a name, a function `(y_true, y_pred)`, a `Loss`, or a list/dict per output.
            loss_weights: scalars weighting each output's loss (list or dict).
            metrics: names (`"accuracy"`, `"mae"`, ...), metric objects or functions; a list, or a
                dict per output. Not weighted by `sample_weight`.
            weighted_metrics: like `metrics`, but weighted by `sample_weight`.
            run_eagerly: force eager steps (never `torch.compile`).
            steps_per_execution: how many steps run between callback batch hooks.
            jit_compile: True runs the steps through `torch.compile`; "auto" picks eager on the CPU.
            lr_scheduler: our extension: a `torch.optim.lr_scheduler` instance, or a callable
                `optimizer -> scheduler` (for optimizers built lazily), stepped each epoch (or each
                batch with `lr_scheduler_interval="step"`); `ReduceLROnPlateau` gets `val_loss`
                when present, else `loss`.
            lr_scheduler_interval: `"epoch"` or `"step"`.
        """
        self._init_trainer_state()
        if steps_per_execution < 1:
            raise ValueError(
                f"`steps_per_execution` must be >= 1. Received: steps_per_execution={steps_per_execution}"
            )
        if lr_scheduler_interval not in ("epoch", "step"):
            raise ValueError(
                f"`lr_scheduler_interval` must be 'epoch' or 'step'. Received: lr_scheduler_interval={lr_scheduler_interval!r}"
            )
        if isinstance(optimizer, (str, dict)):
            optimizer = optimizers_module.get(optimizer)
        validate_names(loss, metrics, weighted_metrics)
        if (
            auto_scale_loss
            and any(lay.dtype_policy.name == "mixed_float16" for lay in self._flatten_layers())
            and isinstance(optimizer, optimizers_module.Optimizer)
            and not isinstance(optimizer, optimizers_module.LossScaleOptimizer)
        ):  # float16 gradients underflow without loss scaling (Keras does the same)
            optimizer = optimizers_module.LossScaleOptimizer(optimizer)
        output_names = getattr(self, "output_names", None)
        d = self.__dict__  # plain attributes: metrics are not submodules (not in state_dict)
        d["_binding"] = OptimizerBinding(optimizer, lr_scheduler, lr_scheduler_interval)
        d["_compile_loss"] = (
            CompileLoss(loss, loss_weights, output_names) if loss is not None else None
        )
        d["_compile_metrics"] = (
            CompileMetrics(metrics, weighted_metrics, output_names, loss)
            if metrics is not None or weighted_metrics is not None
            else None
        )
        d["_loss_tracker"] = LossTracker(name="loss")
        d["_extra_loss_trackers"] = {}
        d["run_eagerly"] = run_eagerly
        d["steps_per_execution"] = steps_per_execution
        d["jit_compile"] = False if run_eagerly else jit_compile
        d["_compile_config"] = {
            "optimizer": optimizer if isinstance(optimizer, str) else None,
            "loss": loss,
            "loss_weights": loss_weights,
            "metrics": metrics,
            "weighted_metrics": weighted_metrics,
            "run_eagerly": run_eagerly,
            "steps_per_execution": steps_per_execution,
            "jit_compile": jit_compile,
        }
        d["_compiled_steps"] = (
            CompiledSteps(self) if jit_compile is True and not run_eagerly else None
        )
        self.compiled = True
        self.stop_training = False

    # ------------------------------------------------------------------------------------------
    @property
    def optimizer(self) -> Any:
        binding = self.__dict__.get("_binding")
        return None if binding is None else binding.optimizer

    @optimizer.setter
    def optimizer(self, value: Any) -> None:
        self._init_trainer_state()
        self.__dict__["_binding"] = OptimizerBinding(value)

    @property
    def metrics(self) -> list[Any]:
        """The loss tracker then the compiled metrics container (Keras 3's `model.metrics`)."""
        out: list[Any] = []
        if self.__dict__.get("_loss_tracker") is not None:
            out.append(self._loss_tracker)
        cm = self.__dict__.get("_compile_metrics")
        if cm is not None and cm.built:
            out.append(cm)
        for layer in self._flatten_layers(include_self=False):
            out.extend(m for m in layer.__dict__.get("_tracked_metrics", ()))
        return out

    @property
    def metrics_names(self) -> list[str]:
        return [m.name for m in self.metrics]

    def reset_metrics(self) -> None:
        for m in self.metrics:
            m.reset_state()
        for m in self.__dict__.get("_extra_loss_trackers", {}).values():
            m.reset_state()

    def _assert_compiled(self, what: str) -> None:
        if not self.__dict__.get("compiled", False):
            raise RuntimeError(f"You must call `compile()` before {what} the model.")

    # ------------------------------------------------------------------------------------------
    def compute_loss(
        self,
        x: Any = None,
        y: Any = None,
        y_pred: Any = None,
        sample_weight: Any = None,
        training: bool = True,
    ) -> torch.Tensor:
        """The compiled loss of `y_pred` against `y`, plus every loss added with `add_loss`."""
        total = None
        if self._compile_loss is not None and y is not None:
            total, parts = self._compile_loss(y, y_pred, sample_weight)
            if parts:
                self._track_output_losses(parts, y_pred)
        for extra in self.losses:
            total = extra if total is None else total + extra
        if total is None:
            raise ValueError(
                "No loss to compute. Provide a `loss` argument in `compile()` (and targets `y`), or add "
                "losses with `add_loss()`."
            )
        return total

    def _track_output_losses(self, parts: dict[str, torch.Tensor], y_pred: Any) -> None:
        trackers = self.__dict__.setdefault("_extra_loss_trackers", {})
        n = loops.batch_size_of(y_pred)
        for name, value in parts.items():
            if name not in trackers:
                trackers[name] = metrics_module.Mean(name=name).to(value.device)
            trackers[name].update_state(value.detach(), sample_weight=n)

    def compute_metrics(
        self, x: Any, y: Any, y_pred: Any, sample_weight: Any = None
    ) -> dict[str, Any]:
        """Updates the compiled metrics and returns every metric's current result."""
        if self._compile_metrics is not None and y is not None:
            self._compile_metrics.update_state(y, y_pred, sample_weight)
        return self.get_metrics_result()

    def get_metrics_result(self) -> dict[str, Any]:
        logs: dict[str, Any] = {}
        for m in self.metrics:
            value = m.result()
            if isinstance(value, dict):
                logs.update(value)
            else:
                logs[m.name] = value
        for name, tracker in self.__dict__.get("_extra_loss_trackers", {}).items():
            logs[name] = tracker.result()
        return logs

    # ------------------------------------------------------------------------------------------
    def train_step(self, data: Any) -> Any:
        """One optimization step on a batch (gradients were zeroed before the call)."""
        x, y, sample_weight = data_utils.unpack_x_y_sample_weight(data)
        compiled = self.__dict__["_compiled_steps"]
        if compiled is not None and compiled.ready("train"):
            loss, y_pred = compiled.forward_loss("train", x, y, sample_weight)
        else:  # under DataParallel, through the DDP wrapper (it averages the gradients)
            y_pred = self.__dict__.get("_ddp_module", self)(x, training=True)
            loss = self.compute_loss(x=x, y=y, y_pred=y_pred, sample_weight=sample_weight)
        self._loss_tracker.update_state(loss.detach(), sample_weight=loops.batch_size_of(x))
        self._binding.backward(loss)
        self._binding.step()
        return self._update_metrics(y, _detach(y_pred), sample_weight)

    def test_step(self, data: Any) -> Any:
        x, y, sample_weight = data_utils.unpack_x_y_sample_weight(data)
        compiled = self.__dict__["_compiled_steps"]
        if compiled is not None and compiled.ready("test"):
            loss, y_pred = compiled.forward_loss("test", x, y, sample_weight)
        else:
            y_pred = self(x, training=False)
            loss = self.compute_loss(
                x=x, y=y, y_pred=y_pred, sample_weight=sample_weight, training=False
            )
        self._loss_tracker.update_state(loss, sample_weight=loops.batch_size_of(x))
        return self._update_metrics(y, y_pred, sample_weight)

    def _update_metrics(self, y: Any, y_pred: Any, sample_weight: Any) -> LazyLogs:
        """The default steps' metric update; the logs are computed only if a callback reads them."""
        metrics = self.__dict__["_compile_metrics"]
        if metrics is not None and y is not None:
            metrics.update_state(y, y_pred, sample_weight)
        return LazyLogs(self)

    def predict_step(self, data: Any) -> Any:
        x, _, _ = data_utils.unpack_x_y_sample_weight(data)
        compiled = self.__dict__.get("_compiled_steps")
        if compiled is not None and compiled.ready("predict"):
            return compiled.predict(x)
        return self(x, training=False)


def _detach(y: Any) -> Any:
    if isinstance(y, torch.Tensor):
        out = y.detach()
        mask = getattr(y, "_keras_mask", None)
        if mask is not None:
            out._keras_mask = mask
        return out
    if isinstance(y, (list, tuple)):
        return type(y)(_detach(e) for e in y)
    if isinstance(y, dict):
        return {k: _detach(v) for k, v in y.items()}
    return y
