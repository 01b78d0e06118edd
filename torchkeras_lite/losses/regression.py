"""Regression losses: squared, absolute, percentage and logarithmic errors, Huber and log-cosh."""

from __future__ import annotations

import math
from typing import Any

import torch
import torch.nn.functional as F

from torchkeras_lite.backend import config as backend_config
from torchkeras_lite.losses.loss import FUSED_MEAN_LOSSES, LOSSES, LossFunctionWrapper, cast_pair


@LOSSES.register("mean_squared_error", "mse", "MSE")
def mean_squared_error(y_true: Any, y_pred: Any) -> torch.Tensor:
    """Mean of squared errors over the last axis: `mean(square(y_true - y_pred), axis=-1)`.

    Example:
        >>> mean_squared_error(torch.zeros(2, 3), torch.ones(2, 3))
        tensor([1., 1.])
    """
    y_true, y_pred = cast_pair(y_true, y_pred)
    return torch.mean(torch.square(y_true - y_pred), dim=-1)


@LOSSES.register("mean_absolute_error", "mae", "MAE")
def mean_absolute_error(y_true: Any, y_pred: Any) -> torch.Tensor:
    """Mean of absolute errors over the last axis: `mean(abs(y_true - y_pred), axis=-1)`.

    Example:
        >>> mean_absolute_error(torch.zeros(2, 3), torch.ones(2, 3))
        tensor([1., 1.])
    """
    y_true, y_pred = cast_pair(y_true, y_pred)
    return torch.mean(torch.abs(y_true - y_pred), dim=-1)


@LOSSES.register("mean_absolute_percentage_error", "mape", "MAPE")
def mean_absolute_percentage_error(y_true: Any, y_pred: Any) -> torch.Tensor:
    """`100 * mean(abs((y_true - y_pred) / max(abs(y_true), epsilon)), axis=-1)`.

    Example:
        >>> mean_absolute_percentage_error(torch.full((1, 2), 2.0), torch.ones(1, 2))
        tensor([50.])
    """
    y_true, y_pred = cast_pair(y_true, y_pred)
    denom = torch.clamp(torch.abs(y_true), min=backend_config.epsilon())
    return 100.0 * torch.mean(torch.abs((y_true - y_pred) / denom), dim=-1)


@LOSSES.register("mean_squared_logarithmic_error", "msle", "MSLE")
def mean_squared_logarithmic_error(y_true: Any, y_pred: Any) -> torch.Tensor:
    """`mean(square(log(y_pred + 1) - log(y_true + 1)), axis=-1)`, negatives clipped to epsilon.

    Example:
        >>> mean_squared_logarithmic_error(torch.zeros(1, 2), torch.zeros(1, 2))
        tensor([0.])
    """
    y_true, y_pred = cast_pair(y_true, y_pred)
    eps = backend_config.epsilon()
    diff = torch.log1p(torch.clamp(y_pred, min=eps)) - torch.log1p(torch.clamp(y_true, min=eps))
    return torch.mean(torch.square(diff), dim=-1)


@LOSSES.register()
def huber(y_true: Any, y_pred: Any, delta: float = 1.0) -> torch.Tensor:
    """Huber loss, averaged over the last axis.

    Per entry, with `x = y_pred - y_true`: `0.5 * x**2` if `|x| <= delta`, else
    `delta * |x| - 0.5 * delta**2`.

    Args:
        y_true: targets.
        y_pred: predictions.
        delta: where the loss turns from quadratic to linear.

    Example:
        >>> huber(torch.zeros(1, 2), torch.tensor([[0.5, 3.0]]))
        tensor([1.3125])
    """
    y_true, y_pred = cast_pair(y_true, y_pred)
    return torch.mean(F.huber_loss(y_pred, y_true, reduction="none", delta=float(delta)), dim=-1)


@LOSSES.register("log_cosh", "logcosh")
def log_cosh(y_true: Any, y_pred: Any) -> torch.Tensor:
    """Mean over the last axis of `log(cosh(y_pred - y_true))`, computed without overflow.

    Example:
        >>> log_cosh(torch.zeros(1, 2), torch.zeros(1, 2))
        tensor([0.])
    """
    y_true, y_pred = cast_pair(y_true, y_pred)
    x = y_pred - y_true
    return torch.mean(x + F.softplus(-2.0 * x) - math.log(2.0), dim=-1)


