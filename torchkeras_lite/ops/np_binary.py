"""numpy-style element-wise functions of two tensors, with broadcasting (`keras.ops.add`, ...).

Python scalars are weakly typed: `int8_tensor + 3` stays int8, `int32_tensor + 0.5` is float32.

Example:
    >>> keras.ops.add(np.array([1, 2], "int32"), 0.5)
    tensor([1.5000, 2.5000])
"""

from __future__ import annotations

from typing import Any

import torch

from torchkeras_lite.backend import config
from torchkeras_lite.ops.tensor_utils import binary, name_functions, promoted, torch_dtype


def _plain(fn, doc: str):
    def op(x1: Any, x2: Any) -> torch.Tensor:
        return fn(*binary(x1, x2))

    op.__doc__ = doc
    return op


add = _plain(torch.add, "Element-wise `x1 + x2`.")
multiply = _plain(torch.multiply, "Element-wise `x1 * x2`.")
power = _plain(torch.pow, "Element-wise `x1 ** x2`.")
equal = _plain(torch.eq, "Element-wise `x1 == x2`.")
not_equal = _plain(torch.ne, "Element-wise `x1 != x2`.")
greater = _plain(torch.greater, "Element-wise `x1 > x2`.")
greater_equal = _plain(torch.greater_equal, "Element-wise `x1 >= x2`.")
less = _plain(torch.less, "Element-wise `x1 < x2`.")
less_equal = _plain(torch.less_equal, "Element-wise `x1 <= x2`.")
logical_and = _plain(torch.logical_and, "Element-wise logical AND.")
logical_or = _plain(torch.logical_or, "Element-wise logical OR.")
logical_xor = _plain(torch.logical_xor, "Element-wise logical XOR.")
bitwise_and = _plain(torch.bitwise_and, "Element-wise bitwise AND of integer or bool tensors.")
bitwise_or = _plain(torch.bitwise_or, "Element-wise bitwise OR of integer or bool tensors.")
bitwise_xor = _plain(torch.bitwise_xor, "Element-wise bitwise XOR of integer or bool tensors.")
bitwise_left_shift = _plain(torch.bitwise_left_shift, "Element-wise `x1 << x2`.")
bitwise_right_shift = _plain(torch.bitwise_right_shift, "Element-wise `x1 >> x2`.")
left_shift = bitwise_left_shift
right_shift = bitwise_right_shift
gcd = _plain(torch.gcd, "Element-wise greatest common divisor of integers.")
lcm = _plain(torch.lcm, "Element-wise least common multiple of integers.")
kron = _plain(torch.kron, "The Kronecker product.")


def subtract(x1: Any, x2: Any) -> torch.Tensor:
    """Element-wise `x1 - x2` (a bool operand takes the other operand's dtype)."""
    a, b = binary(x1, x2)
    if a.dtype == torch.bool:
        a = a.to(b.dtype)
    if b.dtype == torch.bool:
        b = b.to(a.dtype)
    return torch.subtract(a, b)


def divide(x1: Any, x2: Any) -> torch.Tensor:
    """Element-wise true division; integer inputs give `floatx()`."""
    a, b = binary(x1, x2)
    if not (a.is_floating_point() or a.is_complex() or b.is_floating_point() or b.is_complex()):
        a = a.to(torch_dtype(config.floatx()))
    return torch.divide(a, b)


true_divide = divide


def _promoting(fn, doc: str, extra: tuple = ()):
    def op(x1: Any, x2: Any) -> torch.Tensor:
        (a, b), _ = promoted(x1, x2, extra=extra)
        return fn(a, b)

    op.__doc__ = doc
    return op


maximum = _promoting(torch.maximum, "Element-wise maximum (NaN propagates).")
minimum = _promoting(torch.minimum, "Element-wise minimum (NaN propagates).")
fmax = _promoting(torch.fmax, "Element-wise maximum ignoring NaN.")
fmin = _promoting(torch.fmin, "Element-wise minimum ignoring NaN.")
logaddexp2 = _promoting(torch.logaddexp2, "Element-wise `log2(2**x1 + 2**x2)`.", (float,))


