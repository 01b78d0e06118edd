"""One rate at a constraint on another: `SensitivityAtSpecificity`, `PrecisionAtRecall`, ..."""

from __future__ import annotations

from typing import Any

import torch

from torchkeras_lite.metrics import confusion_utils
from torchkeras_lite.metrics.metric import Metric
from torchkeras_lite.metrics.metrics_utils import divide_no_nan


class SensitivitySpecificityBase(Metric):
    """Counts tp/fp/tn/fn at `num_thresholds` evenly spaced thresholds in [0, 1].

    `result()` is the best `dependent` rate among thresholds whose `constrained` rate is at least
    `value` (0 when none qualifies).

    Args:
        value: the constraint, in [0, 1].
        num_thresholds: how many thresholds (1 means the single threshold 0.5).
        class_id: only this class (column) is counted.
        name: the metric's name.
        dtype: the dtype of the state and result.
    """

    _arg_name = "value"

    def __init__(
        self,
        value: float,
        num_thresholds: int = 200,
        class_id: int | None = None,
        name: str | None = None,
        dtype: Any = None,
    ):
        if value < 0 or value > 1:
            raise ValueError(
                f"Argument `{self._arg_name}` must be in the range [0, 1]. "
                f"Received: {self._arg_name}={value}"
            )
        if num_thresholds <= 0:
            raise ValueError(
                "Argument `num_thresholds` must be an integer > 0. "
                f"Received: num_thresholds={num_thresholds}"
            )
        super().__init__(name=name, dtype=dtype)
        self._direction = "up"
        self.value = value
        self.num_thresholds = num_thresholds
        self.class_id = class_id
        if num_thresholds == 1:
            self.thresholds = [0.5]
        else:
            inner = [(i + 1) * 1.0 / (num_thresholds - 1) for i in range(num_thresholds - 2)]
            self.thresholds = [0.0] + inner + [1.0]
        self._counter = confusion_utils.ThresholdCounter(self.thresholds, num_thresholds > 1)
        n = len(self.thresholds)
        self.true_positives = self.add_variable((n,), name="true_positives")
        self.false_positives = self.add_variable((n,), name="false_positives")
        self.true_negatives = self.add_variable((n,), name="true_negatives")
        self.false_negatives = self.add_variable((n,), name="false_negatives")

    def update_state(self, y_true, y_pred, sample_weight=None) -> None:
        self._follow_device(y_pred, y_true, sample_weight)
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
            class_id=self.class_id,
            sample_weight=sample_weight,
        )

    def _rates(self) -> dict[str, torch.Tensor]:
        tp, fp = self.true_positives, self.false_positives
        tn, fn = self.true_negatives, self.false_negatives
        return {
            "sensitivity": divide_no_nan(tp, tp + fn),
            "specificity": divide_no_nan(tn, tn + fp),
            "precision": divide_no_nan(tp, tp + fp),
        }

    def _max_under_constraint(
        self, constrained: torch.Tensor, dependent: torch.Tensor
    ) -> torch.Tensor:
        feasible = constrained >= self.value
        best = torch.where(feasible, dependent, torch.zeros_like(dependent)).amax()
        return torch.clamp(best, min=0.0)

    def get_config(self) -> dict:
        return {
            **super().get_config(),
            "class_id": self.class_id,
            "num_thresholds": self.num_thresholds,
            self._arg_name: self.value,
        }


class SensitivityAtSpecificity(SensitivitySpecificityBase):
    """The best sensitivity (recall) at a specificity of at least `specificity`.

    Args:
        specificity: the minimum specificity, in [0, 1].
        num_thresholds: how many evenly spaced thresholds to try.
        class_id: only this class (column) is counted.
        name: the metric's name.
        dtype: the dtype of the state and result.

    Example:
        >>> m = SensitivityAtSpecificity(0.5)
        >>> m.update_state([0, 0, 0, 1, 1], [0, 0.3, 0.8, 0.3, 0.8])
        >>> m.result()
        tensor(0.5000)
    """

    _arg_name = "specificity"

    def __init__(
        self,
        specificity: float,
        num_thresholds: int = 200,
        class_id: int | None = None,
        name: str | None = None,
        dtype: Any = None,
    ):
        super().__init__(specificity, num_thresholds, class_id=class_id, name=name, dtype=dtype)
        self.specificity = specificity

    def result(self) -> torch.Tensor:
        rates = self._rates()
        return self._max_under_constraint(rates["specificity"], rates["sensitivity"])


class SpecificityAtSensitivity(SensitivitySpecificityBase):
    """The best specificity at a sensitivity (recall) of at least `sensitivity`.

    Args:
        sensitivity: the minimum sensitivity, in [0, 1].
        num_thresholds: how many evenly spaced thresholds to try.
        class_id: only this class (column) is counted.
        name: the metric's name.
        dtype: the dtype of the state and result.

    Example:
        >>> m = SpecificityAtSensitivity(0.5)
        >>> m.update_state([0, 0, 0, 1, 1], [0, 0.3, 0.8, 0.3, 0.8])
        >>> m.result()
        tensor(0.6667)
    """

    _arg_name = "sensitivity"

    def __init__(
        self,
        sensitivity: float,
        num_thresholds: int = 200,
        class_id: int | None = None,
        name: str | None = None,
        dtype: Any = None,
    ):
        super().__init__(sensitivity, num_thresholds, class_id=class_id, name=name, dtype=dtype)
        self.sensitivity = sensitivity

    def result(self) -> torch.Tensor:
        rates = self._rates()
        return self._max_under_constraint(rates["sensitivity"], rates["specificity"])


class PrecisionAtRecall(SensitivitySpecificityBase):
    """The best precision at a recall of at least `recall`.

    Args:
        recall: the minimum recall, in [0, 1].
        num_thresholds: how many evenly spaced thresholds to try.
        class_id: only this class (column) is counted.
        name: the metric's name.
        dtype: the dtype of the state and result.

    Example:
        >>> m = PrecisionAtRecall(0.5)
        >>> m.update_state([0, 0, 0, 1, 1], [0, 0.3, 0.8, 0.3, 0.8])
        >>> m.result()
        tensor(0.5000)
    """

    _arg_name = "recall"

    def __init__(
        self,
        recall: float,
        num_thresholds: int = 200,
        class_id: int | None = None,
        name: str | None = None,
        dtype: Any = None,
    ):
        super().__init__(recall, num_thresholds, class_id=class_id, name=name, dtype=dtype)
        self.recall = recall

    def result(self) -> torch.Tensor:
        rates = self._rates()
        return self._max_under_constraint(rates["sensitivity"], rates["precision"])


class RecallAtPrecision(SensitivitySpecificityBase):
    """The best recall at a precision of at least `precision`.

    Args:
        precision: the minimum precision, in [0, 1].
        num_thresholds: how many evenly spaced thresholds to try.
        class_id: only this class (column) is counted.
        name: the metric's name.
        dtype: the dtype of the state and result.

    Example:
        >>> m = RecallAtPrecision(0.8)
        >>> m.update_state([0, 0, 1, 1], [0, 0.5, 0.3, 0.9])
        >>> m.result()
        tensor(0.5000)
    """

    _arg_name = "precision"

    def __init__(
        self,
        precision: float,
        num_thresholds: int = 200,
        class_id: int | None = None,
        name: str | None = None,
        dtype: Any = None,
    ):
        super().__init__(precision, num_thresholds, class_id=class_id, name=name, dtype=dtype)
        self.precision = precision

    def result(self) -> torch.Tensor:
        rates = self._rates()
        return self._max_under_constraint(rates["precision"], rates["sensitivity"])
