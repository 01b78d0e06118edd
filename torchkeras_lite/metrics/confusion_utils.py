"""Vectorised confusion-matrix counts at many thresholds, with no host sync and no loop over thresholds.

Every prediction falls in one "slot": the number of thresholds strictly below it. A prediction is
positive at threshold `j` exactly when its slot is above `j`, so one `index_add_` of the (weighted)
labels into `num_thresholds + 1` slots followed by a reversed cumulative sum gives the true and false
positives at all thresholds at once; negatives follow from the totals.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import torch

from torchkeras_lite.metrics.metrics_utils import squeeze_or_expand_to_same_rank

NEG_INF = -1e10
CONDITIONS = ("tp", "fp", "tn", "fn")


def parse_thresholds(thresholds, default: float) -> list[float]:
    """The thresholds as a list of floats, each checked to lie in [0, 1]; `[default]` when None."""
    if thresholds is None:
        return [float(default)]
    values = list(thresholds) if isinstance(thresholds, (list, tuple, np.ndarray)) else [thresholds]
    invalid = [t for t in values if t is None or not 0 <= t <= 1]
    if invalid:
        raise ValueError(
            f"Threshold values must be in [0, 1]. Expected floats between 0 and 1. "
            f"Received: thresholds={thresholds!r}"
        )
    return [float(t) for t in values]


def evenly_spaced(thresholds: Sequence[float], epsilon: float = 1e-7) -> bool:
    """Whether the thresholds are `i / (n - 1)` for `i = 0..n-1` (n >= 3), up to `epsilon`."""
    n = len(thresholds)
    if n < 3:
        return False
    even = np.arange(n, dtype=np.float32) / (n - 1)
    return bool(np.allclose(np.asarray(thresholds, dtype=np.float64), even, atol=epsilon))


def filter_top_k(x: torch.Tensor, k: int) -> torch.Tensor:
    """Keeps the `k` largest scores of each row and sets the others to `NEG_INF`."""
    idx = torch.topk(x, min(k, x.shape[-1]), dim=-1).indices
    keep = torch.zeros_like(x, dtype=torch.bool).scatter_(-1, idx, True)
    return torch.where(keep, x, torch.full_like(x, NEG_INF))


class ThresholdCounter(torch.nn.Module):
    """Thresholds prepared for `update_confusion_matrix`: sorted, or slotted arithmetically.

    A module so that its tensors (non-persistent buffers) move with the metric that owns it.

    Args:
        thresholds: the thresholds, in the order of the accumulators.
        evenly: they are `i / (n - 1)` (possibly with the ends moved out by epsilon): predictions are
            then clipped to [0, 1] and slotted arithmetically, as Keras' fast path does.
    """

    def __init__(self, thresholds: Sequence[float], evenly: bool = False):
        super().__init__()
        self.num = len(thresholds)
        self.evenly = evenly
        self.with_epsilon = evenly and (thresholds[0] < 0.0 or thresholds[-1] > 1.0)
        order = sorted(range(self.num), key=lambda i: thresholds[i])
        self.register_buffer(
            "sorted_thresholds",
            torch.tensor([thresholds[i] for i in order], dtype=torch.float32),
            persistent=False,
        )
        self.permuted = order != list(range(self.num))
        self.register_buffer(
            "unsort", torch.tensor(np.argsort(order), dtype=torch.int64), persistent=False
        )

    def slots(self, y_pred: torch.Tensor) -> torch.Tensor:
        """For each prediction, how many thresholds lie strictly below it (int64, 0..num)."""
        if self.evenly:
            p = torch.clamp(y_pred, 0.0, 1.0)
            slot = torch.ceil(p * (self.num - 1))
            if self.with_epsilon:
                slot = torch.clamp(slot, min=1.0)
            return torch.nan_to_num(slot, nan=0.0).to(torch.int64)
        thresholds = self.sorted_thresholds.to(y_pred.dtype)
        slot = torch.searchsorted(thresholds, y_pred.contiguous(), right=False)
        return torch.where(torch.isnan(y_pred), 0, slot)


def update_confusion_matrix(
    accumulators: dict[str, torch.Tensor],
    y_true,
    y_pred,
    counter: ThresholdCounter,
    *,
    top_k: int | None = None,
    class_id: int | None = None,
    sample_weight=None,
    multi_label: bool = False,
    label_weights: torch.Tensor | None = None,
) -> None:
    """Adds this batch's weighted counts, per threshold, to the accumulators in place.

    Args:
        accumulators: `{"tp"|"fp"|"tn"|"fn": tensor}`, each of shape `(num_thresholds,)`, or
            `(num_thresholds, num_labels)` with `multi_label`.
        y_true: labels (cast to bool), any shape matching `y_pred`.
        y_pred: scores, compared with the thresholds.
        counter: the thresholds.
        top_k: keep only the `k` highest scores of each row as candidates for a positive.
        class_id: only count this column of `(batch, num_classes)` inputs.
        sample_weight: weights broadcastable to the labels.
        multi_label: `(batch, num_labels)` inputs keep one count per label.
        label_weights: per-label weights (only without `multi_label`).
    """
    dtype = next(iter(accumulators.values())).dtype
    device = next(iter(accumulators.values())).device
    y_pred = torch.as_tensor(y_pred, device=device).to(dtype)
    y_true = torch.as_tensor(y_true, device=device).to(dtype)
    y_pred, y_true = squeeze_or_expand_to_same_rank(y_pred, y_true)
    if sample_weight is not None:
        sample_weight = torch.as_tensor(sample_weight, device=device).to(dtype).unsqueeze(-1)
        _, sample_weight = squeeze_or_expand_to_same_rank(
            y_true, sample_weight, expand_rank_1=False
        )
    if top_k is not None:
        y_pred = filter_top_k(y_pred, top_k)
    if class_id is not None:
        if y_pred.dim() == 1:
            raise ValueError(
                "When class_id is provided, y_pred must be a 2D array with shape (num_samples, "
                f"num_classes). Received: y_pred.shape={tuple(y_pred.shape)}"
            )
        y_true = y_true[..., class_id : class_id + 1]
        y_pred = y_pred[..., class_id : class_id + 1]

    weights = torch.ones((), dtype=dtype, device=device)
    if sample_weight is not None:
        weights = weights * torch.broadcast_to(sample_weight, y_pred.shape)
    if label_weights is not None and not multi_label:
        weights = weights * torch.broadcast_to(label_weights.to(dtype).unsqueeze(0), y_pred.shape)
    weights = torch.broadcast_to(weights, y_pred.shape)

    is_true = (y_true != 0).to(dtype)
    true_w = is_true * weights
    false_w = (1.0 - is_true) * weights
    slot = counter.slots(y_pred)
    num = counter.num
    if multi_label:
        labels = y_pred.shape[-1]
        flat = (slot.reshape(-1, labels) * labels + torch.arange(labels, device=device)).reshape(-1)
        true_w, false_w = true_w.reshape(-1, labels), false_w.reshape(-1, labels)
        shape = (num + 1, labels)
    else:
        flat = slot.reshape(-1)
        true_w, false_w = true_w.reshape(-1), false_w.reshape(-1)
        shape = (num + 1,)

    def positives(w: torch.Tensor) -> torch.Tensor:
        per_slot = torch.zeros(shape, dtype=dtype, device=device).reshape(-1)
        per_slot.index_add_(0, flat, w.reshape(-1))
        per_slot = per_slot.reshape(shape)
        above = torch.flip(torch.cumsum(torch.flip(per_slot, (0,)), dim=0), (0,))[1:]
        return above[counter.unsort] if counter.permuted else above

    need_true = "tp" in accumulators or "fn" in accumulators
    need_false = "fp" in accumulators or "tn" in accumulators
    tp = positives(true_w) if need_true else None
    fp = positives(false_w) if need_false else None
    if "tp" in accumulators:
        accumulators["tp"].add_(tp)
    if "fp" in accumulators:
        accumulators["fp"].add_(fp)
    if "fn" in accumulators:
        accumulators["fn"].add_(true_w.sum(dim=0) - tp)
    if "tn" in accumulators:
        accumulators["tn"].add_(false_w.sum(dim=0) - fp)
