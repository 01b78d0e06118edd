"""Probabilistic metrics: running means of cross-entropies, KL divergence and Poisson deviance."""

from __future__ import annotations

from typing import Any

from torchkeras_lite.losses import (
    binary_crossentropy,
    categorical_crossentropy,
    kl_divergence,
    poisson,
    sparse_categorical_crossentropy,
)
from torchkeras_lite.metrics.reduction_metrics import MeanMetricWrapper


class KLDivergence(MeanMetricWrapper):
    """The mean Kullback-Leibler divergence `sum(y_true * log(y_true / y_pred), axis=-1)`.

    Args:
        name: the metric's name.
        dtype: the dtype of the state and result.

    Example:
        >>> m = KLDivergence()
        >>> m.update_state([[0.5, 0.5]], [[0.5, 0.5]])
        >>> m.result()
        tensor(0.)
    """

    def __init__(self, name: str = "kl_divergence", dtype: Any = None):
        super().__init__(fn=kl_divergence, name=name, dtype=dtype)
        self._direction = "down"

    def get_config(self) -> dict:
        return {"name": self.name, "dtype": self.dtype}


class Poisson(MeanMetricWrapper):
    """The mean Poisson deviance `mean(y_pred - y_true * log(y_pred), axis=-1)`.

    Args:
        name: the metric's name.
        dtype: the dtype of the state and result.

    Example:
        >>> m = Poisson()
        >>> m.update_state([[1.0, 1.0]], [[1.0, 1.0]])
        >>> m.result()
        tensor(1.0000)
    """

    def __init__(self, name: str = "poisson", dtype: Any = None):
        super().__init__(fn=poisson, name=name, dtype=dtype)
        self._direction = "down"

    def get_config(self) -> dict:
        return {"name": self.name, "dtype": self.dtype}


class BinaryCrossentropy(MeanMetricWrapper):
    """The mean binary cross-entropy between 0/1 labels and probabilities (or logits).

    Args:
        name: the metric's name.
        dtype: the dtype of the state and result.
        from_logits: `y_pred` holds logits.
        label_smoothing: squeezes the labels towards 0.5 by this amount.

    Example:
        >>> m = BinaryCrossentropy()
        >>> m.update_state([[0, 1], [0, 0]], [[0.6, 0.4], [0.4, 0.6]])
        >>> m.result()
        tensor(0.8149)
    """

    def __init__(
        self,
        name: str = "binary_crossentropy",
        dtype: Any = None,
        from_logits: bool = False,
        label_smoothing: float = 0,
    ):
        super().__init__(
            binary_crossentropy,
            name,
            dtype=dtype,
            from_logits=from_logits,
            label_smoothing=label_smoothing,
        )
        self.from_logits = from_logits
        self.label_smoothing = label_smoothing
        self._direction = "down"

    def get_config(self) -> dict:
        return {
            "name": self.name,
            "dtype": self.dtype,
            "from_logits": self.from_logits,
            "label_smoothing": self.label_smoothing,
        }


class CategoricalCrossentropy(MeanMetricWrapper):
    """The mean categorical cross-entropy between one-hot labels and class probabilities (or logits).

    Args:
        name: the metric's name.
        dtype: the dtype of the state and result.
        from_logits: `y_pred` holds logits.
        label_smoothing: mixes the one-hot labels with a uniform distribution by this amount.
        axis: the class axis.

    Example:
        >>> m = CategoricalCrossentropy()
        >>> m.update_state([[0, 1, 0], [0, 0, 1]], [[0.05, 0.95, 0], [0.1, 0.8, 0.1]])
        >>> m.result()
        tensor(1.1769)
    """

    def __init__(
        self,
        name: str = "categorical_crossentropy",
        dtype: Any = None,
        from_logits: bool = False,
        label_smoothing: float = 0,
        axis: int = -1,
    ):
        super().__init__(
            categorical_crossentropy,
            name,
            dtype=dtype,
            from_logits=from_logits,
            label_smoothing=label_smoothing,
            axis=axis,
        )
        self.from_logits = from_logits
        self.label_smoothing = label_smoothing
        self.axis = axis
        self._direction = "down"

    def get_config(self) -> dict:
        return {
            "name": self.name,
            "dtype": self.dtype,
            "from_logits": self.from_logits,
            "label_smoothing": self.label_smoothing,
            "axis": self.axis,
        }


class SparseCategoricalCrossentropy(MeanMetricWrapper):
    """The mean cross-entropy between integer labels and class probabilities (or logits).

    Args:
        name: the metric's name.
        dtype: the dtype of the state and result.
        from_logits: `y_pred` holds logits.
        ignore_class: a label whose entries are left out (weight 0).
        axis: the class axis.

    Example:
        >>> m = SparseCategoricalCrossentropy()
        >>> m.update_state([1, 2], [[0.05, 0.95, 0], [0.1, 0.8, 0.1]])
        >>> m.result()
        tensor(1.1769)
    """

    def __init__(
        self,
        name: str = "sparse_categorical_crossentropy",
        dtype: Any = None,
        from_logits: bool = False,
        ignore_class: int | None = None,
        axis: int = -1,
    ):
        super().__init__(
            sparse_categorical_crossentropy,
            name=name,
            dtype=dtype,
            from_logits=from_logits,
            ignore_class=ignore_class,
            axis=axis,
        )
        self.from_logits = from_logits
        self.ignore_class = ignore_class
        self.axis = axis
        self._direction = "down"

    def get_config(self) -> dict:
        return {
            "name": self.name,
            "dtype": self.dtype,
            "from_logits": self.from_logits,
            "ignore_class": self.ignore_class,
            "axis": self.axis,
        }
