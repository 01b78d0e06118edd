"""`MonitorCallback`: the shared logic of callbacks that watch one metric improve (or not)."""

from __future__ import annotations

import operator
import warnings
from collections.abc import Callable

from torchkeras_lite.callbacks.callback import Callback

# Metric names (without a `val_` prefix) by the direction they should move in.
_MINIMIZED = (
    "loss", "mse", "mae", "mape", "msle", "rmse", "logcosh", "hinge", "poisson", "crossentropy",
    "kl_divergence", "kld", "error",
)  # fmt: skip
_MINIMIZED_SUFFIXES = ("_loss", "_error", "_crossentropy", "_hinge", "_divergence", "_deviance")
_MAXIMIZED_PREFIXES = (
    "acc", "auc", "precision", "recall", "sensitivity", "specificity", "f1", "fbeta", "fmeasure",
    "iou", "mean_iou", "r2", "cosine_similarity",
)  # fmt: skip
_MAXIMIZED_SUFFIXES = ("_accuracy", "_acc", "_auc", "_iou", "_score", "_correlation")


def _flat_metrics(metrics) -> list:
    """The metric objects of `model.metrics`, with containers (`.metrics` lists) opened."""
    flat = []
    for metric in metrics or ():
        inner = getattr(metric, "metrics", None)
        flat.extend(_flat_metrics(inner) if isinstance(inner, (list, tuple)) else [metric])
    return flat


def metric_direction(name: str, model=None) -> str | None:
    """`"max"`, `"min"` or None (unknown) for a metric name such as `"val_accuracy"`.

    A metric object of `model.metrics` (containers opened) with that name and a `_direction`
    of `"up"` / `"down"` decides first (as in Keras); otherwise the name does: losses and errors
    are minimised; accuracies, AUC, precision, recall, IoU, F-scores, R2 and correlations are
    maximised.
    """
    base = name.removeprefix("val_")
    for metric in _flat_metrics(getattr(model, "metrics", None) if model is not None else None):
        direction = getattr(metric, "_direction", None)
        if getattr(metric, "name", None) == base and direction in ("up", "down"):
            return "max" if direction == "up" else "min"
    if base in _MINIMIZED or base.endswith(_MINIMIZED_SUFFIXES):
        return "min"
    if base.startswith(_MAXIMIZED_PREFIXES) or base.endswith(_MAXIMIZED_SUFFIXES):
        return "max"
    return None


class MonitorCallback(Callback):
    """Base of the callbacks that monitor one metric (`EarlyStopping`, `ReduceLROnPlateau`).

    Args:
        monitor: the log name to watch (`"val_loss"`).
        mode: `"min"`, `"max"` or `"auto"` (the direction follows from the metric name; see
            `metric_direction`). An unknown mode warns and falls back to `"auto"`.
        baseline: the starting best value, or None to take the first one seen.
        min_delta: the smallest change counted as an improvement (its sign is ignored).

    Example:
        >>> cb = MonitorCallback(monitor="val_accuracy", min_delta=0.01)
        >>> cb._set_monitor_op()
        >>> cb._is_improvement(0.82, 0.80), cb._is_improvement(0.805, 0.80)
        (True, False)
    """

    def __init__(
        self,
        monitor: str = "val_loss",
        mode: str = "auto",
        baseline: float | None = None,
        min_delta: float = 0,
    ):
        super().__init__()
        if mode not in ("auto", "min", "max"):
            warnings.warn(
                f"{type(self).__name__} mode '{mode}' is unknown, fallback to auto mode.",
                stacklevel=2,
            )
            mode = "auto"
        self.monitor = monitor
        self.mode = mode
        self.best = baseline
        self.min_delta = abs(min_delta)
        self.monitor_op: Callable[[float, float], bool] | None = None

    def _set_monitor_op(self) -> None:
        """Chooses the comparison once the model (and its metrics) are known."""
        direction = self.mode if self.mode != "auto" else metric_direction(self.monitor, self.model)
        if direction is None:
            raise ValueError(
                f"{type(self).__name__} callback received monitor={self.monitor}, but cannot tell "
                "whether that metric should be maximized or minimized. Pass `mode='max'` to monitor "
                "the highest value or `mode='min'` for the lowest. "
                f"Received: monitor={self.monitor!r}, mode={self.mode!r}"
            )
        if direction == "min":
            self.monitor_op = operator.lt
            self.min_delta = -abs(self.min_delta)
        else:
            self.monitor_op = operator.gt
            self.min_delta = abs(self.min_delta)

    def _is_improvement(self, monitor_value: float, reference_value: float | None) -> bool:
        """Whether `monitor_value` beats `reference_value` by more than `min_delta`."""
        if reference_value is None:
            return True
        return bool(self.monitor_op(monitor_value - self.min_delta, reference_value))
