"""Sparse categorical crossentropy: integer labels against class scores, via torch's fused kernels."""

from __future__ import annotations

from typing import Any

import torch
import torch.nn.functional as F

from torchkeras_lite.losses.categorical import check_axis, normalized_probabilities
from torchkeras_lite.losses.loss import LOSSES, LossFunctionWrapper, as_float_tensor

# An ignore_index no label can take, so that torch's default -100 is not silently ignored.
_NO_IGNORE_INDEX = -(2**63)


def _label_error(labels: torch.Tensor, num_classes: int, axis: int) -> ValueError | None:
    """The Keras-style error for labels outside `[0, num_classes)`, or None if there are none."""
    bad = labels[(labels < 0) | (labels >= num_classes)]
    if bad.numel() == 0:
        return None
    return ValueError(
        "Invalid label in `sparse_categorical_crossentropy`: labels must be integers in "
        f"[0, {num_classes}), one for each of the {num_classes} classes of `y_pred` (axis {axis}). "
        f"Received: label={int(bad.reshape(-1)[0])}"
    )


@LOSSES.register()
def sparse_categorical_crossentropy(
    y_true: Any,
    y_pred: Any,
    from_logits: bool = False,
    ignore_class: int | None = None,
    axis: int = -1,
) -> torch.Tensor:
    """Crossentropy between integer labels and predictions, without building one-hot targets.

    Args:
        y_true: class indices, shaped like `y_pred` without its class axis (or with a size-1 axis
            there); integer or float dtype.
        y_pred: probabilities (each row is renormalised to sum 1), or logits when `from_logits`.
        from_logits: whether `y_pred` holds logits.
        ignore_class: a label whose entries get loss 0 and are masked out of the reduction
            (the result carries `_keras_mask`).
        axis: the class axis of `y_pred`.

    Example:
        >>> sparse_categorical_crossentropy(torch.tensor([1]), torch.tensor([[0.5, 0.5]]))
        tensor([0.6931])
    """
    check_axis(axis)
    y_pred = as_float_tensor(y_pred)
    y_true = torch.as_tensor(y_true, device=y_pred.device)
    if y_pred.dim() < 1:
        raise ValueError(
            f"Argument `output` must be at least rank 1. Received: output.shape={tuple(y_pred.shape)}"
        )
    if y_true.dim() == y_pred.dim() and y_true.shape[axis] == 1:
        y_true = y_true.squeeze(axis)
    expected = list(y_pred.shape)
    class_axis = axis % y_pred.dim()
    num_classes = expected.pop(class_axis)
    if list(y_true.shape) != expected:
        raise ValueError(
            "Arguments `target` and `output` must have the same shape up until the last "
            f"dimension: target.shape={tuple(y_true.shape)}, output.shape={tuple(y_pred.shape)}"
        )
    labels = y_true.to(torch.long)
    valid = None
    if ignore_class is not None:
        valid = labels != int(ignore_class)
        labels = torch.where(valid, labels, torch.zeros_like(labels))
    logits_or_probs = y_pred.unsqueeze(0) if y_pred.dim() == 1 else y_pred.movedim(class_axis, 1)
    target = labels.unsqueeze(0) if y_pred.dim() == 1 else labels
    try:
        if from_logits:
            result = F.cross_entropy(
                logits_or_probs, target, reduction="none", ignore_index=_NO_IGNORE_INDEX
            )
        else:
            log_prob = torch.log(normalized_probabilities(logits_or_probs, 1))
            result = F.nll_loss(log_prob, target, reduction="none", ignore_index=_NO_IGNORE_INDEX)
    except (IndexError, RuntimeError) as e:
        error = _label_error(labels, num_classes, axis)
        if error is None:
            raise
        raise error from e
    if y_pred.dim() == 1:
        result = result.squeeze(0)
    if valid is not None:
        result = torch.where(valid, result, torch.zeros_like(result))
        result._keras_mask = valid
    return result


@LOSSES.register()
class SparseCategoricalCrossentropy(LossFunctionWrapper):
    """Crossentropy between integer labels and predictions.

    Args:
        from_logits: whether `y_pred` holds logits.
        ignore_class: a label to leave out of the loss (e.g. padding); None keeps all.
        reduction: see `Loss`.
        axis: the class axis of `y_pred`.
        name: name of the instance.
        dtype: dtype of the computation (default `floatx()`).

    Example:
        >>> SparseCategoricalCrossentropy(from_logits=True)(torch.tensor([1, 0]), torch.zeros(2, 2))
        tensor(0.6931)
    """

    def __init__(
        self,
        from_logits: bool = False,
        ignore_class: int | None = None,
        reduction: str | None = "sum_over_batch_size",
        axis: int = -1,
        name: str = "sparse_categorical_crossentropy",
        dtype: Any = None,
    ):
        super().__init__(
            sparse_categorical_crossentropy,
            name=name,
            reduction=reduction,
            dtype=dtype,
            from_logits=from_logits,
            ignore_class=ignore_class,
            axis=axis,
        )
