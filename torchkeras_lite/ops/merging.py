"""Merging ops: element-wise merges with Keras' mask rules, mask merging and batched dot products.

A mask here has the input's shape without its last (feature) axis, as Keras' masks do.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence

import torch
import torch.nn.functional as F


def or_masks(masks: Sequence[torch.Tensor | None]) -> torch.Tensor | None:
    """The logical OR of the masks, or None when any input is unmasked (Keras' merge rule)."""
    if not masks or any(m is None for m in masks):
        return None
    out = masks[0].bool()
    for m in masks[1:]:
        out = out | m.bool()
    return out


def _expand_mask(mask: torch.Tensor | None, x: torch.Tensor) -> torch.Tensor | None:
    if mask is None:
        return None
    mask = mask.bool()
    return mask.unsqueeze(-1) if mask.dim() < x.dim() else mask


def extremum(
    inputs: Sequence[torch.Tensor],
    masks: Sequence[torch.Tensor | None] | None,
    op: Callable[[torch.Tensor, torch.Tensor], torch.Tensor],
) -> torch.Tensor:
    """`op` (torch.maximum / torch.minimum) over the inputs, where a masked entry of one input
    takes the other operand's value, so masked positions never win (Keras' Maximum/Minimum)."""
    if not masks or all(m is None for m in masks):
        out = inputs[0]
        for x in inputs[1:]:
            out = op(out, x)
        return out
    out, out_mask = inputs[0], _expand_mask(masks[0], inputs[0])
    for x, m in zip(inputs[1:], masks[1:]):
        m = _expand_mask(m, x)
        if m is not None:
            x = torch.where(m, x, out)
        if out_mask is not None:
            out = torch.where(out_mask, out, x)
        out_mask = out_mask | m if (m is not None and out_mask is not None) else None
        out = op(out, x)
    return out


def masked_product(
    inputs: Sequence[torch.Tensor], masks: Sequence[torch.Tensor | None] | None
) -> torch.Tensor:
    """The product of the inputs where masked entries count as 1; when every input is masked,
    positions masked in all inputs are 0 (Keras' Multiply)."""
    if not masks or all(m is None for m in masks):
        out = inputs[0]
        for x in inputs[1:]:
            out = out * x
        return out
    all_masked = all(m is not None for m in masks)
    out, any_mask = None, None
    for x, m in zip(inputs, masks):
        m = _expand_mask(m, x)
        if m is not None:
            x = torch.where(m, x, torch.ones((), dtype=x.dtype, device=x.device))
            if all_masked:
                any_mask = m if any_mask is None else any_mask | m
        out = x if out is None else out * x
    if any_mask is not None:
        out = torch.where(any_mask, out, torch.zeros((), dtype=out.dtype, device=out.device))
    return out


def concatenate_masks(
    inputs: Sequence[torch.Tensor], masks: Sequence[torch.Tensor | None], axis: int
) -> torch.Tensor | None:
    """The mask of `torch.cat(inputs, axis)` (Keras' Concatenate.compute_mask); unmasked inputs
    count as fully valid."""
    if all(m is None for m in masks):
        return None
    full = []
    for x, m in zip(inputs, masks):
        if m is None:
            full.append(torch.ones(x.shape, dtype=torch.bool, device=x.device))
        else:
            full.append(_expand_mask(m, x).expand(x.shape))
    return torch.cat(full, dim=axis).any(dim=-1)


def l2_normalize(x: torch.Tensor, axis: int, epsilon: float = 1e-7) -> torch.Tensor:
    """`x / max(||x||, epsilon)` along `axis` (Keras' `normalize` with order 2)."""
    return F.normalize(x, p=2.0, dim=axis, eps=epsilon)


def batch_dot(x: torch.Tensor, y: torch.Tensor, axes: Sequence[int]) -> torch.Tensor:
    """Keras' `batch_dot`: contracts `x` axis `axes[0]` with `y` axis `axes[1]` per sample.

    The result is `x`'s shape without the contracted axis followed by `y`'s shape without the
    batch and contracted axes, padded to rank 2 as `(batch, 1)`; one `bmm`.
    """
    a0, a1 = axes[0] % x.dim(), axes[1] % y.dim()
    xm = x.movedim(a0, -1)
    ym = y.movedim(a1, 1)
    x_mid, y_rest = xm.shape[1:-1], ym.shape[2:]
    batch, depth = x.shape[0], x.shape[a0]
    out = torch.bmm(
        xm.reshape(batch, math.prod(x_mid), depth), ym.reshape(batch, depth, math.prod(y_rest))
    )
    out = out.reshape(batch, *x_mid, *y_rest)
    return out.unsqueeze(-1) if out.dim() == 1 else out
