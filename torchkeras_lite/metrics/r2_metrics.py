"""`R2Score`: the coefficient of determination, from running per-output sums."""

from __future__ import annotations

from typing import Any

import torch

from torchkeras_lite.metrics.metric import Metric
from torchkeras_lite.metrics.metrics_utils import squeeze_or_expand_to_same_rank

_AGGREGATIONS = (None, "uniform_average", "variance_weighted_average")


class R2Score(Metric):
    """`1 - sum(w * (y - y_hat)^2) / sum(w * (y - mean_w(y))^2)` per output, optionally aggregated.

    Inputs are `(batch_size, num_outputs)`. Outputs with zero label variance score 0. With
    `num_regressors = p > 0` the adjusted score `1 - (1 - R2) * (n - 1) / (n - p - 1)` is returned,
    where `n` counts label entries; when `p >= n - 1` the plain score is returned instead.

    Args:
        class_aggregation: `"uniform_average"` (mean over outputs), `"variance_weighted_average"`
            (weighted by each output's label variance) or None (one score per output).
        num_regressors: the number of independent regressors, for the adjusted score.
        name: the metric's name.
        dtype: the dtype of the state and result.

    Example:
        >>> m = R2Score()
        >>> m.update_state([[1.0], [4.0], [3.0]], [[2.0], [4.0], [4.0]])
        >>> m.result()
        tensor(0.5714)
    """

    def __init__(
        self,
        class_aggregation: str | None = "uniform_average",
        num_regressors: int = 0,
        name: str = "r2_score",
        dtype: Any = None,
    ):
        if class_aggregation not in _AGGREGATIONS:
            raise ValueError(
                "Invalid value for argument `class_aggregation`. Expected one of "
                f"{_AGGREGATIONS}. Received: class_aggregation={class_aggregation!r}"
            )
        if num_regressors < 0:
            raise ValueError(
                "Invalid value for argument `num_regressors`. Expected a value >= 0. "
                f"Received: num_regressors={num_regressors}"
            )
        super().__init__(name=name, dtype=dtype)
        self._direction = "up"
        self.class_aggregation = class_aggregation
        self.num_regressors = num_regressors
        self.num_samples = self.add_variable((), name="num_samples")
        self._built = False

    def _build(self, y_true_shape, y_pred_shape) -> None:
        if len(y_pred_shape) != 2 or len(y_true_shape) != 2:
            raise ValueError(
                "R2Score expects 2D inputs with shape (batch_size, output_dim). Received: "
                f"y_pred.shape={tuple(y_pred_shape)} and y_true.shape={tuple(y_true_shape)}"
            )
        n = y_pred_shape[-1]
        self.squared_sum = self.add_variable((n,), name="squared_sum")
        self.sum = self.add_variable((n,), name="sum")
        self.total_mse = self.add_variable((n,), name="total_mse")
        self.count = self.add_variable((n,), name="count")
        self._built = True

    def update_state(self, y_true, y_pred, sample_weight=None) -> None:
        device = self._follow_device(y_pred, y_true, sample_weight)
        y_true = self._convert(y_true, device, self._torch_dtype)
        y_pred = self._convert(y_pred, device, self._torch_dtype)
        y_true, y_pred = squeeze_or_expand_to_same_rank(y_true, y_pred)
        if not self._built:
            self._build(y_true.shape, y_pred.shape)
        if sample_weight is None:
            weight = torch.ones_like(y_true)
        else:
            weight = self._convert(sample_weight, device, self._torch_dtype)
            if weight.dim() == 1:
                weight = weight.unsqueeze(1)
            weight = torch.broadcast_to(weight, y_true.shape)
        weighted = y_true * weight
        self.sum.add_(weighted.sum(dim=0))
        self.squared_sum.add_((y_true * weighted).sum(dim=0))
        self.total_mse.add_(((y_true - y_pred) ** 2 * weight).sum(dim=0))
        self.count.add_(weight.sum(dim=0))
        self.num_samples.add_(y_true.numel())

    def result(self) -> torch.Tensor:
        if not self._built:
            return torch.zeros((), dtype=self._torch_dtype, device=self.num_samples.device)
        mean = self.sum / self.count
        total = self.squared_sum - self.sum * mean
        raw = 1 - self.total_mse / total
        raw = torch.where(torch.isinf(raw), 0.0, raw)
        if self.class_aggregation == "uniform_average":
            score = raw.mean()
        elif self.class_aggregation == "variance_weighted_average":
            score = (total * raw).sum() / total.sum()
        else:
            score = raw
        if self.num_regressors != 0:
            n = self.num_samples.to(torch.float32)
            p = float(self.num_regressors)
            adjusted = 1.0 - (1.0 - score) * (n - 1.0) / (n - p - 1.0)
            score = torch.where(p < n - 1.0, adjusted.to(score.dtype), score)
        return score

    def get_config(self) -> dict:
        return {
            **super().get_config(),
            "class_aggregation": self.class_aggregation,
            "num_regressors": self.num_regressors,
        }
