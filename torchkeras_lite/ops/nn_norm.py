"""`keras.ops.nn` statistics and normalizations: moments, batch/layer/RMS normalization, normalize.

Half-precision inputs are normalized in float32 and cast back, as in Keras. Trailing-axis layer and
RMS normalizations and channel batch normalization run on torch's fused kernels.

Example:
    >>> mean, variance = keras.ops.moments(np.array([[1.0, 3.0]]), axes=[1])
    >>> mean, variance
    (tensor([2.]), tensor([1.]))
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import torch
import torch.nn.functional as F

from torchkeras_lite.backend import config
from torchkeras_lite.ops.dtype_rules import result_type
from torchkeras_lite.ops.tensor_utils import axes as canonical_axes
from torchkeras_lite.ops.tensor_utils import convert, to_float, torch_dtype


def _distributed() -> bool:
    import torch.distributed as dist

    return dist.is_available() and dist.is_initialized() and dist.get_world_size() > 1


def moments(
    x: Any, axes: int | Sequence[int], keepdims: bool = False, synchronized: bool = False
) -> tuple[torch.Tensor, torch.Tensor]:
    """The mean and the population variance of `x` over `axes`.

    `synchronized=True` also reduces over the processes of an initialized `torch.distributed`
    default group (differentiably); without one it is the local statistics.
    """
    x = to_float(convert(x))
    dtype = x.dtype
    if dtype == torch.float16:
        x = x.float()
    dims = canonical_axes(axes, x.ndim)
    if synchronized and _distributed():
        from torch.distributed.nn.functional import all_reduce

        sums = all_reduce(torch.stack([x.sum(dims, True), x.square().sum(dims, True)]))
        local = float(math.prod(x.shape[d] for d in dims))
        count = all_reduce(torch.tensor(local, dtype=x.dtype, device=x.device))
        mean = sums[0] / count
        variance = (sums[1] / count - mean.square()).clamp(min=0.0)
        if not keepdims:
            mean, variance = mean.squeeze(dims), variance.squeeze(dims)
    else:
        variance, mean = torch.var_mean(x, dim=dims, correction=0, keepdim=keepdims)
    if dtype == torch.float16:
        limit = torch.finfo(torch.float16).max
        mean, variance = (t.clamp(-limit, limit).to(dtype) for t in (mean, variance))
    return mean, variance


def batch_normalization(
    x: Any,
    mean: Any,
    variance: Any,
    axis: int,
    offset: Any = None,
    scale: Any = None,
    epsilon: float = 1e-3,
) -> torch.Tensor:
    """`(x - mean) / sqrt(variance + epsilon) * scale + offset` with `(C,)` statistics on `axis`."""
    x = convert(x)
    stats = [
        None if v is None else convert(v, x.dtype, x.device)
        for v in (mean, variance, offset, scale)
    ]
    mean, variance, offset, scale = stats
    axis = axis % x.ndim
    stats_need_grad = torch.is_grad_enabled() and (mean.requires_grad or variance.requires_grad)
    if not stats_need_grad and mean.ndim == 1 and x.ndim > 1 and x.is_floating_point():
        out = F.batch_norm(
            torch.movedim(x, axis, 1), mean, variance, scale, offset, False, 0.0, epsilon
        )
        return torch.movedim(out, 1, axis)
    shape = [1] * x.ndim
    shape[axis] = -1
    inv = torch.rsqrt(variance.reshape(shape) + epsilon)
    if scale is not None:
        inv = inv * scale.reshape(shape)
    out = (x - mean.reshape(shape)) * inv
    return out if offset is None else out + offset.reshape(shape)


def _trailing(dims: Sequence[int], ndim: int) -> bool:
    return list(dims) == list(range(ndim - len(dims), ndim))


def layer_normalization(
    x: Any,
    gamma: Any = None,
    beta: Any = None,
    axis: int | Sequence[int] = -1,
    epsilon: float | None = None,
    rms_scaling: bool = False,
) -> torch.Tensor:
    """Normalizes over `axis` to zero mean and unit variance, then `* gamma + beta`.

    `gamma`/`beta` have the shape of the normalized axes. `rms_scaling` divides by
    `sqrt(variance + epsilon)` without centering and ignores `beta` (Keras' option).
    """
    x = convert(x)
    epsilon = config.epsilon() if epsilon is None else epsilon
    dtype = x.dtype
    x = x.to(torch_dtype(result_type(x.dtype, "float32")))
    dims = sorted(canonical_axes(axis, x.ndim))
    bshape = [x.shape[d] if d in dims else 1 for d in range(x.ndim)]
    gamma, beta = (None if v is None else convert(v, x.dtype, x.device) for v in (gamma, beta))
    if not rms_scaling and _trailing(dims, x.ndim):
        normalized = tuple(x.shape[d] for d in dims)
        gamma, beta = (None if v is None else v.reshape(normalized) for v in (gamma, beta))
        return F.layer_norm(x, normalized, gamma, beta, epsilon).to(dtype)
    variance, mean = torch.var_mean(x, dim=dims, correction=0, keepdim=True)
    inv = torch.rsqrt(variance + epsilon)
    out = x * inv if rms_scaling else (x - mean) * inv
    if gamma is not None:
        out = out * gamma.reshape(bshape)
    if beta is not None and not rms_scaling:
        out = out + beta.reshape(bshape)
    return out.to(dtype)


def rms_normalization(
    x: Any, scale: Any = None, axis: int | Sequence[int] = -1, epsilon: float | None = None
) -> torch.Tensor:
    """`x / sqrt(mean(x**2) + epsilon) * scale` over `axis`."""
    x = convert(x)
    epsilon = config.epsilon() if epsilon is None else epsilon
    dtype = x.dtype
    x = x.to(torch_dtype(result_type(x.dtype, "float32")))
    dims = sorted(canonical_axes(axis, x.ndim))
    scale = None if scale is None else convert(scale, x.dtype, x.device)
    if _trailing(dims, x.ndim):
        normalized = tuple(x.shape[d] for d in dims)
        return F.rms_norm(x, normalized, scale, epsilon).to(dtype)
    out = x * torch.rsqrt(x.square().mean(dim=dims, keepdim=True) + epsilon)
    return (out if scale is None else out * scale).to(dtype)


def normalize(x: Any, axis: int = -1, order: int = 2, epsilon: float | None = None) -> torch.Tensor:
    """`x` divided by its `order`-norm along `axis` (at least `epsilon`)."""
    if not isinstance(order, int) or order < 1:
        raise ValueError(f"`order` must be an int >= 1. Received: order={order}")
    x = to_float(convert(x))
    if x.ndim == 0:
        x = x.reshape(1)
    epsilon = config.epsilon() if epsilon is None else epsilon
    if order == 2:
        inv = torch.rsqrt(x.square().sum(dim=axis, keepdim=True))
        return x * torch.clamp(inv, max=1.0 / epsilon)
    norm = torch.linalg.vector_norm(x, ord=order, dim=axis, keepdim=True)
    return x / torch.clamp(norm, min=epsilon)


def psnr(x1: Any, x2: Any, max_val: float) -> torch.Tensor:
    """The peak signal-to-noise ratio (dB) between two images of the same shape."""
    a, b = convert(x1), convert(x2)
    if a.shape != b.shape:
        raise ValueError(
            "The inputs must have the same shape. "
            f"Received: x1.shape={tuple(a.shape)}, x2.shape={tuple(b.shape)}"
        )
    a = to_float(a)
    mse = torch.mean((a - b.to(a.dtype)) ** 2)
    top = torch.as_tensor(max_val, dtype=a.dtype, device=a.device)
    return 20 * torch.log10(top) - 10 * torch.log10(mse)
