"""Small tensor helpers shared by the metrics: rank alignment, safe division, masks and naming.

Everything here is pure tensor math with static shapes, so none of it waits for the device.
"""

from __future__ import annotations

import collections
import re

import torch

_NAME_UIDS: collections.defaultdict[str, int] = collections.defaultdict(int)


def to_snake_case(name: str) -> str:
    """`"SparseTopKCategoricalAccuracy"` -> `"sparse_top_k_categorical_accuracy"` (Keras' rule)."""
    name = re.sub(r"\W+", "", name)
    name = re.sub("(.)([A-Z][a-z]+)", r"\1_\2", name)
    return re.sub("([a-z])([A-Z])", r"\1_\2", name).lower()


def uniquify(name: str) -> str:
    """Returns `name` the first time, then `name_1`, `name_2`, ... (as Keras' auto-naming)."""
    count = _NAME_UIDS[name]
    _NAME_UIDS[name] += 1
    return name if count == 0 else f"{name}_{count}"


def divide_no_nan(x: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
    """`x / y`, with 0 wherever `y` is 0."""
    zero = y == 0
    return torch.where(zero, 0.0, x / torch.where(zero, torch.ones_like(y), y))


def squeeze_or_expand_to_same_rank(
    x1: torch.Tensor, x2: torch.Tensor, expand_rank_1: bool = True
) -> tuple[torch.Tensor, torch.Tensor]:
    """Aligns ranks that differ by one through a trailing dimension of size 1.

    The tensor with the extra size-1 axis is squeezed, except that a rank-1 partner is expanded
    instead when `expand_rank_1` is True.
    """
    r1, r2 = x1.dim(), x2.dim()
    if r1 == r2 + 1 and x1.shape[-1] == 1:
        if r2 == 1 and expand_rank_1:
            x2 = x2.unsqueeze(-1)
        else:
            x1 = x1.squeeze(-1)
    if r2 == r1 + 1 and x2.shape[-1] == 1:
        if r1 == 1 and expand_rank_1:
            x1 = x1.unsqueeze(-1)
        else:
            x2 = x2.squeeze(-1)
    return x1, x2


def get_mask(x) -> torch.Tensor | None:
    """The Keras mask a layer attached to `x` (`x._keras_mask`), or None."""
    return getattr(x, "_keras_mask", None)


def apply_mask(
    sample_weight: torch.Tensor | None, mask: torch.Tensor | None, dtype: torch.dtype
) -> torch.Tensor | None:
    """Folds a mask into the sample weights (masked entries get weight 0)."""
    if mask is None:
        return sample_weight
    float_mask = mask.to(dtype)
    if sample_weight is None:
        return float_mask
    sample_weight = sample_weight.to(dtype=dtype, device=float_mask.device)
    float_mask, sample_weight = squeeze_or_expand_to_same_rank(float_mask, sample_weight)
    return sample_weight * float_mask


def in_top_k(targets: torch.Tensor, predictions: torch.Tensor, k: int) -> torch.Tensor:
    """Whether each target's score is among the `k` largest of its row (ties count as in).

    Args:
        targets: integer class ids, shape `(batch,)`.
        predictions: scores, shape `(batch, num_classes)`.
        k: how many top scores to accept (clipped to `num_classes`).
    """
    k = max(1, min(int(k), predictions.shape[-1]))
    kth = torch.topk(predictions, k, dim=-1).values[..., -1:]
    target_scores = torch.take_along_dim(predictions, targets.long().unsqueeze(-1), dim=-1)
    return (target_scores >= kth).squeeze(-1)


def l2_normalize(x: torch.Tensor, axis: int = -1, epsilon: float = 1e-7) -> torch.Tensor:
    """`x / max(||x||, epsilon)` along `axis`, computed as `x * min(rsqrt(sum(x^2)), 1/epsilon)`."""
    inv_norm = torch.rsqrt(torch.sum(x * x, dim=axis, keepdim=True))
    return x * torch.clamp(inv_norm, max=1.0 / epsilon)
