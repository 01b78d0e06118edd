"""Activations that normalize along an axis: softmax, log-softmax, sparsemax and GLU."""

from __future__ import annotations

from collections.abc import Sequence

import torch
import torch.nn.functional as F

from torchkeras_lite.activations.base_activation import REGISTRY, to_tensor

AxisArg = int | Sequence[int] | None


def _over_axes(fn, x: torch.Tensor, axis: AxisArg) -> torch.Tensor:
    """Applies a last-axis normalization `fn` jointly over `axis` (an int, a tuple, or None: all)."""
    if axis is None:
        return fn(x.reshape(-1)).reshape(x.shape)
    if isinstance(axis, int):
        if x.dim() == 0 or axis % x.dim() == x.dim() - 1:
            return fn(x)
        return fn(x.movedim(axis, -1)).movedim(-1, axis)
    axes = sorted(a % x.dim() for a in axis)
    kept = [d for d in range(x.dim()) if d not in axes]
    moved = x.permute(*kept, *axes)
    out = fn(moved.reshape(*moved.shape[: len(kept)], -1)).reshape(moved.shape)
    inverse = [0] * x.dim()
    for position, dim in enumerate([*kept, *axes]):
        inverse[dim] = position
    return out.permute(*inverse)


@REGISTRY.register("softmax")
def softmax(x: torch.Tensor, axis: AxisArg = -1) -> torch.Tensor:
    """`exp(x) / sum(exp(x))` along `axis`; the outputs along it sum to 1.

    Args:
        x: input tensor.
        axis: the axis, a tuple of axes normalized jointly, or None for all elements.

    Example:
        >>> softmax(torch.tensor([0.0, 0.0]))
        tensor([0.5000, 0.5000])
    """
    x = to_tensor(x)
    if isinstance(axis, int):
        return F.softmax(x, dim=axis)
    return _over_axes(lambda t: F.softmax(t, dim=-1), x, axis)


@REGISTRY.register("log_softmax")
def log_softmax(x: torch.Tensor, axis: AxisArg = -1) -> torch.Tensor:
    """`x - log(sum(exp(x)))` along `axis`, computed stably.

    Args:
        x: input tensor.
        axis: the axis, a tuple of axes normalized jointly, or None for all elements.

    Example:
        >>> log_softmax(torch.tensor([0.0, 0.0]))
        tensor([-0.6931, -0.6931])
    """
    x = to_tensor(x)
    if isinstance(axis, int):
        return F.log_softmax(x, dim=axis)
    return _over_axes(lambda t: F.log_softmax(t, dim=-1), x, axis)


def _sparsemax_last(z: torch.Tensor) -> torch.Tensor:
    """Sparsemax along the last axis: the Euclidean projection onto the probability simplex."""
    z_sorted, _ = torch.sort(z, dim=-1, descending=True)
    k = torch.arange(1, z.shape[-1] + 1, dtype=z.dtype, device=z.device)
    cumulative = torch.cumsum(z_sorted, dim=-1)
    support_size = torch.sum((1 + k * z_sorted) > cumulative, dim=-1, keepdim=True)
    tau = (torch.gather(cumulative, -1, support_size - 1) - 1) / support_size.to(z.dtype)
    return torch.clamp(z - tau, min=0)


@REGISTRY.register("sparsemax")
def sparsemax(x: torch.Tensor, axis: int = -1) -> torch.Tensor:
    """Like softmax, but projects onto the simplex so that small entries become exactly 0.

    Args:
        x: input tensor.
        axis: the axis the outputs sum to 1 along.

    Example:
        >>> sparsemax(torch.tensor([2.0, 0.0, -1.0]))
        tensor([1., 0., 0.])
    """
    return _over_axes(_sparsemax_last, to_tensor(x), axis)


@REGISTRY.register("glu")
def glu(x: torch.Tensor, axis: int = -1) -> torch.Tensor:
    """Gated linear unit: splits `x` in halves `a, b` along `axis` and returns `a * sigmoid(b)`.

    Args:
        x: input tensor; its size along `axis` must be even.
        axis: the axis to split.

    Example:
        >>> glu(torch.tensor([2.0, 0.0]))
        tensor([1.])
    """
    x = to_tensor(x)
    if x.shape[axis] % 2 != 0:
        raise ValueError(
            "glu expects an even size along `axis`, which it splits in two halves. "
            f"Received: x.shape={tuple(x.shape)}, axis={axis}"
        )
    return F.glu(x, dim=axis)
