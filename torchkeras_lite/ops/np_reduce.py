"""numpy-style reductions (`keras.ops.sum`, `mean`, `max`, `argmax`, `std`, `quantile`, ...).

`axis` is an int, a tuple of ints or None (all axes). Sums of small integers are int32 and means of
integers are `floatx()`, as in Keras.

Example:
    >>> keras.ops.mean(np.array([[1, 2], [3, 4]]), axis=0)
    tensor([2., 3.])
"""

from __future__ import annotations

from typing import Any

import torch

from torchkeras_lite.ops.dtype_rules import result_type
from torchkeras_lite.ops.tensor_utils import axes, convert, name_functions, torch_dtype

_SMALL_INTS = (torch.bool, torch.uint8, torch.int8, torch.int16)
Axis = int | tuple[int, ...] | list[int] | None


def _input(x: Any) -> torch.Tensor:
    if isinstance(x, (list, tuple)) and any(isinstance(e, torch.Tensor) for e in x):
        return torch.stack([convert(e) for e in x])
    return convert(x)


def _dims(x: torch.Tensor, axis: Axis) -> tuple[int, ...] | None:
    return axes(axis, x.ndim)


def _empty_axis(axis: Axis) -> bool:
    return isinstance(axis, (tuple, list)) and len(axis) == 0


def sum(x: Any, axis: Axis = None, keepdims: bool = False) -> torch.Tensor:
    """Sum over `axis`; bool and 8/16-bit integer inputs sum to int32."""
    x = _input(x)
    if _empty_axis(axis):
        return x
    dtype = torch.int32 if x.dtype in _SMALL_INTS else x.dtype
    return torch.sum(x, dim=_dims(x, axis), keepdim=keepdims).to(dtype)


def prod(x: Any, axis: Axis = None, keepdims: bool = False, dtype=None) -> torch.Tensor:
    """Product over `axis`; bool and 8/16-bit integer inputs multiply to int32 (64-bit to 32-bit)."""
    x = _input(x)
    if dtype is None:
        dtype = torch.int32 if x.dtype in _SMALL_INTS else result_type(x.dtype)
    out = torch_dtype(dtype)
    compute = torch.float32 if out == torch.float16 and x.device.type == "cpu" else out
    if axis is None:
        return torch.prod(x, dtype=compute).to(out)
    for a in sorted(_dims(x, axis), reverse=True):
        x = torch.prod(x, dim=a, keepdim=keepdims, dtype=compute)
    return x.to(out)


def mean(x: Any, axis: Axis = None, keepdims: bool = False) -> torch.Tensor:
    """Arithmetic mean over `axis`; integer inputs give `floatx()`."""
    x = _input(x)
    if _empty_axis(axis):
        return x
    compute = torch_dtype(result_type(x.dtype, "float32"))
    out = x.dtype if x.is_floating_point() or x.is_complex() else compute
    return torch.mean(x.to(compute), dim=_dims(x, axis), keepdim=keepdims).to(out)


def _extreme(fn, name: str):
    def op(x: Any, axis: Axis = None, keepdims: bool = False, initial=None) -> torch.Tensor:
        x = convert(x)
        if x.numel() == 0:
            if initial is None:
                raise ValueError(
                    f"Cannot compute the {name} of an empty tensor without `initial`. "
                    f"Received: x.shape={tuple(x.shape)}"
                )
            shape = (1,) * x.ndim if keepdims else ()
            return torch.full(shape, initial, dtype=x.dtype, device=x.device)
        if _empty_axis(axis):
            return x
        result = fn(x, dim=_dims(x, axis) or (), keepdim=keepdims)
        if initial is not None:
            bound = torch.as_tensor(initial, dtype=x.dtype, device=x.device)
            result = torch.maximum(result, bound) if name == "max" else torch.minimum(result, bound)
        return result

    op.__name__ = name
    op.__doc__ = (
        f"The {name}imum over `axis`; `initial` bounds the result (and fills empty inputs)."
    )
    return op


max = _extreme(torch.amax, "max")
min = _extreme(torch.amin, "min")


def amax(x: Any, axis: Axis = None, keepdims: bool = False) -> torch.Tensor:
    """The maximum over `axis` (all axes when None)."""
    return max(x, axis=axis, keepdims=keepdims)


def amin(x: Any, axis: Axis = None, keepdims: bool = False) -> torch.Tensor:
    """The minimum over `axis` (all axes when None)."""
    return min(x, axis=axis, keepdims=keepdims)


def _logical(fn):
    def op(x: Any, axis: Axis = None, keepdims: bool = False) -> torch.Tensor:
        x = convert(x)
        if _empty_axis(axis):
            return x.to(torch.bool)
        dims = _dims(x, axis)
        if dims is None:
            out = fn(x)
            return out.reshape((1,) * x.ndim) if keepdims else out
        return fn(x, dim=dims, keepdim=keepdims)

    op.__doc__ = (
        f"Whether {'all' if fn is torch.all else 'any'} elements along `axis` are non-zero."
    )
    return op


all = _logical(torch.all)
any = _logical(torch.any)


