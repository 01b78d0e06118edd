"""Accuracy metrics and their per-sample functions (`binary_accuracy`, `categorical_accuracy`, ...)."""

from __future__ import annotations

from typing import Any

import torch

from torchkeras_lite.backend import config, dtypes
from torchkeras_lite.metrics.metrics_utils import in_top_k, squeeze_or_expand_to_same_rank
from torchkeras_lite.metrics.reduction_metrics import MeanMetricWrapper


def _floatx() -> torch.dtype:
    return dtypes.to_torch_dtype(config.floatx())


def _as_tensor(
    x: Any, like: torch.Tensor | None = None, dtype: torch.dtype | None = None
) -> torch.Tensor:
    device = like.device if like is not None else None
    if isinstance(x, torch.Tensor):
        return x.to(device=device or x.device, dtype=dtype or x.dtype)
    return torch.as_tensor(x, dtype=dtype, device=device)


def accuracy(y_true, y_pred) -> torch.Tensor:
    """1.0 where `y_pred` equals `y_true` exactly, else 0.0 (elementwise)."""
    y_pred = _as_tensor(y_pred)
    y_true = _as_tensor(y_true, y_pred, y_pred.dtype)
    y_true, y_pred = squeeze_or_expand_to_same_rank(y_true, y_pred)
    return (y_true == y_pred).to(_floatx())


def binary_accuracy(y_true, y_pred, threshold: float = 0.5) -> torch.Tensor:
    """1.0 where `y_pred > threshold` matches the 0/1 label `y_true`, else 0.0 (elementwise)."""
    y_pred = _as_tensor(y_pred)
    y_true = _as_tensor(y_true, y_pred)
    y_true, y_pred = squeeze_or_expand_to_same_rank(y_true, y_pred)
    return (y_true == (y_pred > threshold).to(y_true.dtype)).to(_floatx())


def categorical_accuracy(y_true, y_pred) -> torch.Tensor:
    """1.0 where the argmax of the one-hot `y_true` equals the argmax of `y_pred`, per sample."""
    y_pred = _as_tensor(y_pred)
    y_true = torch.argmax(_as_tensor(y_true, y_pred), dim=-1)
    original_shape = y_true.shape
    reshape = y_true.dim() == y_pred.dim()
    if reshape:
        y_true = y_true.squeeze(-1)
    matches = (y_true == torch.argmax(y_pred, dim=-1)).to(_floatx())
    return matches.reshape(original_shape) if reshape else matches


def sparse_categorical_accuracy(y_true, y_pred) -> torch.Tensor:
    """1.0 where the integer label `y_true` equals the argmax of `y_pred`, per sample."""
    y_pred = _as_tensor(y_pred)
    y_true = _as_tensor(y_true, y_pred, y_pred.dtype)
    original_shape = y_true.shape
    reshape = y_true.dim() == y_pred.dim() and y_true.shape[-1] == 1
    if reshape:
        y_true = y_true.squeeze(-1)
    matches = (y_true == torch.argmax(y_pred, dim=-1).to(y_true.dtype)).to(_floatx())
    if reshape:
        matches = matches.reshape(original_shape)
    if matches.dim() > 1 and matches.shape[-1] == 1:
        matches = matches.squeeze(-1)
    return matches


def top_k_categorical_accuracy(y_true, y_pred, k: int = 5) -> torch.Tensor:
    """1.0 where the one-hot `y_true`'s class is among the `k` highest scores of `y_pred`."""
    y_pred = _as_tensor(y_pred)
    y_true = torch.argmax(_as_tensor(y_true, y_pred, y_pred.dtype), dim=-1)
    original_shape = y_true.shape
    matches = in_top_k(y_true.reshape(-1), y_pred.reshape(-1, y_pred.shape[-1]), k)
    return matches.to(_floatx()).reshape(original_shape)


def sparse_top_k_categorical_accuracy(
    y_true, y_pred, k: int = 5, from_sorted_ids: bool = False
) -> torch.Tensor:
    """1.0 where the integer label `y_true` is among the `k` highest scores of `y_pred`.

    With `from_sorted_ids=True`, `y_pred` holds class ids sorted by score instead of scores.
    """
    y_pred = _as_tensor(y_pred)
    y_true = _as_tensor(y_true, y_pred, y_pred.dtype if from_sorted_ids else torch.int64)
    original_shape = y_true.shape
    y_true = y_true.reshape(-1)
    y_pred = y_pred.reshape(-1, y_pred.shape[-1])
    if from_sorted_ids:
        matches = (y_true.unsqueeze(1) == y_pred[:, :k]).any(dim=1)
    else:
        matches = in_top_k(y_true, y_pred, k)
    return matches.to(_floatx()).reshape(original_shape)


