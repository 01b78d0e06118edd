"""Pooling ops with Keras' "same" semantics, on torch's own pooling kernels.

Keras' "same" pads `total = (ceil(n / s) - 1) * s + k - n` with the odd pixel at the end. Torch's
pooling takes a symmetric `padding`; the extra end pixel is `ceil_mode=True` (a last window that
runs past the end) for strides > 1, and one more start pixel whose window is sliced off for
stride 1, so no padded copy of the input is made. Max pooling treats the padding as
-inf and average pooling leaves it out of the count (`count_include_pad=False`), as Keras does.
Channels-last inputs are handed to torch as channels-first *views* (torch's `channels_last`
memory format, which its pooling kernels run natively); channels-last 1D inputs are lifted to 2D
for the same reason (2.3x faster inference than `max_pool1d` on the strided view).

Example:
    >>> plan = pool_plan(2, (3, 3), (2, 2), "same", "channels_last", (8, 8))
    >>> max_pool_apply(torch.ones(1, 8, 8, 2), plan).shape
    torch.Size([1, 4, 4, 2])
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import NamedTuple

import torch
import torch.nn.functional as F

from torchkeras_lite.ops.convolution import same_padding

_MAX = {1: F.max_pool1d, 2: F.max_pool2d, 3: F.max_pool3d}
_AVG = {1: F.avg_pool1d, 2: F.avg_pool2d, 3: F.avg_pool3d}


class PoolPlan(NamedTuple):
    """Torch arguments of one pooling configuration, resolved once (see `pool_plan`)."""

    torch_rank: int
    kernel: tuple[int, ...]
    stride: tuple[int, ...]
    padding: tuple[int, ...]
    ceil_mode: bool
    crop: tuple[slice, ...] | None  # drops the extra first window of stride-1 odd padding
    explicit: tuple[int, ...] | None  # F.pad spec when torch's padding cannot express Keras'
    lift: int | None  # a channels-last 1D input is lifted to 2D by unsqueezing this axis
    to_cf: tuple[int, ...] | None
    to_cl: tuple[int, ...] | None


def pool_plan(
    rank: int,
    pool_size: Sequence[int],
    strides: Sequence[int],
    padding: str,
    data_format: str = "channels_last",
    spatial_shape: Sequence[int | None] | None = None,
) -> PoolPlan:
    """Resolves Keras pooling arguments into torch's (`spatial_shape` matters for "same" only).

    Example:
        >>> pool_plan(1, (3,), (2,), "same", "channels_first", (6,)).ceil_mode
        True
    """
    sizes = spatial_shape or (None,) * rank
    pairs = [(0, 0)] * rank
    if padding == "same":
        pairs = [same_padding(n or 0, k, s) for n, k, s in zip(sizes, pool_size, strides)]
    channels_last = data_format == "channels_last"
    lift = 1 if rank == 1 and channels_last else None
    torch_rank = 2 if lift else rank
    one, zero = ((1,), (0,)) if lift else ((), ())
    # An odd total pads one more at the end: with strides > 1 that is torch's `ceil_mode`; with
    # stride 1 pad the larger side on both ends and drop the extra first window.
    odd_unit = [b > a and s == 1 for (a, b), s in zip(pairs, strides)]
    crop = explicit = None
    too_small = [n is not None and n + 2 * a < k for n, k, (a, _) in zip(sizes, pool_size, pairs)]
    if rank == 3:  # torch's 3D average pooling also wants the unpadded input >= the window
        too_small += [n is not None and n < k for n, k in zip(sizes, pool_size)]
    if padding == "same" and any(too_small):
        # A window larger than the input (plus its start padding): torch refuses it, so pad
        # explicitly (a rare configuration; the common ones never copy the input).
        flat = []
        for a, b in reversed(pairs):
            flat += [a, b]
        explicit, pairs, odd_unit = tuple(flat), [(0, 0)] * rank, [False] * rank
    if any(odd_unit):
        crop = (slice(None),) * (3 if lift else 2) + tuple(
            slice(1, None) if o else slice(None) for o in odd_unit
        )
    return PoolPlan(
        torch_rank,
        one + tuple(pool_size),
        one + tuple(strides),
        zero + tuple(b if o else a for (a, b), o in zip(pairs, odd_unit)),
        any(b > a for a, b in pairs),
        crop,
        explicit + zero * 2 if explicit else None,
        lift,
        (0, torch_rank + 1, *range(1, torch_rank + 1)) if channels_last else None,
        (0, *range(2, torch_rank + 2), 1) if channels_last else None,
    )


def _to_torch(x: torch.Tensor, plan: PoolPlan) -> torch.Tensor:
    if plan.lift is not None:
        x = x.unsqueeze(plan.lift)
    return x.permute(plan.to_cf) if plan.to_cf is not None else x


def _from_torch(y: torch.Tensor, plan: PoolPlan) -> torch.Tensor:
    if plan.crop is not None:
        y = y[plan.crop]
    if plan.to_cl is not None:
        y = y.permute(plan.to_cl)
    return y.squeeze(plan.lift) if plan.lift is not None else y


def max_pool_apply(x: torch.Tensor, plan: PoolPlan) -> torch.Tensor:
    """Max pooling of `x` (in the plan's data format); padding counts as -inf."""
    fn = _MAX[plan.torch_rank]
    x = _to_torch(x, plan)
    if plan.explicit is not None:
        x = F.pad(x, plan.explicit, value=float("-inf"))
    y = fn(x, plan.kernel, plan.stride, plan.padding, 1, plan.ceil_mode)
    return _from_torch(y, plan)


def average_pool_apply(x: torch.Tensor, plan: PoolPlan) -> torch.Tensor:
    """Average pooling of `x` (in the plan's data format); padding is left out of the count."""
    fn = _AVG[plan.torch_rank]
    x = _to_torch(x, plan)
    if plan.explicit is None:
        y = fn(x, plan.kernel, plan.stride, plan.padding, plan.ceil_mode, False)
        return _from_torch(y, plan)
    ones = x.new_ones((1, 1, *x.shape[2:]))
    total = fn(F.pad(x, plan.explicit), plan.kernel, plan.stride)
    share = fn(F.pad(ones, plan.explicit), plan.kernel, plan.stride)  # real entries / window
    return _from_torch(total / share, plan)


def spatial_axes(rank: int, data_format: str) -> tuple[int, ...]:
    """The spatial axes of a `rank`-D input with batch and channel axes.

    Example:
        >>> spatial_axes(2, "channels_last")
        (1, 2)
    """
    return (
        tuple(range(1, rank + 1)) if data_format == "channels_last" else tuple(range(2, rank + 2))
    )


def global_max_pool(x: torch.Tensor, axes: tuple[int, ...], keepdims: bool = False) -> torch.Tensor:
    """The maximum over `axes` (consecutive spatial axes).

    Without autograd, `amax` (no arg-max to track). With it, the spatial axes are flattened (a
    view) and reduced with `max(dim)`, whose backward scatters to the arg-max: about twice as
    fast as `amax`'s, which spreads the gradient over exact ties (as Keras does).
    """
    if not (x.requires_grad and torch.is_grad_enabled()):
        return torch.amax(x, dim=axes, keepdim=keepdims)
    start = axes[0]
    flat = x.flatten(start, axes[-1]) if len(axes) > 1 else x
    y = flat.max(dim=start).values
    if keepdims:
        for axis in axes:
            y = y.unsqueeze(axis)
    return y


def global_average_pool(
    x: torch.Tensor,
    axes: tuple[int, ...],
    keepdims: bool = False,
    mask: torch.Tensor | None = None,
    mask_axis: int | None = None,
) -> torch.Tensor:
    """The mean over `axes`; with a `(batch, steps)` mask, the mean over the unmasked steps only.

    Args:
        x: the input.
        axes: the (consecutive) axes to average over; flattened first (a view), which makes the
            backward faster than a multi-axis mean's.
        keepdims: keep the averaged axes with size 1.
        mask: a `(batch, steps)` boolean mask (1D inputs), or None.
        mask_axis: where to insert the channel axis into the mask to broadcast it against `x`.
    """
    if mask is None:
        if len(axes) == 1 or keepdims:
            return torch.mean(x, dim=axes, keepdim=keepdims)
        return torch.mean(x.flatten(axes[0], axes[-1]), dim=axes[0])
    keep = mask.unsqueeze(mask_axis)
    keep = keep if keep.dtype == torch.bool else keep.bool()
    total = torch.sum(torch.where(keep, x, 0.0), dim=axes, keepdim=keepdims)
    return total / torch.sum(keep, dim=axes, keepdim=keepdims, dtype=x.dtype)