def _arg(fn, name: str):
    def op(x: Any, axis: int | None = None, keepdims: bool = False) -> torch.Tensor:
        x = convert(x)
        if x.dtype == torch.bool:
            x = x.to(torch.uint8)
        if axis is None and keepdims:
            return fn(x.reshape(-1)).reshape((1,) * x.ndim).to(torch.int32)
        return fn(x, dim=axis, keepdim=keepdims).to(torch.int32)

    op.__doc__ = (
        f"The int32 index of the first {name} along `axis` (of the flattened input when None)."
    )
    return op


argmax = _arg(torch.argmax, "maximum")
argmin = _arg(torch.argmin, "minimum")


def _moment(x: Any, axis: Axis, keepdims: bool, fn) -> torch.Tensor:
    x = convert(x)
    out = torch_dtype(result_type(x.dtype, float))
    if _empty_axis(axis):
        return torch.zeros_like(x, dtype=out)
    compute = torch_dtype(result_type(x.dtype, "float32"))
    return fn(x.to(compute), dim=_dims(x, axis), keepdim=keepdims, correction=0).to(out)


def var(x: Any, axis: Axis = None, keepdims: bool = False) -> torch.Tensor:
    """The population variance over `axis`."""
    return _moment(x, axis, keepdims, torch.var)


def std(x: Any, axis: Axis = None, keepdims: bool = False) -> torch.Tensor:
    """The population standard deviation over `axis`."""
    return _moment(x, axis, keepdims, torch.std)


def ptp(x: Any, axis: Axis = None, keepdims: bool = False) -> torch.Tensor:
    """The range `max - min` over `axis`."""
    x = convert(x)
    if _empty_axis(axis):
        return torch.zeros_like(x)
    dims = _dims(x, axis) or ()
    return torch.amax(x, dim=dims, keepdim=keepdims) - torch.amin(x, dim=dims, keepdim=keepdims)


def count_nonzero(x: Any, axis: Axis = None) -> torch.Tensor:
    """The int32 number of non-zero elements along `axis`."""
    x = convert(x)
    if _empty_axis(axis):
        return (x != 0).to(torch.int32)
    return torch.count_nonzero(x, dim=_dims(x, axis)).to(torch.int32)


def average(x: Any, axis: int | None = None, weights: Any = None) -> torch.Tensor:
    """The (weighted) mean along `axis`; 1-D `weights` apply along `axis`."""
    x = convert(x)
    kinds = [x.dtype, float]
    if weights is not None:
        weights = convert(weights, device=x.device)
        kinds.append(weights.dtype)
    dtype = torch_dtype(result_type(*kinds))
    x = x.to(dtype)
    if _empty_axis(axis):
        return x
    if weights is None:
        return torch.mean(x, dim=_dims(x, axis))
    weights = weights.to(dtype)
    if axis is not None and weights.ndim == 1 and x.ndim > 1:
        shape = [1] * x.ndim
        shape[axis] = -1
        weights = weights.reshape(shape)
    dims = _dims(x, axis)
    return torch.sum(x * weights, dim=dims) / torch.sum(weights.expand_as(x), dim=dims)


def _cumulative(fn, name: str):
    def op(x: Any, axis: int | None = None, dtype=None) -> torch.Tensor:
        x = convert(x)
        if axis is None:
            x, axis = x.reshape(-1), 0
        out = torch_dtype(dtype) if dtype is not None else x.dtype
        if out == torch.bool:
            out = torch.int32
        if out == torch.float16 and x.device.type == "cpu":
            return fn(x, dim=axis, dtype=torch.float32).to(out)
        return fn(x, dim=axis, dtype=out)

    op.__doc__ = f"The cumulative {name} along `axis` (of the flattened input when None)."
    return op


cumsum = _cumulative(torch.cumsum, "sum")
cumprod = _cumulative(torch.cumprod, "product")


def quantile(
    x: Any, q: Any, axis: Axis = None, method: str = "linear", keepdims: bool = False
) -> torch.Tensor:
    """The `q`-th quantiles (`q` in [0, 1]) over `axis`; `method` as in `numpy.quantile`."""
    return reduce_quantile(torch.quantile, x, q, axis, method, keepdims)


def percentile(
    x: Any, q: Any, axis: Axis = None, method: str = "linear", keepdims: bool = False
) -> torch.Tensor:
    """The `q`-th percentiles (`q` in [0, 100]) over `axis`."""
    return quantile(x, convert(q, "float32") / 100.0, axis, method, keepdims)


def median(x: Any, axis: Axis = None, keepdims: bool = False) -> torch.Tensor:
    """The median over `axis` (the mean of the two middle values for even sizes)."""
    return quantile(x, 0.5, axis=axis, keepdims=keepdims)


def reduce_quantile(fn, x, q, axis, method, keepdims) -> torch.Tensor:
    x = convert(x)
    out = torch_dtype(result_type(x.dtype, float))
    x = x.to(torch_dtype(result_type(x.dtype, "float32")))
    q = convert(q, device=x.device).to(x.dtype)
    dims = _dims(x, axis)
    if dims is None:
        y = x.reshape(-1)
    else:
        rest = [d for d in range(x.ndim) if d not in dims]
        y = x.permute(*rest, *dims).reshape(*[x.shape[d] for d in rest], -1)
    y = fn(y, q, dim=-1, interpolation=method)
    if keepdims:
        for d in range(x.ndim) if dims is None else sorted(dims):
            y = y.unsqueeze(d + 1 if q.ndim > 0 else d) if dims is not None else y.unsqueeze(-1)
    return y.to(out)


name_functions(globals())
