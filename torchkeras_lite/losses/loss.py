"""The `Loss` base class, `LossFunctionWrapper` and the loss registry."""

from __future__ import annotations

import abc
import collections
import re
from collections.abc import Callable
from typing import Any

import torch

from torchkeras_lite.backend import config as backend_config
from torchkeras_lite.backend import dtypes
from torchkeras_lite.losses.reduction import (
    reduce_weighted_values,
    squeeze_or_expand_to_same_rank,
    standardize_reduction,
)
from torchkeras_lite.saving.registry import Registry

LOSSES = Registry("loss")

# Per-sample loss functions whose default reduction equals one fused torch kernel: with no weights,
# no mask and same-shape float tensors, "sum_over_batch_size" of their per-sample means is the mean
# over all elements. Filled in by the modules that define the functions.
FUSED_MEAN_LOSSES: dict[Callable, Callable] = {}
"""The registry of built-in loss functions and classes (`get`, `serialize`, `deserialize`)."""

_NAME_UIDS: collections.defaultdict[str, int] = collections.defaultdict(int)


def _auto_name(class_name: str) -> str:
    """`"MyLoss"` -> `"my_loss"`, then `"my_loss_1"`, ... for later instances, as Keras names them."""
    name = re.sub(r"\W+", "", class_name)
    name = re.sub("(.)([A-Z][a-z]+)", r"\1_\2", name)
    name = re.sub("([a-z])([A-Z])", r"\1_\2", name).lower()
    uid = _NAME_UIDS[name]
    _NAME_UIDS[name] += 1
    return f"{name}_{uid}" if uid else name


def get_keras_mask(x: Any) -> torch.Tensor | None:
    """The boolean mask a layer attached to `x` as `x._keras_mask`, or None."""
    return getattr(x, "_keras_mask", None)


def as_float_tensor(x: Any, dtype: torch.dtype | None = None) -> torch.Tensor:
    """`x` as a tensor of `dtype` (default: `x`'s own float dtype, else `floatx()`)."""
    t = torch.as_tensor(x)
    if dtype is None:
        dtype = t.dtype if t.is_floating_point() else dtypes.to_torch_dtype(None)
    return t.to(dtype)


def cast_pair(y_true: Any, y_pred: Any, align: bool = True) -> tuple[torch.Tensor, torch.Tensor]:
    """`y_pred` as a float tensor and `y_true` cast to its dtype and device; with `align`, their
    ranks are reconciled when they differ by a trailing size-1 axis."""
    y_pred = as_float_tensor(y_pred)
    y_true = torch.as_tensor(y_true, device=y_pred.device).to(y_pred.dtype)
    if align:
        y_true, y_pred = squeeze_or_expand_to_same_rank(y_true, y_pred)
    return y_true, y_pred


def check_same_shape(target: torch.Tensor, output: torch.Tensor) -> None:
    """Raises the Keras ValueError when `y_true` and `y_pred` differ in shape."""
    if target.shape != output.shape:
        raise ValueError(
            "Arguments `target` and `output` must have the same shape. "
            f"Received: target.shape={tuple(target.shape)}, output.shape={tuple(output.shape)}"
        )


