"""Intersection-over-union metrics from a running class confusion matrix."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import torch

from torchkeras_lite.backend import config
from torchkeras_lite.metrics.metric import Metric


class _IoUBase(Metric):
    """Accumulates a `(num_classes, num_classes)` confusion matrix (rows: labels, columns: predictions).

    Entries whose label or prediction falls outside `[0, num_classes)`, or whose label is
    `ignore_class`, get weight 0.
    """

    def __init__(
        self,
        num_classes: int,
        name: str | None = None,
        dtype: Any = None,
        ignore_class: int | None = None,
        sparse_y_true: bool = True,
        sparse_y_pred: bool = True,
        axis: int = -1,
    ):
        super().__init__(name=name, dtype=dtype or "int32")
        self._direction = "up"
        self.num_classes = num_classes
        self.ignore_class = ignore_class
        self.sparse_y_true = sparse_y_true
        self.sparse_y_pred = sparse_y_pred
        self.axis = axis
        self.total_cm = self.add_variable((num_classes, num_classes), name="total_confusion_matrix")

    def update_state(self, y_true, y_pred, sample_weight=None) -> None:
        device = self._follow_device(y_pred, y_true, sample_weight)
        y_true = self._convert(y_true, device)
        y_pred = self._convert(y_pred, device)
        if not self.sparse_y_true:
            y_true = torch.argmax(y_true, dim=self.axis)
        if not self.sparse_y_pred:
            y_pred = torch.argmax(y_pred, dim=self.axis)
        dtype = self._torch_dtype
        y_true = y_true.to(dtype).reshape(-1)
        y_pred = y_pred.to(dtype).reshape(-1)
        if sample_weight is None:
            weights = torch.ones_like(y_true)
        else:
            weights = torch.broadcast_to(
                self._convert(sample_weight, device, dtype).reshape(-1), y_true.shape
            )
        valid = (
            (y_true >= 0)
            & (y_true < self.num_classes)
            & (y_pred >= 0)
            & (y_pred < self.num_classes)
        )
        if self.ignore_class is not None:
            valid = valid & (y_true != self.ignore_class)
        rows = torch.where(valid, y_true, 0).to(torch.int64)
        cols = torch.where(valid, y_pred, 0).to(torch.int64)
        weights = torch.where(valid, weights, torch.zeros_like(weights))
        flat = self.total_cm.view(-1)
        flat.index_add_(0, rows * self.num_classes + cols, weights.to(flat.dtype))

    def reset_state(self) -> None:
        self.total_cm.zero_()


class IoU(_IoUBase):
    """Mean intersection-over-union `tp / (tp + fp + fn)` over the classes `target_class_ids`.

    Classes never seen (neither labelled nor predicted) are left out of the mean.

    Args:
        num_classes: how many classes there are.
        target_class_ids: the classes to average over.
        name: the metric's name.
        dtype: the dtype of the confusion matrix (default `"int32"`; weights are cast to it).
        ignore_class: a label to leave out (e.g. a "void" class).
        sparse_y_true: labels are class ids (else one-hot/scores along `axis`).
        sparse_y_pred: predictions are class ids (else scores along `axis`).
        axis: the class axis for non-sparse inputs.

    Example:
        >>> m = IoU(num_classes=2, target_class_ids=[0])
        >>> m.update_state([0, 0, 1, 1], [0, 1, 0, 1])
        >>> m.result()
        tensor(0.3333)
    """

    def __init__(
        self,
        num_classes: int,
        target_class_ids: Sequence[int],
        name: str | None = None,
        dtype: Any = None,
        ignore_class: int | None = None,
        sparse_y_true: bool = True,
        sparse_y_pred: bool = True,
        axis: int = -1,
    ):
        if max(target_class_ids) >= num_classes:
            raise ValueError(
                f"Target class id {max(target_class_ids)} is out of range, which is "
                f"[0, {num_classes}). Received: target_class_ids={list(target_class_ids)}"
            )
        super().__init__(num_classes, name, dtype, ignore_class, sparse_y_true, sparse_y_pred, axis)
        self.target_class_ids = [int(i) for i in target_class_ids]
        self.register_buffer("_targets", torch.tensor(self.target_class_ids), persistent=False)

    def result(self) -> torch.Tensor:
        cm = self.total_cm.to(torch.float32)
        tp = torch.diagonal(cm)
        denominator = cm.sum(dim=0) + cm.sum(dim=1) - tp
        tp, denominator = tp[self._targets], denominator[self._targets]
        valid = denominator > 1e-9
        iou = torch.where(valid, tp / (denominator + config.epsilon()), 0.0)
        return iou.sum(dim=-1) / (valid.to(torch.float32).sum() + config.epsilon())

    def get_config(self) -> dict:
        return {
            **super().get_config(),
            "num_classes": self.num_classes,
            "target_class_ids": self.target_class_ids,
            "ignore_class": self.ignore_class,
            "sparse_y_true": self.sparse_y_true,
            "sparse_y_pred": self.sparse_y_pred,
            "axis": self.axis,
        }


class MeanIoU(IoU):
    """IoU averaged over all `num_classes` classes.

    Args:
        num_classes: how many classes there are.
        name: the metric's name.
        dtype: the dtype of the confusion matrix (default `"int32"`).
        ignore_class: a label to leave out.
        sparse_y_true: labels are class ids (else one-hot/scores along `axis`).
        sparse_y_pred: predictions are class ids (else scores along `axis`).
        axis: the class axis for non-sparse inputs.

    Example:
        >>> m = MeanIoU(num_classes=2)
        >>> m.update_state([0, 0, 1, 1], [0, 1, 0, 1])
        >>> m.result()
        tensor(0.3333)
    """

    def __init__(
        self,
        num_classes: int,
        name: str | None = None,
        dtype: Any = None,
        ignore_class: int | None = None,
        sparse_y_true: bool = True,
        sparse_y_pred: bool = True,
        axis: int = -1,
    ):
        targets = list(range(num_classes))
        super().__init__(
            num_classes, targets, name, dtype, ignore_class, sparse_y_true, sparse_y_pred, axis
        )

    def get_config(self) -> dict:
        config = super().get_config()
        del config["target_class_ids"]
        return config
