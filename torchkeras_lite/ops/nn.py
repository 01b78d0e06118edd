"""Neural-network ops: thin, stateless wrappers over torch's fused kernels with Keras' semantics.

Layers call these with their weights; nothing here holds state. Kernels use Keras' layouts (a
Dense kernel is `(input_dim, units)`), statistics Keras' conventions (biased batch variance).
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import torch
import torch.nn.functional as F


def dense(x: torch.Tensor, kernel: torch.Tensor, bias: torch.Tensor | None = None) -> torch.Tensor:
    """`x @ kernel + bias` with a `(input_dim, units)` kernel, as one fused matmul-and-add.

    Example:
        >>> dense(torch.ones(2, 3), torch.ones(3, 4), torch.zeros(4)).shape
        torch.Size([2, 4])
    """
    if bias is not None and x.dim() == 2 and x.dtype == kernel.dtype == bias.dtype:
        return torch.addmm(bias, x, kernel)  # the fastest path for small 2D inputs
    return F.linear(x, kernel.t(), bias)  # a free transposed view: one GEMM with a bias epilogue


def _concrete_noise_shape(x: torch.Tensor, noise_shape: Sequence[int | None]) -> tuple[int, ...]:
    return tuple(x.shape[i] if d is None else int(d) for i, d in enumerate(noise_shape))


def dropout(
    x: torch.Tensor,
    rate: float,
    noise_shape: Sequence[int | None] | None = None,
    generator: torch.Generator | None = None,
) -> torch.Tensor:
    """Zeroes entries with probability `rate` and scales the rest by `1 / (1 - rate)`.

    Args:
        x: the input.
        rate: the drop probability in [0, 1]; 1 returns zeros.
        noise_shape: the shape of the keep mask, broadcast over `x` (None entries take `x`'s size).
        generator: a seeded generator for reproducible masks (None: torch's global generator).
    """
    if rate <= 0.0:
        return x
    if rate >= 1.0:
        return torch.zeros_like(x)
    if noise_shape is None and generator is None:
        return F.dropout(x, p=rate, training=True)
    keep = 1.0 - rate
    shape = tuple(x.shape) if noise_shape is None else _concrete_noise_shape(x, noise_shape)
    mask = torch.empty(shape, dtype=x.dtype, device=x.device).bernoulli_(keep, generator=generator)
    return x * mask.div_(keep)


def gaussian_noise(
    x: torch.Tensor, stddev: float, generator: torch.Generator | None = None
) -> torch.Tensor:
    """`x` plus zero-mean normal noise of standard deviation `stddev`."""
    noise = torch.empty_like(x).normal_(0.0, stddev, generator=generator)
    return x + noise


def _is_distributed() -> bool:
    import torch.distributed as dist

    return dist.is_available() and dist.is_initialized() and dist.get_world_size() > 1


def moments(
    x: torch.Tensor, axes: Sequence[int], keepdims: bool = False, synchronized: bool = False
) -> tuple[torch.Tensor, torch.Tensor]:
    """The mean and the biased (population) variance of `x` over `axes`.

    Args:
        x: the input.
        axes: the axes reduced.
        keepdims: keep the reduced axes with size 1.
        synchronized: reduce over all processes of the default `torch.distributed` process group
            too (differentiably, batch sizes may differ); local when none is initialized.
    """
    axes = tuple(axes)
    if not (synchronized and _is_distributed()):
        variance, mean = torch.var_mean(x, dim=axes, correction=0, keepdim=keepdims)
        return mean, variance
    from torch.distributed.nn.functional import all_reduce

    local = torch.stack(
        [x.sum(dim=axes, keepdim=keepdims), x.square().sum(dim=axes, keepdim=keepdims)]
    )
    count = torch.tensor(float(math.prod(x.shape[a] for a in axes)), device=x.device, dtype=x.dtype)
    sums, count = all_reduce(local), all_reduce(count)
    mean = sums[0] / count
    return mean, (sums[1] / count - mean.square()).clamp(min=0.0)


def _channels_to_dim1(x: torch.Tensor, axis: int) -> tuple[torch.Tensor, object]:
    """A view of `x` with the channel axis at dim 1 (as torch's batch norm wants) and its inverse."""
    axis = axis % x.dim()
    if axis == 1:
        return x, lambda y: y
    if axis == x.dim() - 1:  # channels last: every other axis is a sample, (N', C) is free
        shape = x.shape
        return x.reshape(-1, shape[-1]), lambda y: y.reshape(shape)
    return x.movedim(axis, 1), lambda y: y.movedim(1, axis)


def batch_normalization(
    x: torch.Tensor,
    mean: torch.Tensor,
    variance: torch.Tensor,
    axis: int,
    offset: torch.Tensor | None = None,
    scale: torch.Tensor | None = None,
    epsilon: float = 1e-3,
) -> torch.Tensor:
    """`(x - mean) / sqrt(variance + epsilon) * scale + offset`, statistics of shape `(C,)` on `axis`.

    Uses torch's fused inference kernel when the statistics need no gradient.
    """
    if torch.is_grad_enabled() and (mean.requires_grad or variance.requires_grad):
        shape = [1] * x.dim()
        shape[axis] = -1
        inv = torch.rsqrt(variance + epsilon)
        if scale is not None:
            inv = inv * scale
        out = (x - mean.reshape(shape)) * inv.reshape(shape)
        return out + offset.reshape(shape) if offset is not None else out
    xc, back = _channels_to_dim1(x, axis)
    return back(F.batch_norm(xc, mean, variance, scale, offset, False, 0.0, epsilon))


def batch_normalization_training(
    x: torch.Tensor,
    axis: int,
    offset: torch.Tensor | None = None,
    scale: torch.Tensor | None = None,
    epsilon: float = 1e-3,
) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
    """Normalizes with the batch statistics in one fused pass; returns them too.

    Returns:
        `(outputs, mean, variance)`, the statistics detached, the variance biased (as Keras uses
        for its moving variance; torch's own running update would use the unbiased one).
    """
    xc, back = _channels_to_dim1(x, axis)
    out, mean, invstd = torch.native_batch_norm(xc, scale, offset, None, None, True, 0.0, epsilon)
    with torch.no_grad():
        variance = invstd.detach().pow(-2).sub_(epsilon).clamp_(min=0.0)
    return back(out), mean.detach(), variance


def masked_moments(
    x: torch.Tensor, mask: torch.Tensor, axes: Sequence[int], epsilon: float = 1e-7
) -> tuple[torch.Tensor, torch.Tensor]:
    """Mean and biased variance over `axes` counting only entries where `mask` (rank `x.dim()-1`) is set.

    As in Keras, the sums are divided by `count + epsilon`.
    """
    weights = mask.unsqueeze(-1).to(x.dtype).expand_as(x)
    count = weights.sum(dim=tuple(axes), keepdim=True)
    mean = (x * weights).sum(dim=tuple(axes), keepdim=True) / (count + epsilon)
    variance = ((x - mean) * weights).square().sum(dim=tuple(axes), keepdim=True) / (
        count + epsilon
    )
    return mean.flatten(), variance.flatten()


def layer_normalization(
    x: torch.Tensor,
    gamma: torch.Tensor | None,
    beta: torch.Tensor | None,
    axes: Sequence[int],
    epsilon: float = 1e-3,
    rms_scaling: bool = False,
) -> torch.Tensor:
    """Normalizes over `axes` (non-negative, sorted); `gamma`/`beta` have the shape of those axes.

    Trailing axes use torch's fused `layer_norm`. `rms_scaling` divides by `sqrt(var + eps)`
    without centering and adds no `beta` (Keras' deprecated option).
    """
    ndim = x.dim()
    axes = sorted(a % ndim for a in axes)
    normalized_shape = tuple(x.shape[a] for a in axes)
    if not rms_scaling and axes == list(range(ndim - len(axes), ndim)):
        return F.layer_norm(x, normalized_shape, gamma, beta, epsilon)
    bshape = [x.shape[d] if d in axes else 1 for d in range(ndim)]
    variance, mean = torch.var_mean(x, dim=tuple(axes), correction=0, keepdim=True)
    inv = torch.rsqrt(variance + epsilon)
    if rms_scaling:
        out = x * inv
        return out * gamma.reshape(bshape) if gamma is not None else out
    out = (x - mean) * inv
    if gamma is not None:
        out = out * gamma.reshape(bshape)
    return out + beta.reshape(bshape) if beta is not None else out


def embedding(ids: torch.Tensor, embeddings: torch.Tensor) -> torch.Tensor:
    """Rows of `embeddings` at integer `ids` (other dtypes are cast to int64)."""
    if ids.dtype not in (torch.int32, torch.int64):
        ids = ids.long()
    return F.embedding(ids, embeddings)