class Loss(abc.ABC):
    """Base class of losses: subclasses implement `call(y_true, y_pred)` -> per-sample losses.

    Calling the loss weights the per-sample losses by `sample_weight` and by the mask that layers
    attach to `y_pred` (`y_pred._keras_mask`), then reduces them.

    Args:
        name: name of the loss instance (default: the snake-case class name).
        reduction: `"sum_over_batch_size"` (sum divided by the number of entries, zero-weight ones
            included), `"sum"`, `"mean"` (same as `"sum_over_batch_size"`),
            `"mean_with_sample_weight"` (sum divided by the sum of the sample weights), `"none"` or
            None (no reduction).
        dtype: dtype of the computation: a name, a torch dtype or a `DTypePolicy` (its compute
            dtype is used). Defaults to `keras.config.floatx()`.

    Example:
        >>> class MeanSquaredError(Loss):
        ...     def call(self, y_true, y_pred):
        ...         return torch.mean(torch.square(y_pred - y_true), dim=-1)
        >>> MeanSquaredError()(torch.zeros(2, 3), torch.ones(2, 3))
        tensor(1.)
    """

    def __init__(
        self,
        name: str | None = None,
        reduction: str | None = "sum_over_batch_size",
        dtype: Any = None,
    ):
        self.name = name or _auto_name(type(self).__name__)
        self.reduction = standardize_reduction(reduction)
        self._dtype_arg = dtype
        self._dtype_policy = dtypes.get_policy(dtype or backend_config.floatx())
        self._dtype = self._dtype_policy.compute_dtype

    @property
    def dtype(self) -> str:
        """The name of the dtype losses are computed in (`"float32"` by default)."""
        return self._dtype

    def __call__(self, y_true: Any, y_pred: Any, sample_weight: Any = None) -> torch.Tensor:
        """Per-sample losses of `call`, weighted, masked and reduced.

        Args:
            y_true: targets. Float targets are cast to the loss dtype; integer ones are kept.
            y_pred: predictions, optionally carrying a boolean `_keras_mask`.
            sample_weight: weights broadcastable to the per-sample losses, or None.
        """
        torch_dtype = dtypes.to_torch_dtype(self._dtype)
        fused = FUSED_MEAN_LOSSES.get(self.__dict__.get("fn"))
        if (
            fused is not None
            and sample_weight is None
            and self.reduction == "sum_over_batch_size"
            and not self.__dict__.get("_fn_kwargs")
            and type(y_pred) is torch.Tensor
            and type(y_true) is torch.Tensor
            and y_pred.dtype == torch_dtype
            and y_true.dtype == torch_dtype
            and y_pred.shape == y_true.shape
            and y_pred.ndim >= 1
            and y_pred.numel() > 0
            and getattr(y_pred, "_keras_mask", None) is None
        ):
            return fused(y_pred, y_true)
        in_mask = get_keras_mask(y_pred)
        y_pred = as_float_tensor(y_pred, torch_dtype)
        y_true = torch.as_tensor(y_true, device=y_pred.device)
        if y_true.is_floating_point() or y_true.dtype == torch.bool:
            y_true = y_true.to(torch_dtype)
        losses = self.call(y_true, y_pred)
        out_mask = get_keras_mask(losses)
        if in_mask is not None and out_mask is not None:
            mask = in_mask.bool() & out_mask.bool()
        else:
            mask = in_mask if in_mask is not None else out_mask
        return reduce_weighted_values(
            losses,
            sample_weight=sample_weight,
            mask=mask,
            reduction=self.reduction,
            dtype=torch_dtype,
        )

    @abc.abstractmethod
    def call(self, y_true: torch.Tensor, y_pred: torch.Tensor) -> torch.Tensor:
        """Per-sample losses, before weighting and reduction."""

    def get_config(self) -> dict:
        config = {"name": self.name, "reduction": self.reduction}
        if self._dtype_arg is not None:
            config["dtype"] = dtypes.get_policy(self._dtype_arg).name
        return config

    @classmethod
    def from_config(cls, config: dict) -> Loss:
        return cls(**config)

    def __repr__(self) -> str:
        return f"<{type(self).__name__} name={self.name!r} reduction={self.reduction!r}>"


@LOSSES.register()
class LossFunctionWrapper(Loss):
    """A `Loss` made from a function `fn(y_true, y_pred, **kwargs)` returning per-sample losses.

    Before calling `fn`, `y_true` and `y_pred` are brought to the same rank when they differ by a
    trailing axis of size 1.

    Args:
        fn: the loss function (or its registered name).
        reduction: see `Loss`.
        name: name of the instance.
        dtype: see `Loss`.
        **kwargs: passed to `fn` on every call (and saved in the config).

    Example:
        >>> loss = LossFunctionWrapper(huber, delta=0.5)
        >>> loss(torch.zeros(2, 1), torch.ones(2, 1))
        tensor(0.3750)
    """

    def __init__(
        self,
        fn: Callable | str,
        reduction: str | None = "sum_over_batch_size",
        name: str | None = None,
        dtype: Any = None,
        **kwargs: Any,
    ):
        super().__init__(name=name, reduction=reduction, dtype=dtype)
        self.fn = LOSSES.get(fn) if isinstance(fn, (str, dict)) else fn
        self._fn_kwargs = kwargs

    def __getattr__(self, attr: str) -> Any:
        kwargs = self.__dict__.get("_fn_kwargs", {})
        if attr in kwargs:
            return kwargs[attr]
        raise AttributeError(f"{type(self).__name__!r} object has no attribute {attr!r}")

    def call(self, y_true: torch.Tensor, y_pred: torch.Tensor) -> torch.Tensor:
        y_true, y_pred = squeeze_or_expand_to_same_rank(y_true, y_pred)
        return self.fn(y_true, y_pred, **self._fn_kwargs)

    def get_config(self) -> dict:
        config = super().get_config()
        if type(self).__init__ is LossFunctionWrapper.__init__:
            config["fn"] = LOSSES.serialize(self.fn)
        config.update(self._fn_kwargs)
        return config

    @classmethod
    def from_config(cls, config: dict) -> Loss:
        config = dict(config)
        if "fn" in config:
            config["fn"] = LOSSES.get(config["fn"])
        return cls(**config)

    def __repr__(self) -> str:
        fn = getattr(self.fn, "__name__", self.fn)
        return f"<{type(self).__name__}({fn}, kwargs={self._fn_kwargs}) name={self.name!r}>"