class Accuracy(MeanMetricWrapper):
    """How often predictions equal labels exactly.

    Args:
        name: the metric's name.
        dtype: the dtype of the state and result.

    Example:
        >>> m = Accuracy()
        >>> m.update_state([[1], [2], [3], [4]], [[0], [2], [3], [4]])
        >>> m.result()
        tensor(0.7500)
    """

    def __init__(self, name: str = "accuracy", dtype: Any = None):
        super().__init__(fn=accuracy, name=name, dtype=dtype)
        self._direction = "up"

    def get_config(self) -> dict:
        return {"name": self.name, "dtype": self.dtype}


class BinaryAccuracy(MeanMetricWrapper):
    """How often `y_pred > threshold` matches the binary label.

    Args:
        name: the metric's name.
        dtype: the dtype of the state and result.
        threshold: the score above which a prediction counts as 1.

    Example:
        >>> m = BinaryAccuracy()
        >>> m.update_state([[1], [1], [0], [0]], [[0.98], [1], [0], [0.6]])
        >>> m.result()
        tensor(0.7500)
    """

    def __init__(self, name: str = "binary_accuracy", dtype: Any = None, threshold: float = 0.5):
        super().__init__(fn=binary_accuracy, name=name, dtype=dtype, threshold=threshold)
        self.threshold = threshold
        self._direction = "up"

    def get_config(self) -> dict:
        return {"name": self.name, "dtype": self.dtype, "threshold": self.threshold}


class CategoricalAccuracy(MeanMetricWrapper):
    """How often the argmax of `y_pred` equals the argmax of the one-hot label.

    Args:
        name: the metric's name.
        dtype: the dtype of the state and result.

    Example:
        >>> m = CategoricalAccuracy()
        >>> m.update_state([[0, 0, 1], [0, 1, 0]], [[0.1, 0.9, 0.8], [0.05, 0.95, 0]])
        >>> m.result()
        tensor(0.5000)
    """

    def __init__(self, name: str = "categorical_accuracy", dtype: Any = None):
        super().__init__(fn=categorical_accuracy, name=name, dtype=dtype)
        self._direction = "up"

    def get_config(self) -> dict:
        return {"name": self.name, "dtype": self.dtype}


class SparseCategoricalAccuracy(MeanMetricWrapper):
    """How often the argmax of `y_pred` equals the integer label.

    Args:
        name: the metric's name.
        dtype: the dtype of the state and result.

    Example:
        >>> m = SparseCategoricalAccuracy()
        >>> m.update_state([[2], [1]], [[0.1, 0.6, 0.3], [0.05, 0.95, 0]])
        >>> m.result()
        tensor(0.5000)
    """

    def __init__(self, name: str = "sparse_categorical_accuracy", dtype: Any = None):
        super().__init__(fn=sparse_categorical_accuracy, name=name, dtype=dtype)
        self._direction = "up"

    def get_config(self) -> dict:
        return {"name": self.name, "dtype": self.dtype}


class TopKCategoricalAccuracy(MeanMetricWrapper):
    """How often the one-hot label's class is among the `k` highest scores.

    Args:
        k: how many top scores count as a hit.
        name: the metric's name.
        dtype: the dtype of the state and result.

    Example:
        >>> m = TopKCategoricalAccuracy(k=1)
        >>> m.update_state([[0, 0, 1], [0, 1, 0]], [[0.1, 0.9, 0.8], [0.05, 0.95, 0]])
        >>> m.result()
        tensor(0.5000)
    """

    def __init__(self, k: int = 5, name: str = "top_k_categorical_accuracy", dtype: Any = None):
        super().__init__(fn=top_k_categorical_accuracy, name=name, dtype=dtype, k=k)
        self.k = k
        self._direction = "up"

    def get_config(self) -> dict:
        return {"name": self.name, "dtype": self.dtype, "k": self.k}


class SparseTopKCategoricalAccuracy(MeanMetricWrapper):
    """How often the integer label is among the `k` highest scores.

    Args:
        k: how many top scores count as a hit.
        name: the metric's name.
        dtype: the dtype of the state and result.
        from_sorted_ids: `y_pred` holds class ids sorted by decreasing score, not scores.

    Example:
        >>> m = SparseTopKCategoricalAccuracy(k=1)
        >>> m.update_state([2, 1], [[0.1, 0.9, 0.8], [0.05, 0.95, 0]])
        >>> m.result()
        tensor(0.5000)
    """

    def __init__(
        self,
        k: int = 5,
        name: str = "sparse_top_k_categorical_accuracy",
        dtype: Any = None,
        from_sorted_ids: bool = False,
    ):
        super().__init__(
            fn=sparse_top_k_categorical_accuracy,
            name=name,
            dtype=dtype,
            k=k,
            from_sorted_ids=from_sorted_ids,
        )
        self.k = k
        self.from_sorted_ids = from_sorted_ids
        self._direction = "up"

    def get_config(self) -> dict:
        config = {"name": self.name, "dtype": self.dtype, "k": self.k}
        if self.from_sorted_ids:
            config["from_sorted_ids"] = True
        return config
