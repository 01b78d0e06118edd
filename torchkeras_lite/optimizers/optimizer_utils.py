"""Stateless multi-tensor helpers shared by the optimizers (`torch._foreach_*`, no host syncs).

Every function takes lists of tensors that share one device and dtype (see `bucket_by_device_dtype`)
and issues one foreach call per operation for the whole list.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import torch

Scalar = float | torch.Tensor


def bucket_by_device_dtype(tensors: Sequence[torch.Tensor]) -> dict[tuple, list[int]]:
    """Indices of `tensors` grouped by `(device, dtype)`, in first-seen order."""
    buckets: dict[tuple, list[int]] = {}
    for i, t in enumerate(tensors):
        buckets.setdefault((t.device, t.dtype), []).append(i)
    return buckets


def scalar_on(value: Scalar, device: torch.device) -> Scalar:
    """A Python number unchanged, a tensor moved to `device` (a no-op when it is already there)."""
    if isinstance(value, torch.Tensor):
        return value.to(device, non_blocking=True)
    return value


def minimum(x: Scalar, y: float) -> Scalar:
    """`min(x, y)` for a Python number or a 0-d tensor `x`."""
    if isinstance(x, torch.Tensor):
        return torch.clamp(x, max=y)
    return min(x, y)


def add_scaled_(targets: list[torch.Tensor], updates: list[torch.Tensor], scale: Scalar) -> None:
    """`targets += scale * updates`, with `scale` a Python number or a 0-d tensor."""
    if isinstance(scale, torch.Tensor):
        torch._foreach_add_(targets, torch._foreach_mul(updates, scale))
    else:
        torch._foreach_add_(targets, updates, alpha=scale)


def add_scaled_div_(
    targets: list[torch.Tensor], numer: list[torch.Tensor], denom: list[torch.Tensor], scale: Scalar
) -> None:
    """`targets += scale * numer / denom`, with `scale` a Python number or a 0-d tensor."""
    if isinstance(scale, torch.Tensor):
        torch._foreach_add_(targets, torch._foreach_mul(torch._foreach_div(numer, denom), scale))
    else:
        torch._foreach_addcdiv_(targets, numer, denom, value=scale)


def ema_(averages: list[torch.Tensor], values: list[torch.Tensor], decay: float) -> None:
    """`averages = decay * averages + (1 - decay) * values`."""
    torch._foreach_mul_(averages, decay)
    torch._foreach_add_(averages, values, alpha=1.0 - decay)


def rms(tensors: list[torch.Tensor]) -> list[torch.Tensor]:
    """The root mean square of each tensor, as 0-d tensors."""
    norms = torch._foreach_norm(tensors)
    return torch._foreach_div(norms, [math.sqrt(max(t.numel(), 1)) for t in tensors])


def clip_by_norm(grads: list[torch.Tensor], clipnorm: float) -> list[torch.Tensor]:
    """Each gradient rescaled so that its own L2 norm is at most `clipnorm`: `g * c / max(|g|, c)`."""
    norms = torch._foreach_norm(grads)
    denominators = torch._foreach_maximum(norms, clipnorm)
    factors = torch._foreach_reciprocal(denominators)
    torch._foreach_mul_(factors, clipnorm)
    return torch._foreach_mul(grads, factors)


def clip_by_value(grads: list[torch.Tensor], clipvalue: float) -> list[torch.Tensor]:
    """Each gradient clipped elementwise to `[-clipvalue, clipvalue]`."""
    clipped = torch._foreach_clamp_min(grads, -clipvalue)
    torch._foreach_clamp_max_(clipped, clipvalue)
    return clipped


def global_norm(buckets: Sequence[list[torch.Tensor]]) -> torch.Tensor | None:
    """The L2 norm of all tensors of all buckets together (on the first bucket's device)."""
    squares = []
    for tensors in buckets:
        if tensors:
            norms = torch._foreach_norm(tensors)
            squares.append(torch.stack(norms).float().square().sum())
    if not squares:
        return None
    device = squares[0].device
    return torch.stack([s.to(device) for s in squares]).sum().sqrt()


def global_clip_factor(total_norm: torch.Tensor, clipnorm: float) -> torch.Tensor:
    """`clipnorm * min(1 / norm, 1 / clipnorm)`, NaN when the norm is not finite (as Keras)."""
    scale = torch.clamp(torch.reciprocal(total_norm), max=1.0 / clipnorm) * clipnorm
    return scale + (total_norm - total_norm)