def _float_pair(fn, doc: str):
    def op(x1: Any, x2: Any) -> torch.Tensor:
        (a, b), dtype = promoted(x1, x2, extra=(float,))
        if dtype == torch.float16 and a.device.type == "cpu":
            return fn(a.float(), b.float()).to(dtype)
        return fn(a, b)

    op.__doc__ = doc
    return op


arctan2 = _float_pair(torch.arctan2, "Element-wise arc tangent of `x1 / x2`, quadrant-aware.")
logaddexp = _float_pair(torch.logaddexp, "Element-wise `log(exp(x1) + exp(x2))`.")


def _int_to_float(a: torch.Tensor, b: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
    dtype = torch.promote_types(a.dtype, b.dtype)
    if not dtype.is_floating_point:
        dtype = torch.float64 if dtype == torch.int64 else torch_dtype(config.floatx())
    return a.to(dtype), b.to(dtype)


def hypot(x1: Any, x2: Any) -> torch.Tensor:
    """Element-wise `sqrt(x1**2 + x2**2)`."""
    (a, b), _ = promoted(x1, x2)
    return torch.hypot(*_int_to_float(a, b))


def heaviside(x1: Any, x2: Any) -> torch.Tensor:
    """Heaviside step of `x1`, taking the value `x2` where `x1 == 0`."""
    (a, b), _ = promoted(x1, x2)
    return torch.heaviside(*_int_to_float(a, b))


def floor_divide(x1: Any, x2: Any) -> torch.Tensor:
    """Element-wise `x1 // x2`."""
    (a, b), dtype = promoted(x1, x2)
    if dtype == torch.bool:
        a, b = a.to(torch.int32), b.to(torch.int32)
    return torch.floor_divide(a, b).to(dtype)


def mod(x1: Any, x2: Any) -> torch.Tensor:
    """Element-wise remainder with the sign of `x2` (Python's `%`)."""
    a, b = binary(x1, x2)
    if a.dtype == torch.bool and b.dtype == torch.bool:
        a, b = a.to(torch.int32), b.to(torch.int32)
    return torch.remainder(a, b)


def fmod(x1: Any, x2: Any) -> torch.Tensor:
    """Element-wise remainder with the sign of `x1` (C's `fmod`)."""
    a, b = binary(x1, x2)
    if a.dtype == torch.bool and b.dtype == torch.bool:
        a, b = a.to(torch.int32), b.to(torch.int32)
    return torch.fmod(a, b)


def ldexp(x1: Any, x2: Any) -> torch.Tensor:
    """Element-wise `x1 * 2**x2`; `x2` must be an integer tensor."""
    a, b = binary(x1, x2)
    if b.is_floating_point() or b.dtype == torch.bool:
        raise TypeError(
            f"`ldexp` expects an integer exponent `x2`. Received: x2.dtype={str(b.dtype)[6:]}"
        )
    (_, _), dtype = promoted(x1, x2, extra=(float,))
    return torch.ldexp(a, b).to(dtype)


def nextafter(x1: Any, x2: Any) -> torch.Tensor:
    """The next representable float after `x1` in the direction of `x2`."""
    (a, b), dtype = promoted(x1, x2, extra=(float,))
    return torch.nextafter(a.double(), b.double()).to(dtype)


def divide_no_nan(x1: Any, x2: Any) -> torch.Tensor:
    """`x1 / x2`, with 0 wherever `x2` is 0."""
    (a, b), _ = promoted(x1, x2, extra=(float,))
    zero = b == 0
    return torch.where(zero, torch.zeros_like(a), a / torch.where(zero, torch.ones_like(b), b))


def isclose(
    x1: Any, x2: Any, rtol: float = 1e-5, atol: float = 1e-8, equal_nan: bool = False
) -> torch.Tensor:
    """Element-wise `|x1 - x2| <= atol + rtol * |x2|` (exact equality for integers)."""
    (a, b), dtype = promoted(x1, x2)
    if dtype.is_floating_point or dtype.is_complex:
        return torch.isclose(a, b, rtol=rtol, atol=atol, equal_nan=equal_nan)
    return torch.eq(a, b)


def allclose(
    x1: Any, x2: Any, rtol: float = 1e-5, atol: float = 1e-8, equal_nan: bool = False
) -> torch.Tensor:
    """Whether `isclose` holds everywhere (a bool scalar tensor)."""
    return torch.all(isclose(x1, x2, rtol, atol, equal_nan))


name_functions(globals())
