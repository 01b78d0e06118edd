"""Hinge losses for binary (-1/1 or 0/1) and one-hot labels."""

from __future__ import annotations

from typing import Any

import torch

from torchkeras_lite.losses.loss import LOSSES, LossFunctionWrapper, cast_pair


def convert_binary_labels_to_hinge(y_true: torch.Tensor) -> torch.Tensor:
    """Maps {0, 1} labels to {-1, 1}; labels with any other value are returned unchanged.

    The choice is made on the device (no host sync).
    """
    is_binary = torch.all((y_true == 0) | (y_true == 1))
    return torch.where(is_binary, 2.0 * y_true - 1.0, y_true)


@LOSSES.register()
def hinge(y_true: Any, y_pred: Any) -> torch.Tensor:
    """Hinge loss `mean(maximum(1 - y_true * y_pred, 0), axis=-1)`.

    Args:
        y_true: labels in {-1, 1} (labels in {0, 1} are mapped to {-1, 1}).
        y_pred: predictions.

    Example:
        >>> hinge(torch.tensor([[0.0, 1.0]]), torch.tensor([[0.5, 0.5]]))
        tensor([1.])
    """
    y_true, y_pred = cast_pair(y_true, y_pred, align=False)
    y_true = convert_binary_labels_to_hinge(y_true)
    return torch.mean(torch.clamp(1.0 - y_true * y_pred, min=0.0), dim=-1)


@LOSSES.register()
def squared_hinge(y_true: Any, y_pred: Any) -> torch.Tensor:
    """Squared hinge loss `mean(square(maximum(1 - y_true * y_pred, 0)), axis=-1)`.

    Args:
        y_true: labels in {-1, 1} (labels in {0, 1} are mapped to {-1, 1}).
        y_pred: predictions.

    Example:
        >>> squared_hinge(torch.tensor([[0.0, 1.0]]), torch.tensor([[0.5, 0.5]]))
        tensor([1.2500])
    """
    y_true, y_pred = cast_pair(y_true, y_pred, align=False)
    y_true = convert_binary_labels_to_hinge(y_true)
    return torch.mean(torch.square(torch.clamp(1.0 - y_true * y_pred, min=0.0)), dim=-1)


@LOSSES.register()
def categorical_hinge(y_true: Any, y_pred: Any) -> torch.Tensor:
    """Categorical hinge `maximum(max((1 - y_true) * y_pred) - sum(y_true * y_pred) + 1, 0)`.

    Args:
        y_true: one-hot labels.
        y_pred: predictions.

    Example:
        >>> categorical_hinge(torch.tensor([[0.0, 1.0]]), torch.tensor([[0.3, 0.7]]))
        tensor([0.6000])
    """
    y_true, y_pred = cast_pair(y_true, y_pred, align=False)
    pos = torch.sum(y_true * y_pred, dim=-1)
    neg = torch.amax((1.0 - y_true) * y_pred, dim=-1)
    return torch.clamp(neg - pos + 1.0, min=0.0)


@LOSSES.register()
class Hinge(LossFunctionWrapper):
    """Hinge loss between -1/1 (or 0/1) labels and predictions.

    Args:
        reduction: see `Loss`.
        name: name of the instance.
        dtype: dtype of the computation (default `floatx()`).

    Example:
        >>> Hinge()(torch.tensor([[0.0, 1.0]]), torch.tensor([[0.5, 0.5]]))
        tensor(1.)
    """

    def __init__(
        self,
        reduction: str | None = "sum_over_batch_size",
        name: str = "hinge",
        dtype: Any = None,
    ):
        super().__init__(hinge, name=name, reduction=reduction, dtype=dtype)


@LOSSES.register()
class SquaredHinge(LossFunctionWrapper):
    """Squared hinge loss between -1/1 (or 0/1) labels and predictions.

    Args:
        reduction: see `Loss`.
        name: name of the instance.
        dtype: dtype of the computation (default `floatx()`).

    Example:
        >>> SquaredHinge()(torch.tensor([[0.0, 1.0]]), torch.tensor([[0.5, 0.5]]))
        tensor(1.2500)
    """

    def __init__(
        self,
        reduction: str | None = "sum_over_batch_size",
        name: str = "squared_hinge",
        dtype: Any = None,
    ):
        super().__init__(squared_hinge, name=name, reduction=reduction, dtype=dtype)


@LOSSES.register()
class CategoricalHinge(LossFunctionWrapper):
    """Categorical hinge loss between one-hot labels and predictions.

    Args:
        reduction: see `Loss`.
        name: name of the instance.
        dtype: dtype of the computation (default `floatx()`).

    Example:
        >>> CategoricalHinge()(torch.tensor([[0.0, 1.0]]), torch.tensor([[0.3, 0.7]]))
        tensor(0.6000)
    """

    def __init__(
        self,
        reduction: str | None = "sum_over_batch_size",
        name: str = "categorical_hinge",
        dtype: Any = None,
    ):
        super().__init__(categorical_hinge, name=name, reduction=reduction, dtype=dtype)
