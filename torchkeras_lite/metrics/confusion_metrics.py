"""Confusion-matrix counts (`TruePositives`, ...), `Precision` and `Recall`, at one or many thresholds."""

from __future__ import annotations

from typing import Any

import torch

from torchkeras_lite.metrics import confusion_utils
from torchkeras_lite.metrics.metric import Metric
from torchkeras_lite.metrics.metrics_utils import divide_no_nan


class _ThresholdMetric(Metric):
    """Shared set-up: parses thresholds and owns a `ThresholdCounter` plus one accumulator per count."""

    def _setup(self, thresholds, default: float, conditions: tuple[str, ...]) -> None:
        self.thresholds = confusion_utils.parse_thresholds(thresholds, default)
        self._counter = confusion_utils.ThresholdCounter(
            self.thresholds, confusion_utils.evenly_spaced(self.thresholds)
        )
        self._conditions = conditions
        for cond in conditions:
            setattr(
                self, _NAMES[cond], self.add_variable((len(self.thresholds),), name=_NAMES[cond])
            )

    def _update(self, y_true, y_pred, sample_weight, **kwargs) -> None:
        self._follow_device(y_pred, y_true, sample_weight)
        confusion_utils.update_confusion_matrix(
            {cond: getattr(self, _NAMES[cond]) for cond in self._conditions},
            y_true,
            y_pred,
            self._counter,
            sample_weight=sample_weight,
            **kwargs,
        )

    def _squeeze(self, value: torch.Tensor) -> torch.Tensor:
        return value[0] if len(self.thresholds) == 1 else value


_NAMES = {
    "tp": "true_positives",
    "fp": "false_positives",
    "tn": "true_negatives",
    "fn": "false_negatives",
}


class _ConfusionMatrixConditionCount(_ThresholdMetric):
    """The weighted count of one confusion-matrix cell at each threshold (predictions `> t` are positive).

    Args:
        thresholds: a float or a list of floats in [0, 1] (default 0.5); the result has one value
            per threshold (a scalar for one threshold).
        name: the metric's name.
        dtype: the dtype of the state and result.
    """

    _condition = "tp"

    def __init__(self, thresholds=None, name: str | None = None, dtype: Any = None):
        super().__init__(name=name, dtype=dtype)
        self.init_thresholds = thresholds
        self._setup(thresholds, 0.5, (self._condition,))

    def update_state(self, y_true, y_pred, sample_weight=None) -> None:
        self._update(y_true, y_pred, sample_weight)

    def result(self) -> torch.Tensor:
        return self._squeeze(getattr(self, _NAMES[self._condition])).clone()

    def get_config(self) -> dict:
        return {**super().get_config(), "thresholds": self.init_thresholds}


class TruePositives(_ConfusionMatrixConditionCount):
    """The weighted number of true positives.

    Args:
        thresholds: a float or a list of floats in [0, 1] (default 0.5).
        name: the metric's name.
        dtype: the dtype of the state and result.

    Example:
        >>> m = TruePositives()
        >>> m.update_state([0, 1, 1, 1], [1, 0, 1, 1])
        >>> m.result()
        tensor(2.)
    """

    _condition = "tp"


class FalsePositives(_ConfusionMatrixConditionCount):
    """The weighted number of false positives.

    Args:
        thresholds: a float or a list of floats in [0, 1] (default 0.5).
        name: the metric's name.
        dtype: the dtype of the state and result.

    Example:
        >>> m = FalsePositives()
        >>> m.update_state([0, 1, 0, 0], [0, 0, 1, 1])
        >>> m.result()
        tensor(2.)
    """

    _condition = "fp"


class TrueNegatives(_ConfusionMatrixConditionCount):
    """The weighted number of true negatives.

    Args:
        thresholds: a float or a list of floats in [0, 1] (default 0.5).
        name: the metric's name.
        dtype: the dtype of the state and result.

    Example:
        >>> m = TrueNegatives()
        >>> m.update_state([0, 1, 0, 0], [1, 1, 0, 0])
        >>> m.result()
        tensor(2.)
    """

    _condition = "tn"


class FalseNegatives(_ConfusionMatrixConditionCount):
    """The weighted number of false negatives.

    Args:
        thresholds: a float or a list of floats in [0, 1] (default 0.5).
        name: the metric's name.
        dtype: the dtype of the state and result.

    Example:
        >>> m = FalseNegatives()
        >>> m.update_state([0, 1, 1, 1], [0, 1, 0, 0])
        >>> m.result()
        tensor(2.)
    """

    _condition = "fn"


class _PrecisionRecall(_ThresholdMetric):
    _other = "fp"

    def __init__(
        self,
        thresholds=None,
        top_k: int | None = None,
        class_id: int | None = None,
        name: str | None = None,
        dtype: Any = None,
    ):
        super().__init__(name=name, dtype=dtype)
        self._direction = "up"
        self.init_thresholds = thresholds
        self.top_k = top_k
        self.class_id = class_id
        default = 0.5 if top_k is None else confusion_utils.NEG_INF
        self._setup(thresholds, default, ("tp", self._other))

    def update_state(self, y_true, y_pred, sample_weight=None) -> None:
        self._update(y_true, y_pred, sample_weight, top_k=self.top_k, class_id=self.class_id)

    def result(self) -> torch.Tensor:
        other = getattr(self, _NAMES[self._other])
        return self._squeeze(divide_no_nan(self.true_positives, self.true_positives + other))

    def get_config(self) -> dict:
        return {
            **super().get_config(),
            "thresholds": self.init_thresholds,
            "top_k": self.top_k,
            "class_id": self.class_id,
        }


class Precision(_PrecisionRecall):
    """`tp / (tp + fp)`: the fraction of predicted positives that are positive.

    Args:
        thresholds: a float or a list of floats in [0, 1]; predictions above it are positive
            (default 0.5, or any score among the top k with `top_k`). One result per threshold.
        top_k: only the `k` highest scores of each sample can be positive.
        class_id: only this class (column) is counted.
        name: the metric's name.
        dtype: the dtype of the state and result.

    Example:
        >>> m = Precision()
        >>> m.update_state([0, 1, 1, 1], [1, 0, 1, 1])
        >>> m.result()
        tensor(0.6667)
    """

    _other = "fp"


class Recall(_PrecisionRecall):
    """`tp / (tp + fn)`: the fraction of positives that are predicted positive.

    Args:
        thresholds: a float or a list of floats in [0, 1]; predictions above it are positive
            (default 0.5, or any score among the top k with `top_k`). One result per threshold.
        top_k: only the `k` highest scores of each sample can be positive.
        class_id: only this class (column) is counted.
        name: the metric's name.
        dtype: the dtype of the state and result.

    Example:
        >>> m = Recall()
        >>> m.update_state([0, 1, 1, 1], [1, 0, 1, 1])
        >>> m.result()
        tensor(0.6667)
    """

    _other = "fn"
