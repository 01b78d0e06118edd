"""Reductions over batches: `Sum`, `Mean` and `MeanMetricWrapper` (the mean of a per-sample function)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import torch

from torchkeras_lite.metrics import metrics_utils
from torchkeras_lite.metrics.metric import Metric


def reduce_to_samplewise_values(
    values: torch.Tensor,
    sample_weight: torch.Tensor | None,
    reduce_fn: Callable,
    dtype: torch.dtype,
    mask: torch.Tensor | None = None,
) -> tuple[torch.Tensor, torch.Tensor | None]:
    """Weights `values` and reduces them to one value per sample (axis 0), as Keras does.

    Axes of `values` beyond the rank of `sample_weight` are reduced first with `reduce_fn`, then the
    weights multiply, then every axis but the first is reduced. Weights with more than one axis are
    reduced the same way so that they still count samples. A `mask` of the values (e.g. a loss's
    ignored entries) zeroes the matching weights when weights are given, as in Keras.

    Returns:
        `(values, sample_weight)`, both of rank <= 1.
    """
    values = values.to(dtype)
    if sample_weight is not None:
        sample_weight = sample_weight.to(dtype=dtype, device=values.device)
        sample_weight = metrics_utils.apply_mask(sample_weight, mask, dtype)
        values, sample_weight = metrics_utils.squeeze_or_expand_to_same_rank(values, sample_weight)
        weight_ndim, values_ndim = sample_weight.dim(), values.dim()
        if values_ndim > weight_ndim:
            values = reduce_fn(values, dim=tuple(range(weight_ndim, values_ndim)))
        values = values * torch.broadcast_to(sample_weight, values.shape)
        if weight_ndim > 1:
            sample_weight = reduce_fn(sample_weight, dim=tuple(range(1, weight_ndim)))
    if values.dim() > 1:
        values = reduce_fn(values, dim=tuple(range(1, values.dim())))
    return values, sample_weight


def _is_loss(fn: Any) -> bool:
    from torchkeras_lite import losses  # resolved late: losses may one day import metrics

    return isinstance(fn, losses.Loss) or any(fn is obj for obj in losses.LOSSES.objects().values())


class Sum(Metric):
    """The (weighted) sum of the given values.

    Args:
        name: the metric's name.
        dtype: the dtype of the state and result.

    Example:
        >>> m = Sum()
        >>> m.update_state([1.0, 3.0, 5.0, 7.0], sample_weight=[1, 1, 0, 0])
        >>> m.result()
        tensor(4.)
    """

    def __init__(self, name: str = "sum", dtype: Any = None):
        super().__init__(name=name, dtype=dtype)
        self.total = self.add_variable((), name="total")

    def update_state(self, values, sample_weight=None) -> None:
        device = self._follow_device(values, sample_weight)
        mask = metrics_utils.get_mask(values)
        values = self._convert(values, device, self._torch_dtype)
        if sample_weight is not None:
            sample_weight = self._convert(sample_weight, device, self._torch_dtype)
        values, _ = reduce_to_samplewise_values(
            values, sample_weight, torch.sum, self._torch_dtype, mask
        )
        self.total.add_(values.sum())

    def result(self) -> torch.Tensor:
        return self.total.clone()


class Mean(Metric):
    """The (weighted) mean of the given values: `sum(values * w) / sum(w)`.

    Values with more axes than the weights are first averaged over the extra axes.

    Args:
        name: the metric's name.
        dtype: the dtype of the state and result.

    Example:
        >>> m = Mean()
        >>> m.update_state([1.0, 3.0, 5.0, 7.0], sample_weight=[1, 1, 0, 0])
        >>> m.result()
        tensor(2.)
    """

    def __init__(self, name: str = "mean", dtype: Any = None):
        super().__init__(name=name, dtype=dtype)
        self.total = self.add_variable((), name="total")
        self.count = self.add_variable((), name="count")

    def update_state(self, values, sample_weight=None) -> None:
        device = self._follow_device(values, sample_weight)
        mask = metrics_utils.get_mask(values)
        values = self._convert(values, device, self._torch_dtype)
        if sample_weight is not None:
            sample_weight = self._convert(sample_weight, device, self._torch_dtype)
        values, sample_weight = reduce_to_samplewise_values(
            values, sample_weight, torch.mean, self._torch_dtype, mask
        )
        self.total.add_(values.sum())
        if sample_weight is not None:
            self.count.add_(sample_weight.sum())
        else:
            self.count.add_(values.shape[0] if values.dim() >= 1 else 1)

    def result(self) -> torch.Tensor:
        return metrics_utils.divide_no_nan(self.total, self.count)


class MeanMetricWrapper(Mean):
    """The running mean of a per-sample function `fn(y_true, y_pred, **kwargs)`.

    A mask on `y_pred` (`y_pred._keras_mask`) zeroes the weights of masked entries.

    Args:
        fn: the function, returning one value per sample (or per entry).
        name: the metric's name.
        dtype: the dtype of the state and result.
        **kwargs: keyword arguments passed on to `fn`.

    Example:
        >>> def squared_error(y_true, y_pred):
        ...     return ((y_true - y_pred) ** 2).mean(dim=-1)
        >>> m = MeanMetricWrapper(squared_error, name="se")
        >>> m(torch.zeros(2, 2), torch.ones(2, 2))
        tensor(1.)
    """

    def __init__(self, fn: Callable, name: str | None = None, dtype: Any = None, **kwargs):
        super().__init__(name=name, dtype=dtype)
        self._fn = fn
        self._fn_kwargs = kwargs
        if _is_loss(fn):
            self._direction = "down"  # lower is better, for callbacks' mode="auto"

    def update_state(self, y_true, y_pred, sample_weight=None) -> None:
        device = self._follow_device(y_pred, y_true, sample_weight)
        mask = metrics_utils.get_mask(y_pred)
        y_pred = self._convert(y_pred, device)
        if not y_pred.is_floating_point():
            y_pred = y_pred.to(self._torch_dtype)
        y_true = self._convert(y_true, device)
        values = self._fn(y_true, y_pred, **self._fn_kwargs)
        if sample_weight is not None:
            sample_weight = self._convert(sample_weight, device, self._torch_dtype)
        if mask is not None:
            mask = self._convert(mask, device)
        sample_weight = metrics_utils.apply_mask(sample_weight, mask, self._torch_dtype)
        Mean.update_state(self, values, sample_weight=sample_weight)

    def get_config(self) -> dict:
        from torchkeras_lite.metrics import serialize_function

        return {**super().get_config(), "fn": serialize_function(self._fn), **self._fn_kwargs}

    @classmethod
    def from_config(cls, config: dict) -> MeanMetricWrapper:
        from torchkeras_lite.metrics import deserialize_function

        config = dict(config)
        if "fn" in config:
            config["fn"] = deserialize_function(config["fn"])
        return cls(**config)
