"""What `compile(loss=..., metrics=...)` turns into: one loss and one metrics container per model.

Both follow the structure of the model's outputs (a tensor, a list, or a dict) and resolve names
lazily, on the first batch, because `"accuracy"` depends on the shapes of targets and outputs.
"""

from __future__ import annotations

from typing import Any

import torch

from torchkeras_lite import losses as losses_module
from torchkeras_lite import metrics as metrics_module


def _output_keys(y_pred: Any, output_names: list[str] | None) -> list[Any]:
    if isinstance(y_pred, dict):
        return list(y_pred.keys())
    if isinstance(y_pred, (list, tuple)):
        return list(range(len(y_pred)))
    return [None]


def _select(structure: Any, key: Any, what: str) -> Any:
    if key is None:
        return structure
    if isinstance(structure, dict):
        if key not in structure:
            raise ValueError(
                f"The model has an output named {key!r}, but the {what} do not have that key. "
                f"Received: {what} keys={sorted(structure)}"
            )
        return structure[key]
    if isinstance(structure, (list, tuple)):
        return structure[key]
    raise ValueError(
        f"The model has several outputs, so the {what} must be a list or dict matching them. "
        f"Received: {what} of type {type(structure).__name__}"
    )


def _spread(
    spec: Any, keys: list[Any], output_names: list[str] | None, what: str
) -> dict[Any, Any]:
    """Maps a per-output spec (single value, list, or dict by output name) onto the output keys."""
    if keys == [None]:
        if isinstance(spec, (list, tuple)) and len(spec) == 1 and what == "loss":
            spec = spec[0]
        if isinstance(spec, dict) and what == "loss" and len(spec) == 1:
            spec = next(iter(spec.values()))
        return {None: spec}
    if isinstance(spec, dict):
        out = {}
        for i, key in enumerate(keys):
            name = key if isinstance(key, str) else (output_names[i] if output_names else key)
            out[key] = spec.get(name)
        unknown = set(spec) - {
            key if isinstance(key, str) else (output_names or [None] * len(keys))[i]
            for i, key in enumerate(keys)
        }
        if unknown:
            raise ValueError(
                f"The {what} dict has keys that match no model output: {sorted(map(str, unknown))}. "
                f"Expected keys among the output names {output_names or keys}."
            )
        return out
    if isinstance(spec, (list, tuple)) and what != "metrics":
        if len(spec) != len(keys):
            raise ValueError(
                f"The model has {len(keys)} outputs, but the {what} list has {len(spec)} entries. "
                f"Received: {what}={spec!r}"
            )
        return dict(zip(keys, spec))
    return dict.fromkeys(keys, spec)


def _leaves(spec: Any) -> list[Any]:
    if isinstance(spec, dict):
        return [leaf for v in spec.values() for leaf in _leaves(v)]
    if isinstance(spec, (list, tuple)):
        return [leaf for v in spec for leaf in _leaves(v)]
    return [spec]


def validate_names(loss: Any, metrics: Any, weighted_metrics: Any) -> None:
    """Resolves every name now, so that a typo fails in `compile()` rather than on the first batch."""
    for name in _leaves(loss):
        if isinstance(name, str):
            losses_module.get(name)
    for name in _leaves(metrics) + _leaves(weighted_metrics):
        if isinstance(name, str) and name.lower() not in ("accuracy", "acc"):
            metrics_module.get(name)


class CompileLoss:
    """The compiled loss: per-output losses, weighted by `loss_weights`, summed."""

    def __init__(self, loss: Any, loss_weights: Any = None, output_names: list[str] | None = None):
        self._spec = loss
        self._weights_spec = loss_weights
        self.output_names = output_names
        self._built = False
        self.per_output: list[tuple[Any, Any, float, str]] = []

    def build(self, y_true: Any, y_pred: Any) -> None:
        keys = _output_keys(y_pred, self.output_names)
        losses = _spread(self._spec, keys, self.output_names, "loss")
        weights = (
            _spread(self._weights_spec, keys, self.output_names, "loss_weights")
            if self._weights_spec is not None
            else {}
        )
        self.per_output = []
        for i, key in enumerate(keys):
            fn = losses[key]
            if fn is None:
                continue
            fn = losses_module.get(fn)
            if not isinstance(fn, losses_module.Loss):
                fn = losses_module.LossFunctionWrapper(fn, name=getattr(fn, "__name__", None))
            weight = weights.get(key)
            name = (
                key
                if isinstance(key, str)
                else (self.output_names[i] if self.output_names and key is not None else None)
            )
            self.per_output.append((key, fn, 1.0 if weight is None else float(weight), name))
        if not self.per_output:
            raise ValueError(
                "No loss to compute: every output's loss is None. Pass `loss=` to `compile()`."
            )
        self._built = True

    def __call__(
        self, y_true: Any, y_pred: Any, sample_weight: Any = None
    ) -> tuple[torch.Tensor, dict]:
        """The total loss and, for several outputs, each output's weighted loss by name."""
        if not self._built:
            self.build(y_true, y_pred)
        total = None
        parts: dict[str, torch.Tensor] = {}
        for key, fn, weight, name in self.per_output:
            yt = _select(y_true, key, "targets")
            yp = _select(y_pred, key, "model outputs") if key is not None else y_pred
            sw = (
                _select(sample_weight, key, "sample weights")
                if isinstance(sample_weight, (list, tuple, dict))
                else sample_weight
            )
            value = fn(yt, yp, sample_weight=sw)
            if weight != 1.0:
                value = value * weight
            if name is not None and len(self.per_output) > 1:
                parts[f"{name}_loss"] = value
            total = value if total is None else total + value
        return total, parts


