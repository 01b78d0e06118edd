"""Regression metrics: running means of per-sample errors, RMSE and cosine similarity."""

from __future__ import annotations

from typing import Any

import torch

from torchkeras_lite.backend import config
from torchkeras_lite.losses import (
    log_cosh,
    mean_absolute_error,
    mean_absolute_percentage_error,
    mean_squared_error,
    mean_squared_logarithmic_error,
)
from torchkeras_lite.metrics.metrics_utils import l2_normalize, squeeze_or_expand_to_same_rank
from torchkeras_lite.metrics.reduction_metrics import Mean, MeanMetricWrapper


class _ErrorMetric(MeanMetricWrapper):
    """A `MeanMetricWrapper` of a fixed loss function whose config is just name and dtype."""

    _fn = None
    _default_name = ""

    def __init__(self, name: str | None = None, dtype: Any = None):
        super().__init__(type(self)._fn, name=name or self._default_name, dtype=dtype)
        self._direction = "down"

    def get_config(self) -> dict:
        return {"name": self.name, "dtype": self.dtype}


class MeanSquaredError(_ErrorMetric):
    """The mean of `mean(square(y_true - y_pred), axis=-1)`, weighted by sample.

    Args:
        name: the metric's name.
        dtype: the dtype of the state and result.

    Example:
        >>> m = MeanSquaredError()
        >>> m.update_state([[0, 1], [0, 0]], [[1, 1], [0, 0]])
        >>> m.result()
        tensor(0.2500)
    """

    _fn = staticmethod(mean_squared_error)
    _default_name = "mean_squared_error"


class MeanAbsoluteError(_ErrorMetric):
    """The mean of `mean(abs(y_true - y_pred), axis=-1)`, weighted by sample.

    Args:
        name: the metric's name.
        dtype: the dtype of the state and result.

    Example:
        >>> m = MeanAbsoluteError()
        >>> m.update_state([[0, 1], [0, 0]], [[1, 1], [0, 0]])
        >>> m.result()
        tensor(0.2500)
    """

    _fn = staticmethod(mean_absolute_error)
    _default_name = "mean_absolute_error"


class MeanAbsolutePercentageError(_ErrorMetric):
    """The mean of `100 * mean(abs((y_true - y_pred) / y_true), axis=-1)`, weighted by sample.

    Args:
        name: the metric's name.
        dtype: the dtype of the state and result.

    Example:
        >>> m = MeanAbsolutePercentageError()
        >>> m.update_state([[1.0, 2.0]], [[1.5, 2.0]])
        >>> m.result()
        tensor(25.)
    """

    _fn = staticmethod(mean_absolute_percentage_error)
    _default_name = "mean_absolute_percentage_error"


class MeanSquaredLogarithmicError(_ErrorMetric):
    """The mean of `mean(square(log(y_true + 1) - log(y_pred + 1)), axis=-1)`, weighted by sample.

    Args:
        name: the metric's name.
        dtype: the dtype of the state and result.

    Example:
        >>> m = MeanSquaredLogarithmicError()
        >>> m.update_state([[0.0, 0.0]], [[0.0, 0.0]])
        >>> m.result()
        tensor(0.)
    """

    _fn = staticmethod(mean_squared_logarithmic_error)
    _default_name = "mean_squared_logarithmic_error"


class LogCoshError(_ErrorMetric):
    """The mean of `mean(log(cosh(y_pred - y_true)), axis=-1)`, weighted by sample.

    Args:
        name: the metric's name (default `"logcosh"`, as Keras).
        dtype: the dtype of the state and result.

    Example:
        >>> m = LogCoshError()
        >>> m.update_state([[0.0, 0.0]], [[0.0, 0.0]])
        >>> m.result()
        tensor(0.)
    """

    _fn = staticmethod(log_cosh)
    _default_name = "logcosh"


class RootMeanSquaredError(Mean):
    """`sqrt(sum(w * mean(square(y_pred - y_true))) / sum(w))` over all batches.

    Args:
        name: the metric's name.
        dtype: the dtype of the state and result.

    Example:
        >>> m = RootMeanSquaredError()
        >>> m.update_state([[0, 1], [0, 0]], [[1, 1], [0, 0]])
        >>> m.result()
        tensor(0.5000)
    """

    def __init__(self, name: str = "root_mean_squared_error", dtype: Any = None):
        super().__init__(name=name, dtype=dtype)
        self._direction = "down"

    def update_state(self, y_true, y_pred, sample_weight=None) -> None:
        device = self._follow_device(y_pred, y_true, sample_weight)
        y_true = self._convert(y_true, device, self._torch_dtype)
        y_pred = self._convert(y_pred, device, self._torch_dtype)
        y_true, y_pred = squeeze_or_expand_to_same_rank(y_true, y_pred)
        super().update_state(torch.square(y_pred - y_true), sample_weight=sample_weight)

    def result(self) -> torch.Tensor:
        return torch.sqrt(super().result())


def cosine_similarity(y_true, y_pred, axis: int = -1) -> torch.Tensor:
    """The cosine of the angle between `y_true` and `y_pred` along `axis` (in [-1, 1])."""
    y_pred = torch.as_tensor(y_pred)
    y_true = torch.as_tensor(y_true, device=y_pred.device).to(y_pred.dtype)
    y_true, y_pred = squeeze_or_expand_to_same_rank(y_true, y_pred)
    eps = config.epsilon()
    return torch.sum(l2_normalize(y_true, axis, eps) * l2_normalize(y_pred, axis, eps), dim=axis)


class CosineSimilarity(MeanMetricWrapper):
    """The mean cosine similarity between labels and predictions (1 means same direction).

    Args:
        name: the metric's name.
        dtype: the dtype of the state and result.
        axis: the axis along which vectors are compared.

    Example:
        >>> m = CosineSimilarity()
        >>> m.update_state([[0.0, 1.0], [1.0, 1.0]], [[1.0, 0.0], [1.0, 1.0]])
        >>> m.result()
        tensor(0.5000)
    """

    def __init__(self, name: str = "cosine_similarity", dtype: Any = None, axis: int = -1):
        super().__init__(cosine_similarity, name=name, dtype=dtype, axis=axis)
        self.axis = axis
        self._direction = "up"

    def get_config(self) -> dict:
        return {"name": self.name, "dtype": self.dtype, "axis": self.axis}
