"""`keras.ops.nn` losses: cross-entropies and CTC (per-sample values, no reduction).

Probabilities are clipped to `[epsilon, 1 - epsilon]` (and, for the categorical losses, renormalised
to sum to 1) before the log, as in Keras.

Example:
    >>> keras.ops.binary_crossentropy(np.array([1.0, 0.0]), np.array([0.9, 0.2]))
    tensor([0.1054, 0.2231])
"""

from __future__ import annotations

from typing import Any

import torch
import torch.nn.functional as F

from torchkeras_lite.backend import config
from torchkeras_lite.ops.dtype_rules import result_type
from torchkeras_lite.ops.tensor_utils import binary, convert, to_float, torch_dtype


def _clip(p: torch.Tensor) -> torch.Tensor:
    eps = config.epsilon()
    return torch.clamp(p, eps, 1.0 - eps)


def _pair(target: Any, output: Any) -> tuple[torch.Tensor, torch.Tensor]:
    t, o = binary(target, output)
    o = to_float(o)
    if t.shape != o.shape:
        raise ValueError(
            "`target` and `output` must have the same shape. "
            f"Received: target.shape={tuple(t.shape)}, output.shape={tuple(o.shape)}"
        )
    return t.to(o.dtype), o


def binary_crossentropy(target: Any, output: Any, from_logits: bool = False) -> torch.Tensor:
    """Element-wise binary cross-entropy between labels and probabilities (or logits)."""
    t, o = _pair(target, output)
    if from_logits:
        return F.binary_cross_entropy_with_logits(o, t, reduction="none")
    return F.binary_cross_entropy(_clip(o), t, reduction="none")


def categorical_crossentropy(
    target: Any, output: Any, from_logits: bool = False, axis: int = -1
) -> torch.Tensor:
    """Cross-entropy between one-hot (or soft) labels and class probabilities along `axis`."""
    t, o = _pair(target, output)
    if t.ndim < 1:
        raise ValueError(
            f"`target` and `output` must be at least rank 1. Received: shape={tuple(t.shape)}"
        )
    if from_logits:
        log_prob = F.log_softmax(o, dim=axis)
    else:
        log_prob = torch.log(_clip(o / o.sum(dim=axis, keepdim=True)))
    return -(t * log_prob).sum(dim=axis)


def sparse_categorical_crossentropy(
    target: Any, output: Any, from_logits: bool = False, axis: int = -1
) -> torch.Tensor:
    """Cross-entropy between integer labels and class probabilities (or logits) along `axis`."""
    o = to_float(convert(output))
    t = convert(target, device=o.device).long()
    if t.ndim == o.ndim and t.shape[axis] == 1:
        t = t.squeeze(axis)
    expected = list(o.shape)
    del expected[axis]
    if list(t.shape) != expected:
        raise ValueError(
            "`target` must have the shape of `output` without the class axis. "
            f"Received: target.shape={tuple(t.shape)}, output.shape={tuple(o.shape)}"
        )
    o = torch.movedim(o, axis, -1).reshape(-1, o.shape[axis])
    log_prob = F.log_softmax(o, dim=-1) if from_logits else torch.log(_clip(o / o.sum(-1, True)))
    return F.nll_loss(log_prob, t.reshape(-1), reduction="none").reshape(t.shape)


def ctc_loss(
    target: Any, output: Any, target_length: Any, output_length: Any, mask_index: int = 0
) -> torch.Tensor:
    """The CTC loss per sample.

    Args:
        target: `(batch, max_label_length)` integer labels.
        output: `(batch, max_time, num_classes)` logits.
        target_length / output_length: `(batch,)` lengths.
        mask_index: the blank class.
    """
    o = convert(output)
    o = o.to(torch_dtype(result_type(o.dtype, "float32")))
    t, tl, ol = (convert(v, device=o.device).long() for v in (target, target_length, output_length))
    log_probs = F.log_softmax(o, dim=-1).transpose(0, 1)
    return F.ctc_loss(log_probs, t, ol, tl, blank=mask_index, reduction="none")


def ctc_decode(
    inputs: Any,
    sequence_lengths: Any,
    strategy: str = "greedy",
    beam_width: int = 100,
    top_paths: int = 1,
    merge_repeated: bool = True,
    mask_index: int = 0,
) -> tuple[torch.Tensor, torch.Tensor]:
    """Greedy CTC decoding of `(batch, time, classes)` scores.

    Returns `(decoded, scores)`: `decoded` of shape `(1, batch, time)` with the labels first and -1
    after, and `scores` of shape `(batch, 1)`, the negated sum of the best scores per step.
    Only `strategy="greedy"` is available.
    """
    if strategy != "greedy":
        raise ValueError(
            f"Only the 'greedy' CTC decoding strategy is available. Received: strategy={strategy!r}"
        )
    x = convert(inputs)
    x = x.to(torch_dtype(result_type(x.dtype, "float32")))
    lengths = convert(sequence_lengths, device=x.device).long()
    batch, time = x.shape[:2]
    scores, labels = x.max(dim=-1)
    beyond = torch.arange(time, device=x.device)[None, :] >= lengths[:, None]
    labels = torch.where(beyond, mask_index, labels)
    scores = torch.where(beyond, torch.zeros_like(scores), scores)
    if merge_repeated:
        repeat = F.pad(labels[:, 1:] == labels[:, :-1], (1, 0))
        labels = torch.where(repeat, mask_index, labels)
    blank = labels == mask_index
    order = torch.where(blank, time, torch.arange(time, device=x.device).expand(batch, time))
    order = torch.argsort(order, dim=-1, stable=True)
    decoded = torch.take_along_dim(torch.where(blank, -1, labels), order, dim=-1)
    return decoded.to(torch.int32)[None], -scores.sum(dim=1, keepdim=True)