class CompileMetrics:
    """All compiled metrics: `update_state(y, y_pred, sample_weight)` and a dict `result()`."""

    name = "compile_metrics"

    def __init__(
        self,
        metrics: Any,
        weighted_metrics: Any,
        output_names: list[str] | None = None,
        loss: Any = None,
    ):
        self._metrics_spec = metrics
        self._weighted_spec = weighted_metrics
        self.output_names = output_names
        self._loss_spec = loss
        self.built = False
        self.entries: list[tuple[Any, Any, bool]] = []  # (output key, metric, weighted)

    @property
    def metrics(self) -> list[Any]:
        return [m for _, m, _ in self.entries]

    def _resolve(
        self, identifier: Any, y_true: torch.Tensor, y_pred: torch.Tensor, prefix: str
    ) -> Any:
        name = identifier if isinstance(identifier, str) else None
        if isinstance(identifier, str) and identifier.lower() in ("accuracy", "acc"):
            fn = _accuracy_for(y_true, y_pred)
            metric = metrics_module.MeanMetricWrapper(fn, name=identifier)
        else:
            obj = metrics_module.get(identifier)
            if isinstance(obj, metrics_module.Metric):
                metric = obj
                if name is not None and name[:1].islower():  # "mse" logs as "mse", as in Keras
                    metric.name = name
            else:
                metric = metrics_module.MeanMetricWrapper(obj, name=name)
        if prefix:
            metric._name = f"{prefix}_{metric.name}"
        return metric

    def build(self, y_true: Any, y_pred: Any) -> None:
        keys = _output_keys(y_pred, self.output_names)
        for specs, weighted in ((self._metrics_spec, False), (self._weighted_spec, True)):
            if specs is None:
                continue
            if keys == [None] and isinstance(specs, dict):
                specs = next(iter(specs.values())) if len(specs) == 1 else specs
            per_output = (
                _spread(specs, keys, self.output_names, "metrics")
                if keys != [None]
                else {None: specs}
            )
            for i, key in enumerate(keys):
                items = per_output.get(key)
                if items is None:
                    continue
                if not isinstance(items, (list, tuple)):
                    items = [items]
                prefix = ""
                if key is not None:
                    prefix = (
                        key
                        if isinstance(key, str)
                        else (self.output_names[i] if self.output_names else f"output_{i}")
                    )
                yt, yp = (
                    _select(y_true, key, "targets"),
                    _select(y_pred, key, "model outputs") if key is not None else y_pred,
                )
                for ident in items:
                    metric = self._resolve(ident, yt, yp, prefix)
                    if (
                        weighted
                        and not prefix
                        and any(m.name == metric.name for _, m, _ in self.entries)
                    ):
                        metric._name = f"weighted_{metric.name}"
                    self.entries.append((key, metric.to(yp.device), weighted))
        self.built = True

    def update_state(self, y_true: Any, y_pred: Any, sample_weight: Any = None) -> None:
        if not self.built:
            self.build(y_true, y_pred)
        for key, metric, weighted in self.entries:
            yt = _select(y_true, key, "targets")
            yp = _select(y_pred, key, "model outputs") if key is not None else y_pred
            sw = sample_weight if weighted else None
            mask = getattr(yp, "_keras_mask", None)
            if mask is not None:
                sw = mask.to(yp.dtype) if sw is None else sw * mask.to(yp.dtype)
            metric.update_state(yt, yp, sample_weight=sw)

    def result(self) -> dict[str, torch.Tensor]:
        out: dict[str, torch.Tensor] = {}
        for _, metric, _ in self.entries:
            value = metric.result()
            if isinstance(value, dict):
                out.update(value)
            else:
                out[metric.name] = value
        return out

    def reset_state(self) -> None:
        for _, metric, _ in self.entries:
            metric.reset_state()


def _accuracy_for(y_true: torch.Tensor, y_pred: torch.Tensor):
    """Keras' choice for "accuracy": binary, sparse categorical or categorical, from the shapes."""
    if y_pred.ndim == 0 or y_pred.shape[-1] == 1:
        return metrics_module.binary_accuracy
    if y_true.ndim < y_pred.ndim or (y_true.ndim == y_pred.ndim and y_true.shape[-1] == 1):
        return metrics_module.sparse_categorical_accuracy
    return metrics_module.categorical_accuracy
