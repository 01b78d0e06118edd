"""numpy-style products and signal helpers (`keras.ops.matmul`, `dot`, `einsum`, `cross`, ...).

Integer products keep an integer dtype (int8 x int8 -> int32) and are computed in float on devices
without integer matmul kernels, as in Keras.

Example:
    >>> keras.ops.matmul(np.ones((2, 3)), np.ones((3, 4))).shape
    torch.Size([2, 4])
"""

from __future__ import annotations

from typing import Any

import torch
import torch.nn.functional as F

from torchkeras_lite.backend import config
from torchkeras_lite.ops.dtype_rules import result_type
from torchkeras_lite.ops.tensor_utils import binary, convert, convert_all, torch_dtype


def _product_dtypes(a: torch.Tensor, b: torch.Tensor, compute_in_float: bool):
    if a.dtype == torch.int8 and b.dtype == torch.int8:
        out = torch.int32
    else:
        out = torch_dtype(result_type(a.dtype, b.dtype))
    compute = out
    if compute_in_float or out == torch.bool or (a.is_cuda and not out.is_floating_point):
        compute = torch_dtype(result_type(out, float))
    if compute == torch.float16 and a.device.type == "cpu":
        compute = torch.float32
    return compute, out


def matmul(x1: Any, x2: Any) -> torch.Tensor:
    """The matrix product, broadcasting over leading axes."""
    a, b = binary(x1, x2)
    compute, out = _product_dtypes(a, b, compute_in_float=False)
    return torch.matmul(a.to(compute), b.to(compute)).to(out)


def dot(x1: Any, x2: Any) -> torch.Tensor:
    """numpy's `dot`: a product for scalars, `matmul` otherwise (computed in float)."""
    a, b = binary(x1, x2)
    compute, out = _product_dtypes(a, b, compute_in_float=True)
    a, b = a.to(compute), b.to(compute)
    if a.ndim == 0 or b.ndim == 0:
        return torch.multiply(a, b).to(out)
    if b.ndim > 2:  # numpy: sum over the last axis of a and the second-to-last of b
        return torch.tensordot(a, b, dims=([a.ndim - 1], [b.ndim - 2])).to(out)
    return torch.matmul(a, b).to(out)


def vdot(x1: Any, x2: Any) -> torch.Tensor:
    """The dot product of the flattened inputs (conjugating the first)."""
    a, b = binary(x1, x2)
    compute, out = _product_dtypes(a, b, compute_in_float=True)
    return torch.vdot(a.to(compute).reshape(-1), b.to(compute).reshape(-1)).to(out)


def inner(x1: Any, x2: Any) -> torch.Tensor:
    """The inner product over the last axes."""
    a, b = binary(x1, x2)
    compute, out = _product_dtypes(a, b, compute_in_float=True)
    return torch.inner(a.to(compute), b.to(compute)).to(out)


def outer(x1: Any, x2: Any) -> torch.Tensor:
    """The outer product of the flattened inputs."""
    a, b = binary(x1, x2)
    return torch.outer(a.reshape(-1), b.reshape(-1))


def tensordot(x1: Any, x2: Any, axes=2) -> torch.Tensor:
    """Sums products over `axes` (an int: the last/first `axes` axes; or two lists of axes)."""
    a, b = binary(x1, x2)
    compute, out = _product_dtypes(a, b, compute_in_float=True)
    if isinstance(axes, (list, tuple)):
        first, second = axes
        axes = (
            [first] if isinstance(first, int) else list(first),
            [second] if isinstance(second, int) else list(second),
        )
    return torch.tensordot(a.to(compute), b.to(compute), dims=axes).to(out)


def einsum(subscripts: str, *operands: Any, **kwargs) -> torch.Tensor:
    """Einstein summation, e.g. `einsum("ij,jk->ik", a, b)`."""
    tensors = convert_all(*operands)
    if tensors and all(t.dtype == torch.int8 for t in tensors):
        compute = torch_dtype(config.floatx()) if tensors[0].is_cuda else torch.int32
        return torch.einsum(subscripts, *[t.to(compute) for t in tensors]).to(torch.int32)
    return torch.einsum(subscripts, *tensors)


def cross(x1: Any, x2: Any, axisa: int = -1, axisb: int = -1, axisc: int = -1, axis=None):
    """The cross product of 3-vectors along the last axis (or `axis`, which overrides all three)."""
    a, b = binary(x1, x2)
    if axis is not None:
        axisa = axisb = axisc = axis
    a, b = torch.movedim(a, axisa, -1), torch.movedim(b, axisb, -1)
    out = torch_dtype(result_type(a.dtype, b.dtype))
    compute = torch.float32 if out in (torch.float16, torch.bfloat16) else out
    a, b = torch.broadcast_tensors(a.to(compute), b.to(compute))
    return torch.movedim(torch.linalg.cross(a, b, dim=-1), -1, axisc).to(out)


def diff(a: Any, n: int = 1, axis: int = -1) -> torch.Tensor:
    """The `n`-th discrete difference along `axis`."""
    return torch.diff(convert(a), n=n, dim=axis)


def trapezoid(y: Any, x: Any = None, dx: float = 1.0, axis: int = -1) -> torch.Tensor:
    """The integral of `y` along `axis` by the trapezoidal rule (sample points `x` or spacing `dx`)."""
    y = convert(y)
    if y.dtype == torch.bool or not y.is_floating_point():
        y = y.to(torch_dtype(config.floatx()))
    if x is not None:
        return torch.trapezoid(y, x=convert(x, device=y.device).to(y.dtype), dim=axis)
    return torch.trapezoid(y, dx=dx, dim=axis)


def correlate(x1: Any, x2: Any, mode: str = "valid") -> torch.Tensor:
    """The cross-correlation of two 1-D sequences (`mode` "valid", "same" or "full")."""
    a, b = binary(x1, x2)
    dtype = result_type(a.dtype, b.dtype)
    dtype = {"int64": "float64"}.get(dtype, dtype)
    if dtype not in ("bfloat16", "float16", "float64"):
        dtype = "float32"
    a, b = a.to(torch_dtype(dtype)), b.to(torch_dtype(dtype))
    n, m = a.shape[-1], b.shape[-1]
    if mode not in ("valid", "same", "full"):
        raise ValueError(f"`mode` must be one of 'valid', 'same', 'full'. Received: mode={mode!r}")
    full = F.conv1d(a.reshape(1, 1, -1), b.reshape(1, 1, -1), padding=m - 1).reshape(-1)
    if mode == "full":
        return full
    if mode == "same":
        start = (full.shape[0] - n) // 2
        return full[start : start + n]
    length = max(n, m) - min(n, m) + 1
    start = (full.shape[0] - length) // 2
    return full[start : start + length]


def corrcoef(x: Any) -> torch.Tensor:
    """The Pearson correlation matrix of the rows of `x`."""
    x = convert(x)
    if x.dtype == torch.int64:
        x = x.to(torch.float64)
    elif not x.is_floating_point():
        x = x.to(torch_dtype(config.floatx()))
    return torch.corrcoef(x)


def slogdet(x: Any) -> tuple[torch.Tensor, torch.Tensor]:
    """The sign and the log of the absolute value of the determinant."""
    x = convert(x)
    if not (x.is_floating_point() or x.is_complex()):
        x = x.to(torch_dtype(config.floatx()))
    return tuple(torch.linalg.slogdet(x))
