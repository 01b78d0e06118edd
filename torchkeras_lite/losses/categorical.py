"""Categorical crossentropies for one-hot or soft labels: plain and focal."""

from __future__ import annotations

import warnings
from typing import Any

import torch
import torch.nn.functional as F

from torchkeras_lite.backend import config as backend_config
from torchkeras_lite.losses.loss import LOSSES, LossFunctionWrapper, cast_pair, check_same_shape


def check_axis(axis: Any) -> None:
    """Raises the Keras ValueError unless `axis` is an int (a bool is refused)."""
    if isinstance(axis, bool) or not isinstance(axis, int):
        raise ValueError(
            f"`axis` must be of type `int`. Received: axis={axis!r} of type {type(axis)}"
        )


def _prepare_categorical(
    name: str, y_true: Any, y_pred: Any, label_smoothing: float, axis: int
) -> tuple[torch.Tensor, torch.Tensor]:
    check_axis(axis)
    y_true, y_pred = cast_pair(y_true, y_pred, align=False)
    check_same_shape(y_true, y_pred)
    if y_pred.dim() < 1:
        raise ValueError(
            f"Arguments `target` and `output` must be at least rank 1. Received: output.shape={tuple(y_pred.shape)}"
        )
    num_classes = y_pred.shape[axis]
    if num_classes == 1:
        warnings.warn(
            f"In loss {name}, expected y_pred.shape to be (batch_size, num_classes) with "
            f"num_classes > 1. Received: y_pred.shape={tuple(y_pred.shape)}. Consider using "
            "'binary_crossentropy' if you only have 2 classes.",
            SyntaxWarning,
            stacklevel=3,
        )
    if label_smoothing:
        y_true = y_true * (1.0 - label_smoothing) + label_smoothing / num_classes
    return y_true, y_pred


def normalized_probabilities(y_pred: torch.Tensor, axis: int) -> torch.Tensor:
    """Rows renormalised to sum to 1, then clipped to `[eps, 1 - eps]`."""
    eps = backend_config.epsilon()
    return torch.clamp(y_pred / torch.sum(y_pred, dim=axis, keepdim=True), eps, 1.0 - eps)


@LOSSES.register()
def categorical_crossentropy(
    y_true: Any,
    y_pred: Any,
    from_logits: bool = False,
    label_smoothing: float = 0.0,
    axis: int = -1,
) -> torch.Tensor:
    """Crossentropy between one-hot (or soft) targets and predictions, summed over `axis`.

    Args:
        y_true: one-hot or soft targets, shaped like `y_pred`.
        y_pred: probabilities (each row is renormalised to sum 1), or logits when `from_logits`.
        from_logits: whether `y_pred` holds logits.
        label_smoothing: targets become `y_true * (1 - ls) + ls / num_classes`.
        axis: the class axis.

    Example:
        >>> categorical_crossentropy(torch.tensor([[0.0, 1.0]]), torch.tensor([[0.5, 0.5]]))
        tensor([0.6931])
    """
    y_true, y_pred = _prepare_categorical(
        "categorical_crossentropy", y_true, y_pred, label_smoothing, axis
    )
    if from_logits:
        log_prob = F.log_softmax(y_pred, dim=axis)
    else:
        log_prob = torch.log(normalized_probabilities(y_pred, axis))
    return -torch.sum(y_true * log_prob, dim=axis)


@LOSSES.register()
def categorical_focal_crossentropy(
    y_true: Any,
    y_pred: Any,
    alpha: float = 0.25,
    gamma: float = 2.0,
    from_logits: bool = False,
    label_smoothing: float = 0.0,
    axis: int = -1,
) -> torch.Tensor:
    """Focal crossentropy `sum(alpha * (1 - p) ** gamma * -y_true * log(p), axis)`.

    Args:
        y_true: one-hot or soft targets, shaped like `y_pred`.
        y_pred: probabilities, or logits when `from_logits`.
        alpha: the weighting factor.
        gamma: the focusing parameter.
        from_logits: whether `y_pred` holds logits.
        label_smoothing: as in `categorical_crossentropy`.
        axis: the class axis.

    Example:
        >>> categorical_focal_crossentropy(torch.tensor([[0.0, 1.0]]), torch.tensor([[0.5, 0.5]]))
        tensor([0.0433])
    """
    y_true, y_pred = _prepare_categorical(
        "categorical_focal_crossentropy", y_true, y_pred, label_smoothing, axis
    )
    if from_logits:
        log_prob = F.log_softmax(y_pred, dim=axis)
        prob = torch.exp(log_prob)
    else:
        prob = normalized_probabilities(y_pred, axis)
        log_prob = torch.log(prob)
    focal = alpha * torch.pow(1.0 - prob, gamma) * (-y_true * log_prob)
    return torch.sum(focal, dim=axis)


@LOSSES.register()
class CategoricalCrossentropy(LossFunctionWrapper):
    """Crossentropy between one-hot (or soft) labels and predictions.

    Args:
        from_logits: whether `y_pred` holds logits.
        label_smoothing: in [0, 1]; mixes targets with the uniform distribution.
        axis: the class axis.
        reduction: see `Loss`.
        name: name of the instance.
        dtype: dtype of the computation (default `floatx()`).

    Example:
        >>> CategoricalCrossentropy()(torch.tensor([[0.0, 1.0]]), torch.tensor([[0.5, 0.5]]))
        tensor(0.6931)
    """

    def __init__(
        self,
        from_logits: bool = False,
        label_smoothing: float = 0.0,
        axis: int = -1,
        reduction: str | None = "sum_over_batch_size",
        name: str = "categorical_crossentropy",
        dtype: Any = None,
    ):
        super().__init__(
            categorical_crossentropy,
            name=name,
            reduction=reduction,
            dtype=dtype,
            from_logits=from_logits,
            label_smoothing=label_smoothing,
            axis=axis,
        )


@LOSSES.register()
class CategoricalFocalCrossentropy(LossFunctionWrapper):
    """Focal crossentropy for one-hot labels: down-weighs well-classified examples.

    Args:
        alpha: the weighting factor.
        gamma: the focusing parameter.
        from_logits: whether `y_pred` holds logits.
        label_smoothing: in [0, 1]; mixes targets with the uniform distribution.
        axis: the class axis.
        reduction: see `Loss`.
        name: name of the instance.
        dtype: dtype of the computation (default `floatx()`).

    Example:
        >>> CategoricalFocalCrossentropy()(torch.tensor([[0.0, 1.0]]), torch.tensor([[0.5, 0.5]]))
        tensor(0.0433)
    """

    def __init__(
        self,
        alpha: float = 0.25,
        gamma: float = 2.0,
        from_logits: bool = False,
        label_smoothing: float = 0.0,
        axis: int = -1,
        reduction: str | None = "sum_over_batch_size",
        name: str = "categorical_focal_crossentropy",
        dtype: Any = None,
    ):
        super().__init__(
            categorical_focal_crossentropy,
            name=name,
            reduction=reduction,
            dtype=dtype,
            alpha=alpha,
            gamma=gamma,
            from_logits=from_logits,
            label_smoothing=label_smoothing,
            axis=axis,
        )
