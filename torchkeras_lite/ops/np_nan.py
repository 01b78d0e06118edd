"""NaN-ignoring reductions (`keras.ops.nansum`, `nanmean`, `nanmax`, `nanquantile`, ...).

Example:
    >>> keras.ops.nanmean(np.array([1.0, np.nan, 3.0]))
    tensor(2.)
"""

from __future__ import annotations

from typing import Any

import torch

from torchkeras_lite.ops import np_reduce
from torchkeras_lite.ops.dtype_rules import result_type
from torchkeras_lite.ops.tensor_utils import axes, convert, name_functions, torch_dtype

Axis = int | tuple[int, ...] | list[int] | None


def _dims(x: torch.Tensor, axis: Axis):
    return axes(axis, x.ndim)


def _empty_axis(axis: Axis) -> bool:
    return isinstance(axis, (tuple, list)) and len(axis) == 0


def nansum(x: Any, axis: Axis = None, keepdims: bool = False) -> torch.Tensor:
    """`sum`, treating NaN as 0."""
    return np_reduce.sum(torch.nan_to_num(convert(x), nan=0.0), axis=axis, keepdims=keepdims)


def nanprod(x: Any, axis: Axis = None, keepdims: bool = False) -> torch.Tensor:
    """`prod`, treating NaN as 1."""
    return np_reduce.prod(torch.nan_to_num(convert(x), nan=1.0), axis=axis, keepdims=keepdims)


def nancumsum(x: Any, axis: int | None = None, dtype=None) -> torch.Tensor:
    """`cumsum`, treating NaN as 0."""
    return np_reduce.cumsum(torch.nan_to_num(convert(x), nan=0.0), axis=axis, dtype=dtype)


def nancumprod(x: Any, axis: int | None = None, dtype=None) -> torch.Tensor:
    """`cumprod`, treating NaN as 1."""
    return np_reduce.cumprod(torch.nan_to_num(convert(x), nan=1.0), axis=axis, dtype=dtype)


def nanmean(x: Any, axis: Axis = None, keepdims: bool = False) -> torch.Tensor:
    """The mean of the non-NaN values (NaN where there are none)."""
    x = convert(x)
    if _empty_axis(axis):
        return x
    x = x.to(torch_dtype(result_type(x.dtype, float)))
    return torch.nanmean(x, dim=_dims(x, axis), keepdim=keepdims)


def nanvar(x: Any, axis: Axis = None, keepdims: bool = False) -> torch.Tensor:
    """The population variance of the non-NaN values."""
    x = convert(x)
    x = x.to(torch_dtype(result_type(x.dtype, float)))
    if _empty_axis(axis):
        return torch.where(torch.isnan(x), x, torch.zeros_like(x))
    dims = _dims(x, axis)
    centered = x - torch.nanmean(x, dim=dims, keepdim=True)
    return torch.nanmean(centered.abs().square(), dim=dims, keepdim=keepdims)


def nanstd(x: Any, axis: Axis = None, keepdims: bool = False) -> torch.Tensor:
    """The population standard deviation of the non-NaN values."""
    return torch.sqrt(nanvar(x, axis=axis, keepdims=keepdims))


def _nan_extreme(fill: float, fn, name: str):
    def op(x: Any, axis: Axis = None, keepdims: bool = False) -> torch.Tensor:
        x = convert(x)
        if not x.is_floating_point():
            return (
                np_reduce.max(x, axis, keepdims) if fill < 0 else np_reduce.min(x, axis, keepdims)
            )
        if _empty_axis(axis):
            return x
        dims = _dims(x, axis) or ()
        nan = torch.isnan(x)
        out = fn(torch.where(nan, torch.full_like(x, fill), x), dim=dims, keepdim=keepdims)
        all_nan = torch.all(nan, dim=dims, keepdim=keepdims) if dims else torch.all(nan)
        if not dims and keepdims:
            all_nan = all_nan.reshape((1,) * x.ndim)
        return torch.where(all_nan, torch.full_like(out, float("nan")), out)

    op.__doc__ = f"The {name} of the non-NaN values (NaN where there are none)."
    return op


nanmax = _nan_extreme(float("-inf"), torch.amax, "maximum")
nanmin = _nan_extreme(float("inf"), torch.amin, "minimum")


def _nan_arg(fill: float, fn, name: str):
    def op(x: Any, axis: int | None = None, keepdims: bool = False) -> torch.Tensor:
        x = convert(x)
        if not x.is_floating_point():
            return fn(x, axis=axis, keepdims=keepdims)
        nan = torch.isnan(x)
        index = fn(torch.where(nan, torch.full_like(x, fill), x), axis=axis, keepdims=keepdims)
        if axis is None:
            all_nan = torch.all(nan).reshape((1,) * x.ndim if keepdims else ())
        else:
            all_nan = torch.all(nan, dim=axis, keepdim=keepdims)
        return torch.where(all_nan, torch.full_like(index, -1), index)

    op.__doc__ = f"The int32 index of the {name} ignoring NaN (-1 where all are NaN)."
    return op


nanargmax = _nan_arg(float("-inf"), np_reduce.argmax, "maximum")
nanargmin = _nan_arg(float("inf"), np_reduce.argmin, "minimum")


def nanquantile(
    x: Any, q: Any, axis: Axis = None, method: str = "linear", keepdims: bool = False
) -> torch.Tensor:
    """`quantile` of the non-NaN values."""
    return np_reduce.reduce_quantile(torch.nanquantile, x, q, axis, method, keepdims)


def nanpercentile(
    x: Any, q: Any, axis: Axis = None, method: str = "linear", keepdims: bool = False
) -> torch.Tensor:
    """`percentile` of the non-NaN values."""
    return nanquantile(x, convert(q, "float32") / 100.0, axis, method, keepdims)


def nanmedian(x: Any, axis: Axis = None, keepdims: bool = False) -> torch.Tensor:
    """The median of the non-NaN values."""
    x = convert(x)
    if _empty_axis(axis):
        return x
    return nanquantile(x, 0.5, axis=axis, keepdims=keepdims)


name_functions(globals())
