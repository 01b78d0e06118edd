"""Reductions, sample weighting and masking of per-sample losses, as Keras 3 does them.

These are stateless helpers used by `Loss.__call__`; they never read a tensor back to the host.
"""

from __future__ import annotations

import torch

REDUCTIONS = ("sum_over_batch_size", "sum", "mean", "mean_with_sample_weight", "none", None)


def standardize_reduction(reduction: str | None) -> str | None:
    """Checks that `reduction` is one Keras knows; returns it unchanged."""
    if reduction not in REDUCTIONS:
        raise ValueError(
            "Invalid value for argument `reduction`. "
            f"Expected one of {set(REDUCTIONS)}. Received: reduction={reduction!r}"
        )
    return reduction


def squeeze_or_expand_to_same_rank(
    x1: torch.Tensor, x2: torch.Tensor, expand_rank_1: bool = True
) -> tuple[torch.Tensor, torch.Tensor]:
    """Removes (or adds) a trailing size-1 axis when the ranks of `x1` and `x2` differ by one.

    Args:
        x1: first tensor.
        x2: second tensor.
        expand_rank_1: when the lower-rank tensor is 1-D, add an axis to it instead of squeezing
            the other one.

    Example:
        >>> a, b = squeeze_or_expand_to_same_rank(torch.ones(4, 1), torch.ones(4))
        >>> a.shape, b.shape
        (torch.Size([4, 1]), torch.Size([4, 1]))
    """
    r1, r2 = x1.dim(), x2.dim()
    if r1 == r2 + 1 and x1.shape[-1] == 1:
        if r2 == 1 and expand_rank_1:
            x2 = x2.unsqueeze(-1)
        else:
            x1 = x1.squeeze(-1)
    elif r2 == r1 + 1 and x2.shape[-1] == 1:
        if r1 == 1 and expand_rank_1:
            x1 = x1.unsqueeze(-1)
        else:
            x2 = x2.squeeze(-1)
    return x1, x2


def _align_weight(values: torch.Tensor, weight: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
    """Keras' rank alignment, then a lower-rank weight that matches the leading axes of `values`
    gets trailing size-1 axes, so that a `(batch,)` weight scales every entry of its sample."""
    values, weight = squeeze_or_expand_to_same_rank(values, weight)
    extra = values.dim() - weight.dim()
    if (
        extra > 0
        and weight.dim() > 0
        and tuple(weight.shape) == tuple(values.shape[: weight.dim()])
    ):
        weight = weight.reshape(tuple(weight.shape) + (1,) * extra)
    return values, weight


def _divide_no_nan(num: torch.Tensor, den: torch.Tensor) -> torch.Tensor:
    """`num / den`, with 0 where `den` is 0 (and no NaN gradient there)."""
    zero = den == 0
    return torch.where(
        zero, torch.zeros_like(num), num / torch.where(zero, torch.ones_like(den), den)
    )


def apply_mask(
    sample_weight: torch.Tensor | None,
    mask: torch.Tensor | None,
    dtype: torch.dtype,
    reduction: str | None,
) -> torch.Tensor | None:
    """Folds a boolean mask into the sample weights.

    For `"sum_over_batch_size"` and `"mean"`, valid entries weigh `mask.numel() / mask.sum()`, so
    that dividing by the number of entries later gives the mean over the valid ones only. For the
    other reductions the mask is a 0/1 weight.
    """
    if mask is None:
        return sample_weight
    if reduction in ("mean", "sum_over_batch_size"):
        # valid entries weigh total / valid (the clamp only matters when none is valid)
        valid = mask.to(dtype).sum().clamp(min=1.0)
        float_mask = mask.to(dtype) * (mask.numel() / valid)
    else:
        float_mask = mask.to(dtype)
    if sample_weight is None:
        return float_mask
    float_mask, sample_weight = _align_weight(float_mask, sample_weight.to(dtype))
    return sample_weight * float_mask


def reduce_values(
    values: torch.Tensor,
    sample_weight: torch.Tensor | None = None,
    reduction: str | None = "sum_over_batch_size",
) -> torch.Tensor:
    """Sums `values`, then divides as `reduction` asks (scalars and empty tensors pass through)."""
    if reduction is None or reduction == "none" or values.dim() == 0 or tuple(values.shape) == (0,):
        return values
    loss = values.sum()
    if reduction == "sum":
        return loss
    if reduction == "mean_with_sample_weight" and sample_weight is not None:
        return _divide_no_nan(loss, sample_weight.sum().to(loss.dtype))
    count = values.numel()
    return loss / count if count else torch.zeros_like(loss)


def reduce_weighted_values(
    values: torch.Tensor,
    sample_weight: torch.Tensor | None = None,
    mask: torch.Tensor | None = None,
    reduction: str | None = "sum_over_batch_size",
    dtype: torch.dtype | None = None,
) -> torch.Tensor:
    """Weights per-sample losses by `sample_weight` and `mask`, then reduces them.

    Args:
        values: per-sample (or per-entry) losses.
        sample_weight: weights broadcastable to `values` (a `(batch,)` weight scales whole samples).
        mask: boolean tensor shaped like `values`; False entries do not count.
        reduction: one of `"sum_over_batch_size"`, `"sum"`, `"mean"`, `"mean_with_sample_weight"`,
            `"none"` or None.
        dtype: dtype of the computation (defaults to that of `values`).

    Example:
        >>> reduce_weighted_values(torch.tensor([1.0, 3.0]), torch.tensor([1.0, 0.0]))
        tensor(0.5000)
    """
    reduction = standardize_reduction(reduction)
    if dtype is not None:
        values = values.to(dtype)
    dtype = values.dtype
    if sample_weight is not None:
        sample_weight = torch.as_tensor(sample_weight, dtype=dtype, device=values.device)
    if mask is not None:
        mask = torch.as_tensor(mask, device=values.device)
    sample_weight = apply_mask(sample_weight, mask, dtype, reduction)
    if sample_weight is not None:
        values, sample_weight = _align_weight(values, sample_weight.to(dtype))
        values = values * sample_weight
    return reduce_values(values, sample_weight, reduction)
