"""IoU variants: `BinaryIoU` (thresholded scores) and the one-hot `OneHotIoU` / `OneHotMeanIoU`."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import torch

from torchkeras_lite.metrics.iou_metrics import IoU, MeanIoU


class BinaryIoU(IoU):
    """IoU for binary labels, with predictions `>= threshold` counted as class 1.

    Args:
        target_class_ids: the classes (0 and/or 1) to average over.
        threshold: the score at or above which a prediction is class 1.
        name: the metric's name.
        dtype: the dtype of the confusion matrix.

    Example:
        >>> m = BinaryIoU(target_class_ids=[0, 1], threshold=0.3)
        >>> m.update_state([0, 1, 0, 1], [0.1, 0.2, 0.4, 0.7])
        >>> m.result()
        tensor(0.3333)
    """

    def __init__(
        self,
        target_class_ids: Sequence[int] = (0, 1),
        threshold: float = 0.5,
        name: str | None = None,
        dtype: Any = None,
    ):
        super().__init__(num_classes=2, target_class_ids=target_class_ids, name=name, dtype=dtype)
        self.threshold = threshold

    def update_state(self, y_true, y_pred, sample_weight=None) -> None:
        device = self._follow_device(y_pred, y_true, sample_weight)
        y_pred = (self._convert(y_pred, device, torch.float32) >= self.threshold).to(
            self._torch_dtype
        )
        super().update_state(y_true, y_pred, sample_weight)

    def get_config(self) -> dict:
        return {
            "target_class_ids": self.target_class_ids,
            "threshold": self.threshold,
            "name": self.name,
            "dtype": self.dtype,
        }


class OneHotIoU(IoU):
    """IoU over `target_class_ids` for one-hot labels and score (or one-hot) predictions.

    Args:
        num_classes: how many classes there are.
        target_class_ids: the classes to average over.
        name: the metric's name.
        dtype: the dtype of the confusion matrix.
        ignore_class: a label to leave out.
        sparse_y_pred: predictions are class ids rather than scores.
        axis: the class axis.

    Example:
        >>> m = OneHotIoU(num_classes=3, target_class_ids=[0, 2])
        >>> m.update_state([[0, 0, 1], [1, 0, 0]], [[0.2, 0.3, 0.5], [0.1, 0.2, 0.7]])
        >>> m.result()
        tensor(0.2500)
    """

    def __init__(
        self,
        num_classes: int,
        target_class_ids: Sequence[int],
        name: str | None = None,
        dtype: Any = None,
        ignore_class: int | None = None,
        sparse_y_pred: bool = False,
        axis: int = -1,
    ):
        super().__init__(
            num_classes, target_class_ids, name, dtype, ignore_class, False, sparse_y_pred, axis
        )

    def get_config(self) -> dict:
        config = super().get_config()
        del config["sparse_y_true"]
        return config


class OneHotMeanIoU(MeanIoU):
    """IoU averaged over all classes, for one-hot labels and score (or one-hot) predictions.

    Args:
        num_classes: how many classes there are.
        name: the metric's name.
        dtype: the dtype of the confusion matrix.
        ignore_class: a label to leave out.
        sparse_y_pred: predictions are class ids rather than scores.
        axis: the class axis.

    Example:
        >>> m = OneHotMeanIoU(num_classes=3)
        >>> m.update_state([[0, 0, 1], [1, 0, 0]], [[0.2, 0.3, 0.5], [0.1, 0.2, 0.7]])
        >>> m.result()
        tensor(0.2500)
    """

    def __init__(
        self,
        num_classes: int,
        name: str | None = None,
        dtype: Any = None,
        ignore_class: int | None = None,
        sparse_y_pred: bool = False,
        axis: int = -1,
    ):
        super().__init__(num_classes, name, dtype, ignore_class, False, sparse_y_pred, axis)

    def get_config(self) -> dict:
        config = super().get_config()
        del config["sparse_y_true"]
        return config
