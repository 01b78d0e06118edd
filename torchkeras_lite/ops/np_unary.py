"""numpy-style element-wise functions of one tensor (`keras.ops.sqrt`, `keras.ops.sin`, ...).

Float functions turn integer and bool inputs into `floatx()`; the others keep the input dtype.

Example:
    >>> keras.ops.sqrt([1, 4, 9])
    tensor([1., 2., 3.])
"""

from __future__ import annotations

from typing import Any

import torch

from torchkeras_lite.backend import config
from torchkeras_lite.ops.dtype_rules import result_type
from torchkeras_lite.ops.tensor_utils import convert, name_functions, to_float, torch_dtype


def _float_fn(fn):
    def op(x: Any) -> torch.Tensor:
        return fn(to_float(convert(x)))

    op.__name__ = fn.__name__
    op.__doc__ = f"Element-wise `{fn.__name__}`; integer inputs are computed in `floatx()`."
    return op


sqrt = _float_fn(torch.sqrt)
exp = _float_fn(torch.exp)
exp2 = _float_fn(torch.exp2)
expm1 = _float_fn(torch.expm1)
log = _float_fn(torch.log)
log10 = _float_fn(torch.log10)
log1p = _float_fn(torch.log1p)
log2 = _float_fn(torch.log2)
sin = _float_fn(torch.sin)
cos = _float_fn(torch.cos)
tan = _float_fn(torch.tan)
arcsin = _float_fn(torch.arcsin)
arccos = _float_fn(torch.arccos)
arctan = _float_fn(torch.arctan)
sinh = _float_fn(torch.sinh)
cosh = _float_fn(torch.cosh)
tanh = _float_fn(torch.tanh)
arcsinh = _float_fn(torch.arcsinh)
arccosh = _float_fn(torch.arccosh)
arctanh = _float_fn(torch.arctanh)
sinc = _float_fn(torch.sinc)
reciprocal = _float_fn(torch.reciprocal)
fabs = _float_fn(torch.abs)
rsqrt = _float_fn(torch.rsqrt)
erf = _float_fn(torch.erf)
erfc = _float_fn(torch.erfc)
erfinv = _float_fn(torch.erfinv)


def _wide_float_fn(fn):
    def op(x: Any) -> torch.Tensor:
        x = convert(x)
        return fn(x.to(torch.float64) if x.dtype == torch.int64 else to_float(x))

    op.__doc__ = (
        f"Element-wise `{fn.__name__}`; int64 inputs give float64, other integers `floatx()`."
    )
    return op


deg2rad = _wide_float_fn(torch.deg2rad)
rad2deg = _wide_float_fn(torch.rad2deg)
i0 = _wide_float_fn(torch.i0)


def absolute(x: Any) -> torch.Tensor:
    """Element-wise absolute value (bool inputs are returned as they are)."""
    x = convert(x)
    return x if x.dtype == torch.bool else torch.abs(x)


abs = absolute


def negative(x: Any) -> torch.Tensor:
    """Element-wise `-x`."""
    return torch.negative(convert(x))


def sign(x: Any) -> torch.Tensor:
    """Element-wise sign: -1, 0 or 1 in the input dtype."""
    return torch.sign(convert(x))


def square(x: Any) -> torch.Tensor:
    """Element-wise `x * x` (bool inputs become int32)."""
    x = convert(x)
    return torch.square(x.to(torch.int32) if x.dtype == torch.bool else x)


def cbrt(x: Any) -> torch.Tensor:
    """Element-wise real cube root (int64 inputs give float64)."""
    x = convert(x)
    x = x.to(torch.float64) if x.dtype == torch.int64 else to_float(x)
    return torch.sign(x) * torch.abs(x) ** (1.0 / 3.0)


def _rounding(fn):
    def op(x: Any) -> torch.Tensor:
        x = convert(x)
        if x.dtype == torch.int64:
            return fn(x.to(torch_dtype(config.floatx())))
        return fn(x.to(torch_dtype(result_type(x.dtype, float))))

    op.__name__ = fn.__name__
    op.__doc__ = f"Element-wise `{fn.__name__}`; the result is a float tensor."
    return op


ceil = _rounding(torch.ceil)
floor = _rounding(torch.floor)


def trunc(x: Any) -> torch.Tensor:
    """Rounds toward zero, keeping the dtype."""
    x = convert(x)
    return x if x.dtype == torch.bool or not x.is_floating_point() else torch.trunc(x)


def round(x: Any, decimals: int = 0) -> torch.Tensor:
    """Rounds half to even to `decimals` decimals, keeping the dtype."""
    x = convert(x)
    if not x.is_floating_point():
        return torch.round(x.to(torch_dtype(config.floatx())), decimals=decimals).to(x.dtype)
    return torch.round(x, decimals=decimals)


def signbit(x: Any) -> torch.Tensor:
    """Whether the sign bit is set (True for negative numbers and -0.0)."""
    return torch.signbit(convert(x))


def isfinite(x: Any) -> torch.Tensor:
    """Element-wise test for finite values."""
    return torch.isfinite(convert(x))


def isinf(x: Any) -> torch.Tensor:
    """Element-wise test for +inf or -inf."""
    return torch.isinf(convert(x))


def isnan(x: Any) -> torch.Tensor:
    """Element-wise test for NaN."""
    return torch.isnan(convert(x))


def isneginf(x: Any) -> torch.Tensor:
    """Element-wise test for -inf."""
    return torch.isneginf(convert(x))


def isposinf(x: Any) -> torch.Tensor:
    """Element-wise test for +inf."""
    return torch.isposinf(convert(x))


def isreal(x: Any) -> torch.Tensor:
    """Element-wise test for a zero imaginary part."""
    return torch.isreal(convert(x))


def real(x: Any) -> torch.Tensor:
    """The real part (the input itself for real tensors)."""
    return torch.real(convert(x))


def imag(x: Any) -> torch.Tensor:
    """The imaginary part (zeros for real tensors)."""
    x = convert(x)
    return torch.imag(x) if x.is_complex() else torch.zeros_like(x)


def conjugate(x: Any) -> torch.Tensor:
    """The complex conjugate."""
    return torch.conj(convert(x)).resolve_conj()


conj = conjugate


def angle(x: Any) -> torch.Tensor:
    """The argument of complex numbers (0 or pi for real ones)."""
    return torch.angle(to_float(convert(x)))


def nan_to_num(
    x: Any, nan: float = 0.0, posinf: float | None = None, neginf: float | None = None
) -> torch.Tensor:
    """Replaces NaN by `nan` and infinities by `posinf`/`neginf` (default: the dtype's extremes)."""
    return torch.nan_to_num(convert(x), nan=nan, posinf=posinf, neginf=neginf)


def clip(x: Any, x_min: Any, x_max: Any) -> torch.Tensor:
    """Limits values to `[x_min, x_max]` (bool inputs become int32)."""
    x = convert(x)
    if x.dtype == torch.bool:
        x = x.to(torch.int32)
    lo, hi = (convert(v, device=x.device) for v in (x_min, x_max))
    if x.dtype == torch.float16 and x.device.type == "cpu":
        return torch.clip(x.float(), lo, hi).to(torch.float16)
    return torch.clip(x, lo, hi)


def logical_not(x: Any) -> torch.Tensor:
    """Element-wise logical NOT (non-zero is True)."""
    return torch.logical_not(convert(x))


def bitwise_invert(x: Any) -> torch.Tensor:
    """Element-wise bitwise NOT of integer or bool tensors."""
    return torch.bitwise_not(convert(x))


bitwise_not = bitwise_invert


name_functions(globals())
