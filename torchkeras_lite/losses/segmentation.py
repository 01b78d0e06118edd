"""Overlap losses for segmentation: Dice and Tversky."""

from __future__ import annotations

from typing import Any

import torch

from torchkeras_lite.backend import config as backend_config
from torchkeras_lite.losses.loss import LOSSES, LossFunctionWrapper, cast_pair

Axis = int | tuple[int, ...] | None


def _sum(x: torch.Tensor, axis: Axis) -> torch.Tensor:
    return torch.sum(x) if axis is None else torch.sum(x, dim=axis)


@LOSSES.register()
def dice(y_true: Any, y_pred: Any, axis: Axis = None) -> torch.Tensor:
    """Dice loss `1 - 2 * sum(y_true * y_pred) / (sum(y_true) + sum(y_pred) + epsilon)`.

    Args:
        y_true: targets in [0, 1].
        y_pred: predicted probabilities.
        axis: the axes summed over; None (default) sums over everything and returns a scalar.

    Example:
        >>> dice(torch.tensor([[1.0, 0.0]]), torch.tensor([[1.0, 0.0]]), axis=-1)
        tensor([0.])
    """
    y_true, y_pred = cast_pair(y_true, y_pred, align=False)
    intersection = _sum(y_true * y_pred, axis)
    denom = _sum(y_true, axis) + _sum(y_pred, axis) + backend_config.epsilon()
    return 1.0 - 2.0 * intersection / denom


@LOSSES.register()
def tversky(
    y_true: Any, y_pred: Any, alpha: float = 0.5, beta: float = 0.5, axis: Axis = None
) -> torch.Tensor:
    """Tversky loss `1 - tp / (tp + alpha * a + beta * b + epsilon)`, with Keras' terms
    `tp = sum(y_true * y_pred)`, `a = sum(y_true * (1 - y_pred))`, `b = sum((1 - y_true) * y_pred)`.

    Args:
        y_true: targets in [0, 1].
        y_pred: predicted probabilities.
        alpha: weight of `a` (missed positives).
        beta: weight of `b` (false alarms).
        axis: the axes summed over; None (default) sums over everything and returns a scalar.

    Example:
        >>> tversky(torch.tensor([[1.0, 0.0]]), torch.tensor([[0.5, 0.5]]), axis=-1)
        tensor([0.5000])
    """
    y_true, y_pred = cast_pair(y_true, y_pred, align=False)
    tp = _sum(y_true * y_pred, axis)
    missed = _sum((1.0 - y_pred) * y_true, axis)
    false_alarm = _sum(y_pred * (1.0 - y_true), axis)
    score = tp / (tp + alpha * missed + beta * false_alarm + backend_config.epsilon())
    return 1.0 - score


@LOSSES.register()
class Dice(LossFunctionWrapper):
    """Dice loss between targets and predicted probabilities.

    Args:
        reduction: see `Loss`.
        name: name of the instance.
        axis: the axes summed over; None sums over everything.
        dtype: dtype of the computation (default `floatx()`).

    Example:
        >>> Dice(axis=(1, 2))(torch.ones(2, 3, 3), torch.ones(2, 3, 3))
        tensor(0.)
    """

    def __init__(
        self,
        reduction: str | None = "sum_over_batch_size",
        name: str = "dice",
        axis: Axis = None,
        dtype: Any = None,
    ):
        super().__init__(dice, name=name, reduction=reduction, dtype=dtype, axis=axis)


@LOSSES.register()
class Tversky(LossFunctionWrapper):
    """Tversky loss: a Dice loss with separate weights for the two kinds of error.

    Args:
        alpha: weight of missed positives.
        beta: weight of false alarms.
        reduction: see `Loss`.
        name: name of the instance.
        axis: the axes summed over; None sums over everything.
        dtype: dtype of the computation (default `floatx()`).

    Example:
        >>> Tversky()(torch.tensor([[1.0, 0.0]]), torch.tensor([[0.5, 0.5]]))
        tensor(0.5000)
    """

    def __init__(
        self,
        alpha: float = 0.5,
        beta: float = 0.5,
        reduction: str | None = "sum_over_batch_size",
        name: str = "tversky",
        axis: Axis = None,
        dtype: Any = None,
    ):
        super().__init__(
            tversky, name=name, reduction=reduction, dtype=dtype, alpha=alpha, beta=beta, axis=axis
        )
