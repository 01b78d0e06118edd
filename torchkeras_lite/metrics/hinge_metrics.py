"""Hinge metrics: running means of the hinge, squared hinge and categorical hinge losses."""

from __future__ import annotations

from typing import Any

from torchkeras_lite.losses import categorical_hinge, hinge, squared_hinge
from torchkeras_lite.metrics.reduction_metrics import MeanMetricWrapper


class Hinge(MeanMetricWrapper):
    """The mean of `mean(max(1 - y_true * y_pred, 0), axis=-1)`; 0/1 labels become -1/1.

    Args:
        name: the metric's name.
        dtype: the dtype of the state and result.

    Example:
        >>> m = Hinge()
        >>> m.update_state([[0, 1], [0, 0]], [[0.6, 0.4], [0.4, 0.6]])
        >>> m.result()
        tensor(1.3000)
    """

    def __init__(self, name: str = "hinge", dtype: Any = None):
        super().__init__(fn=hinge, name=name, dtype=dtype)
        self._direction = "down"

    def get_config(self) -> dict:
        return {"name": self.name, "dtype": self.dtype}


class SquaredHinge(MeanMetricWrapper):
    """The mean of `mean(square(max(1 - y_true * y_pred, 0)), axis=-1)`; 0/1 labels become -1/1.

    Args:
        name: the metric's name.
        dtype: the dtype of the state and result.

    Example:
        >>> m = SquaredHinge()
        >>> m.update_state([[0, 1], [0, 0]], [[0.6, 0.4], [0.4, 0.6]])
        >>> m.result()
        tensor(1.8600)
    """

    def __init__(self, name: str = "squared_hinge", dtype: Any = None):
        super().__init__(fn=squared_hinge, name=name, dtype=dtype)
        self._direction = "down"

    def get_config(self) -> dict:
        return {"name": self.name, "dtype": self.dtype}


class CategoricalHinge(MeanMetricWrapper):
    """The mean of `max(0, 1 + max(y_pred * (1 - y_true)) - sum(y_true * y_pred))` per sample.

    Args:
        name: the metric's name.
        dtype: the dtype of the state and result.

    Example:
        >>> m = CategoricalHinge()
        >>> m.update_state([[0, 1], [0, 0]], [[0.6, 0.4], [0.4, 0.6]])
        >>> m.result()
        tensor(1.4000)
    """

    def __init__(self, name: str = "categorical_hinge", dtype: Any = None):
        super().__init__(fn=categorical_hinge, name=name, dtype=dtype)
        self._direction = "down"

    def get_config(self) -> dict:
        return {"name": self.name, "dtype": self.dtype}
