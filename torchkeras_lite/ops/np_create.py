"""numpy-style tensor creation (`keras.ops.zeros`, `arange`, `linspace`, `eye`, windows, ...).

New tensors are created on the default device (`keras.config` 's device setting) in `floatx()`
unless `dtype` says otherwise.

Example:
    >>> keras.ops.arange(0, 1, 0.25)
    tensor([0.0000, 0.2500, 0.5000, 0.7500])
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import torch

from torchkeras_lite.ops.dtype_rules import result_type, scalar_kind
from torchkeras_lite.ops.tensor_utils import convert, default_device, name_functions, torch_dtype

Shape = int | Sequence[int]


def _shape(shape: Shape) -> tuple[int, ...]:
    return (int(shape),) if isinstance(shape, int) else tuple(int(s) for s in shape)


def _kind(x: Any):
    return scalar_kind(x) or getattr(x, "dtype", None) or convert(x).dtype


def zeros(shape: Shape, dtype=None) -> torch.Tensor:
    """A tensor of zeros."""
    return torch.zeros(_shape(shape), dtype=torch_dtype(dtype), device=default_device())


def ones(shape: Shape, dtype=None) -> torch.Tensor:
    """A tensor of ones."""
    return torch.ones(_shape(shape), dtype=torch_dtype(dtype), device=default_device())


def empty(shape: Shape, dtype=None) -> torch.Tensor:
    """An uninitialized tensor."""
    return torch.empty(_shape(shape), dtype=torch_dtype(dtype), device=default_device())


def full(shape: Shape, fill_value: Any, dtype=None) -> torch.Tensor:
    """A tensor of `shape` filled with `fill_value` (broadcast if an array); `floatx()` by default."""
    value = convert(fill_value, torch_dtype(dtype))
    return value.expand(_shape(shape)).clone().to(default_device())


def _like(fn):
    def op(x: Any, dtype=None) -> torch.Tensor:
        x = convert(x)
        return fn(x, dtype=x.dtype if dtype is None else torch_dtype(dtype))

    op.__doc__ = f"`{fn.__name__[:-5]}` with the shape (and, by default, dtype) of `x`."
    return op


zeros_like = _like(torch.zeros_like)
ones_like = _like(torch.ones_like)
empty_like = _like(torch.empty_like)


def full_like(x: Any, fill_value: Any, dtype=None) -> torch.Tensor:
    """A tensor like `x` filled with `fill_value`."""
    x = convert(x)
    value = convert(fill_value, x.dtype if dtype is None else dtype, device=x.device)
    return value.expand(x.shape).clone()


def arange(start: Any, stop: Any = None, step: Any = None, dtype=None) -> torch.Tensor:
    """Evenly spaced values in `[start, stop)`; the dtype follows the arguments (int32 or float)."""
    if dtype is None:
        dtype = result_type(*(_kind(v) for v in (start, stop, step) if v is not None))
    if stop is None:
        start, stop = 0, start
    step = 1 if step is None else step
    return torch.arange(start, stop, step, dtype=torch_dtype(dtype), device=default_device())


def linspace(
    start: Any,
    stop: Any,
    num: int = 50,
    endpoint: bool = True,
    retstep: bool = False,
    dtype=None,
    axis: int = 0,
):
    """`num` evenly spaced values from `start` to `stop` (array bounds give one series each)."""
    if dtype is None:
        dtype = result_type(_kind(start), _kind(stop), float)
    dtype = torch_dtype(dtype)
    compute = dtype if dtype.is_floating_point else torch.float64
    a, b = (convert(v, compute, default_device()) for v in (start, stop))
    div = (num - 1) if endpoint else num
    last = b if endpoint or num == 0 else a + (b - a) * (num - 1) / num
    if a.ndim == 0 and b.ndim == 0:
        out = torch.linspace(float(a), float(last), num, dtype=compute, device=a.device)
    else:
        a, last = torch.broadcast_tensors(a, last)
        frac = torch.linspace(0.0, 1.0, num, dtype=compute, device=a.device)
        out = torch.lerp(a[None], last[None], frac.reshape(-1, *([1] * a.ndim)))
    out = torch.movedim(out, 0, axis).to(dtype)
    if retstep:
        step = (b - a) / div if div > 0 else torch.full_like(a, math.nan)
        return out, step
    return out


def logspace(
    start: Any,
    stop: Any,
    num: int = 50,
    endpoint: bool = True,
    base: float = 10,
    dtype=None,
    axis=0,
) -> torch.Tensor:
    """`base ** linspace(start, stop)`."""
    if dtype is None:
        dtype = result_type(_kind(start), _kind(stop), float)
    exponents = linspace(start, stop, num, endpoint, dtype=torch.float64, axis=axis)
    return torch.pow(convert(base, torch.float64, exponents.device), exponents).to(
        torch_dtype(dtype)
    )


def geomspace(
    start: Any, stop: Any, num: int = 50, endpoint: bool = True, dtype=None, axis: int = 0
) -> torch.Tensor:
    """A geometric progression from `start` to `stop`."""
    if dtype is None:
        dtype = result_type(_kind(start), _kind(stop), float)
    a, b = (convert(v, torch.float64) for v in (start, stop))
    out = logspace(torch.log10(a.abs()), torch.log10(b.abs()), num, endpoint, 10, torch.float64, 0)
    out = (out * torch.sign(a)).to(torch_dtype(dtype))
    return torch.movedim(out, 0, axis)


def eye(N: int, M: int | None = None, k: int = 0, dtype=None) -> torch.Tensor:
    """A 2-D tensor with ones on the `k`-th diagonal."""
    M = N if M is None else M
    out = torch.ones(N, M, dtype=torch.float32, device=default_device()).tril(k).triu(k)
    return out.to(torch_dtype(dtype))


def identity(n: int, dtype=None) -> torch.Tensor:
    """The `n x n` identity matrix."""
    return eye(n, dtype=dtype)


def tri(N: int, M: int | None = None, k: int = 0, dtype=None) -> torch.Tensor:
    """Ones at and below the `k`-th diagonal."""
    M = N if M is None else M
    out = torch.ones(N, M, dtype=torch_dtype(dtype), device=default_device())
    return torch.tril(out, diagonal=k)


def array(x: Any, dtype=None) -> torch.Tensor:
    """`x` as a tensor."""
    return convert(x, dtype)


def copy(x: Any) -> torch.Tensor:
    """A copy of `x`."""
    return torch.clone(convert(x))


def meshgrid(*x: Any, indexing: str = "xy") -> list[torch.Tensor]:
    """Coordinate grids from 1-D coordinate vectors (`indexing` "xy" or "ij")."""
    return list(torch.meshgrid(*[convert(v) for v in x], indexing=indexing))


def diag(x: Any, k: int = 0) -> torch.Tensor:
    """The `k`-th diagonal of a matrix, or a matrix with the vector `x` on it."""
    return torch.diag(convert(x), diagonal=k)


def diagflat(x: Any, k: int = 0) -> torch.Tensor:
    """A matrix with the flattened `x` on its `k`-th diagonal."""
    return torch.diagflat(convert(x), offset=k)


def vander(x: Any, N: int | None = None, increasing: bool = False) -> torch.Tensor:
    """The Vandermonde matrix of the vector `x`."""
    x = convert(x)
    return torch.vander(x, N=N, increasing=increasing).to(torch_dtype(result_type(x.dtype)))


def _window(fn, name: str):
    def op(x: int) -> torch.Tensor:
        n = int(convert(x))
        return fn(n, sym=True, dtype=torch.float32, device=default_device())

    op.__doc__ = f"The {name} window of length `x` (symmetric, float32)."
    return op


bartlett = _window(torch.signal.windows.bartlett, "Bartlett")
blackman = _window(torch.signal.windows.blackman, "Blackman")
hamming = _window(torch.signal.windows.hamming, "Hamming")
hanning = _window(torch.signal.windows.hann, "Hann")


def kaiser(x: int, beta: float) -> torch.Tensor:
    """The Kaiser window of length `x` with shape parameter `beta`."""
    n = int(convert(x))
    return torch.signal.windows.kaiser(
        n, beta=beta, sym=True, dtype=torch.float32, device=default_device()
    )


name_functions(globals())
