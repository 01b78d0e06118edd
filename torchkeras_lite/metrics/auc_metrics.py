"""`AUC`: area under the ROC or precision-recall curve, from confusion counts at fixed thresholds."""

from __future__ import annotations

from typing import Any

import torch

from torchkeras_lite.backend import config
from torchkeras_lite.metrics import confusion_utils
from torchkeras_lite.metrics.metric import Metric
from torchkeras_lite.metrics.metrics_utils import divide_no_nan

_CURVES = {"roc": "ROC", "pr": "PR", "prgain": "PRGAIN"}
_SUMMATIONS = ("interpolation", "majoring", "minoring")


class AUC(Metric):
    """Approximate area under the ROC or PR curve, from tp/fp/tn/fn at `num_thresholds` thresholds.

    ROC and PRGAIN areas are Riemann sums (`summation_method`); the PR area with
    `"interpolation"` uses the Davis & Goadrich interpolation of precision between thresholds.

    Args:
        num_thresholds: how many thresholds (> 1), evenly spaced in [0, 1] with the ends moved out
            by epsilon so that predictions of exactly 0 and 1 are counted.
        curve: `"ROC"`, `"PR"` (precision-recall) or `"PRGAIN"`.
        summation_method: `"interpolation"`, `"majoring"` or `"minoring"`.
        name: the metric's name.
        dtype: the dtype of the state and result.
        thresholds: explicit thresholds in [0, 1] (overrides `num_thresholds`).
        multi_label: keep one curve per label of `(batch, num_labels)` inputs and average the
            areas; otherwise all entries form a single curve.
        num_labels: the number of labels with `multi_label` (default: taken from the first batch).
        label_weights: per-label weights: of the areas with `multi_label`, of the counts without.
        from_logits: `y_pred` holds logits (a sigmoid is applied).

    Example:
        >>> m = AUC(num_thresholds=3)
        >>> m.update_state([0, 0, 1, 1], [0, 0.5, 0.3, 0.9])
        >>> m.result()
        tensor(0.7500)
    """

    def __init__(
        self,
        num_thresholds: int = 200,
        curve: str = "ROC",
        summation_method: str = "interpolation",
        name: str | None = None,
        dtype: Any = None,
        thresholds=None,
        multi_label: bool = False,
        num_labels: int | None = None,
        label_weights=None,
        from_logits: bool = False,
    ):
        if str(curve).lower() not in _CURVES:
            raise ValueError(
                f'Invalid AUC curve value: "{curve}". Expected values are ["PR", "ROC", "PRGAIN"]. '
                f"Received: curve={curve!r}"
            )
        if str(summation_method).lower() not in _SUMMATIONS:
            raise ValueError(
                f'Invalid AUC summation method value: "{summation_method}". Expected values are '
                f'["interpolation", "majoring", "minoring"]. Received: summation_method={summation_method!r}'
            )
        if thresholds is None and num_thresholds <= 1:
            raise ValueError(
                f"Argument `num_thresholds` must be an integer > 1. Received: num_thresholds={num_thresholds}"
            )
        if not multi_label and num_labels:
            raise ValueError(
                "`num_labels` is needed only when `multi_label` is True. "
                f"Received: multi_label={multi_label}, num_labels={num_labels}"
            )
        super().__init__(name=name, dtype=dtype)
        self._direction = "up"
        self._init_from_thresholds = thresholds is not None
        if thresholds is not None:
            inner = sorted(confusion_utils.parse_thresholds(thresholds, 0.5))
            self.num_thresholds = len(inner) + 2
            evenly = confusion_utils.evenly_spaced([0.0] + inner + [1.0])
        else:
            self.num_thresholds = num_thresholds
            inner = [(i + 1) * 1.0 / (num_thresholds - 1) for i in range(num_thresholds - 2)]
            evenly = True
        eps = config.epsilon()
        self._thresholds = [0.0 - eps] + inner + [1.0 + eps]
        self._counter = confusion_utils.ThresholdCounter(self._thresholds, evenly)
        self.curve = _CURVES[str(curve).lower()]
        self.summation_method = str(summation_method).lower()
        self.multi_label = multi_label
        self.num_labels = num_labels
        self._from_logits = from_logits
        if label_weights is not None:
            weights = torch.as_tensor(label_weights, dtype=self._torch_dtype)
            self.register_buffer("label_weights", weights.clone(), persistent=False)
        else:
            self.label_weights = None
        self._built = False
        if not multi_label or num_labels:
            self._build(num_labels)

    @property
    def thresholds(self) -> list[float]:
        """The thresholds, including the two end points just outside [0, 1]."""
        return list(self._thresholds)

    def _build(self, num_labels: int | None) -> None:
        shape = (self.num_thresholds, num_labels) if self.multi_label else (self.num_thresholds,)
        self._num_labels = num_labels
        self.true_positives = self.add_variable(shape, name="true_positives")
        self.false_positives = self.add_variable(shape, name="false_positives")
        self.true_negatives = self.add_variable(shape, name="true_negatives")
        self.false_negatives = self.add_variable(shape, name="false_negatives")
        self._built = True

    def update_state(self, y_true, y_pred, sample_weight=None) -> None:
        device = self._follow_device(y_pred, y_true, sample_weight)
        y_pred = self._convert(y_pred, device, self._torch_dtype)
        if not self._built:
            if y_pred.dim() != 2:
                raise ValueError(
                    "`y_pred` must have rank 2 when `multi_label=True`. "
                    f"Received: y_pred.shape={tuple(y_pred.shape)}"
                )
            self._build(y_pred.shape[1])
            self._follow_device(y_pred)
        if self._from_logits:
            y_pred = torch.sigmoid(y_pred)
        confusion_utils.update_confusion_matrix(
            {
                "tp": self.true_positives,
                "fp": self.false_positives,
                "tn": self.true_negatives,
                "fn": self.false_negatives,
            },
            y_true,
            y_pred,
            self._counter,
            sample_weight=sample_weight,
            multi_label=self.multi_label,
            label_weights=None if self.multi_label else self.label_weights,
        )

    def _average(self, by_threshold: torch.Tensor) -> torch.Tensor:
        if not self.multi_label:
            return by_threshold.sum()
        by_label = by_threshold.sum(dim=0)
        if self.label_weights is None:
            return by_label.mean()
        return divide_no_nan((by_label * self.label_weights).sum(), self.label_weights.sum())

    def interpolate_pr_auc(self) -> torch.Tensor:
        """The PR area with precision interpolated between thresholds (Davis & Goadrich, 2006)."""
        tp, fp, fn = self.true_positives, self.false_positives, self.false_negatives
        dtp = tp[:-1] - tp[1:]
        p = tp + fp
        dp = p[:-1] - p[1:]
        slope = divide_no_nan(dtp, torch.clamp(dp, min=0))
        intercept = tp[1:] - slope * p[1:]
        both = (p[:-1] > 0) & (p[1:] > 0)
        ratio = torch.where(
            both, divide_no_nan(p[:-1], torch.clamp(p[1:], min=0)), torch.ones_like(p[1:])
        )
        increments = divide_no_nan(
            slope * (dtp + intercept * torch.log(ratio)), torch.clamp(tp[1:] + fn[1:], min=0)
        )
        return self._average(increments)

    def result(self) -> torch.Tensor:
        if not self._built:
            return torch.zeros((), dtype=self._torch_dtype)
        if self.curve == "PR" and self.summation_method == "interpolation":
            return self.interpolate_pr_auc()
        tp, fp = self.true_positives, self.false_positives
        tn, fn = self.true_negatives, self.false_negatives
        recall = divide_no_nan(tp, tp + fn)
        if self.curve == "ROC":
            x, y = divide_no_nan(fp, fp + tn), recall
        elif self.curve == "PR":
            x, y = recall, divide_no_nan(tp, tp + fp)
        else:
            scale = divide_no_nan(tp + fn, tn + fp)
            recall_gain = 1.0 - scale * divide_no_nan(fn, tp)
            precision_gain = 1.0 - scale * divide_no_nan(fp, tp)
            x = torch.clamp(torch.where(tp == 0, 0.0, recall_gain), min=0.0)
            y = torch.where(tp == 0, 1.0, precision_gain)
        if self.summation_method == "interpolation":
            heights = (y[:-1] + y[1:]) / 2.0
        elif self.summation_method == "minoring":
            heights = torch.minimum(y[:-1], y[1:])
        else:
            heights = torch.maximum(y[:-1], y[1:])
        return self._average((x[:-1] - x[1:]) * heights)

    def reset_state(self) -> None:
        if self._built:
            super().reset_state()

    def get_config(self) -> dict:
        weights = self.label_weights
        config = {
            **super().get_config(),
            "num_thresholds": self.num_thresholds,
            "curve": self.curve,
            "summation_method": self.summation_method,
            "multi_label": self.multi_label,
            "num_labels": self.num_labels,
            "label_weights": None if weights is None else weights.detach().cpu().tolist(),
            "from_logits": self._from_logits,
        }
        if self._init_from_thresholds:
            config["thresholds"] = self.thresholds[1:-1]
        return config