@LOSSES.register()
class MeanSquaredError(LossFunctionWrapper):
    """Mean of squared errors between labels and predictions.

    Args:
        reduction: see `Loss`.
        name: name of the instance.
        dtype: dtype of the computation (default `floatx()`).

    Example:
        >>> MeanSquaredError()(torch.zeros(2, 3), torch.ones(2, 3))
        tensor(1.)
    """

    def __init__(
        self,
        reduction: str | None = "sum_over_batch_size",
        name: str = "mean_squared_error",
        dtype: Any = None,
    ):
        super().__init__(mean_squared_error, name=name, reduction=reduction, dtype=dtype)


@LOSSES.register()
class MeanAbsoluteError(LossFunctionWrapper):
    """Mean of absolute errors between labels and predictions.

    Args:
        reduction: see `Loss`.
        name: name of the instance.
        dtype: dtype of the computation (default `floatx()`).

    Example:
        >>> MeanAbsoluteError()(torch.zeros(2, 3), torch.ones(2, 3))
        tensor(1.)
    """

    def __init__(
        self,
        reduction: str | None = "sum_over_batch_size",
        name: str = "mean_absolute_error",
        dtype: Any = None,
    ):
        super().__init__(mean_absolute_error, name=name, reduction=reduction, dtype=dtype)


@LOSSES.register()
class MeanAbsolutePercentageError(LossFunctionWrapper):
    """Mean absolute percentage error: `100 * mean(abs((y_true - y_pred) / y_true))`.

    Args:
        reduction: see `Loss`.
        name: name of the instance.
        dtype: dtype of the computation (default `floatx()`).

    Example:
        >>> MeanAbsolutePercentageError()(torch.full((1, 2), 2.0), torch.ones(1, 2))
        tensor(50.)
    """

    def __init__(
        self,
        reduction: str | None = "sum_over_batch_size",
        name: str = "mean_absolute_percentage_error",
        dtype: Any = None,
    ):
        super().__init__(
            mean_absolute_percentage_error, name=name, reduction=reduction, dtype=dtype
        )


@LOSSES.register()
class MeanSquaredLogarithmicError(LossFunctionWrapper):
    """Mean squared logarithmic error: `mean(square(log(y_pred + 1) - log(y_true + 1)))`.

    Args:
        reduction: see `Loss`.
        name: name of the instance.
        dtype: dtype of the computation (default `floatx()`).

    Example:
        >>> MeanSquaredLogarithmicError()(torch.zeros(1, 2), torch.zeros(1, 2))
        tensor(0.)
    """

    def __init__(
        self,
        reduction: str | None = "sum_over_batch_size",
        name: str = "mean_squared_logarithmic_error",
        dtype: Any = None,
    ):
        super().__init__(
            mean_squared_logarithmic_error, name=name, reduction=reduction, dtype=dtype
        )


@LOSSES.register()
class Huber(LossFunctionWrapper):
    """Huber loss: quadratic for errors up to `delta`, linear beyond.

    Args:
        delta: where the loss turns from quadratic to linear.
        reduction: see `Loss`.
        name: name of the instance.
        dtype: dtype of the computation (default `floatx()`).

    Example:
        >>> Huber(delta=1.0)(torch.zeros(1, 2), torch.tensor([[0.5, 3.0]]))
        tensor(1.3125)
    """

    def __init__(
        self,
        delta: float = 1.0,
        reduction: str | None = "sum_over_batch_size",
        name: str = "huber_loss",
        dtype: Any = None,
    ):
        super().__init__(huber, name=name, reduction=reduction, dtype=dtype, delta=delta)


@LOSSES.register()
class LogCosh(LossFunctionWrapper):
    """Logarithm of the hyperbolic cosine of the prediction error.

    Args:
        reduction: see `Loss`.
        name: name of the instance.
        dtype: dtype of the computation (default `floatx()`).

    Example:
        >>> LogCosh()(torch.zeros(1, 2), torch.zeros(1, 2))
        tensor(0.)
    """

    def __init__(
        self,
        reduction: str | None = "sum_over_batch_size",
        name: str = "log_cosh",
        dtype: Any = None,
    ):
        super().__init__(log_cosh, name=name, reduction=reduction, dtype=dtype)


FUSED_MEAN_LOSSES[mean_squared_error] = F.mse_loss
FUSED_MEAN_LOSSES[mean_absolute_error] = F.l1_loss
