"""Attention ops: masks, masked softmax and dot-product attention on torch's fused kernels.

Stateless functions the attention layers call with their projected tensors. Tensors use torch's
attention layout `(batch, heads, length, head_dim)` unless stated otherwise; masks are boolean
(True = attend) and broadcast against the scores `(batch, heads, q_len, k_len)`.
"""

from __future__ import annotations

from collections.abc import Sequence

import torch
import torch.nn.functional as F

from torchkeras_lite.ops.nn import dropout as _dropout


def large_negative(dtype: torch.dtype) -> float:
    """The value Keras puts on masked logits before a softmax (-3e4 in float16, -1e9 otherwise)."""
    return -3e4 if dtype == torch.float16 else -1e9


def causal_mask(q_len: int, k_len: int, device: torch.device | None = None) -> torch.Tensor:
    """A `(q_len, k_len)` boolean lower-triangular mask: query `i` sees keys `j <= i`.

    Example:
        >>> causal_mask(2, 3)
        tensor([[ True, False, False],
                [ True,  True, False]])
    """
    return torch.ones(q_len, k_len, dtype=torch.bool, device=device).tril_()


def sliding_window_mask(
    q_len: int, k_len: int, window: int, device: torch.device | None = None
) -> torch.Tensor:
    """A `(q_len, k_len)` boolean band: query `i` sees keys `j` with `|i - j| < window`."""
    rows = torch.arange(q_len, device=device).unsqueeze(-1)
    cols = torch.arange(k_len, device=device)
    return (rows - cols).abs_() < window


def masked_softmax(
    x: torch.Tensor, mask: torch.Tensor | None = None, axis: int | Sequence[int] = -1
) -> torch.Tensor:
    """Softmax over `axis` (an int or several axes) where masked positions get exactly 0.

    As in Keras, masked logits are replaced by a large negative number before the softmax and
    masked outputs are zeroed after it (so a fully masked row is all zeros, not uniform).

    Args:
        x: the logits.
        mask: broadcastable to `x`; boolean, or numeric where values > 0.5 are kept.
        axis: the normalized axis, or a tuple of axes normalized jointly.
    """
    if mask is not None:
        if mask.dtype != torch.bool:
            mask = mask > 0.5
        x = x.masked_fill(~mask, large_negative(x.dtype))
    if isinstance(axis, int):
        out = torch.softmax(x, dim=axis)
    else:
        out = torch.exp(x - torch.logsumexp(x, dim=tuple(axis), keepdim=True))
    if mask is not None:
        out = out.masked_fill(~mask, 0.0)
    return out


def dot_product_attention(
    query: torch.Tensor,
    key: torch.Tensor,
    value: torch.Tensor,
    mask: torch.Tensor | None = None,
    scale: float | None = None,
    is_causal: bool = False,
    dropout_rate: float = 0.0,
    enable_gqa: bool = False,
    flash_attention: bool = False,
) -> torch.Tensor:
    """`softmax(q @ k^T * scale) @ v` through `F.scaled_dot_product_attention`.

    Args:
        query: `(..., heads, q_len, head_dim)`.
        key: `(..., kv_heads, k_len, head_dim)`.
        value: `(..., kv_heads, k_len, value_dim)`.
        mask: a boolean mask broadcastable to `(..., heads, q_len, k_len)`.
        scale: the logits' scale (default `1 / sqrt(head_dim)`).
        is_causal: apply a top-left aligned causal mask (only without `mask`).
        dropout_rate: dropout on the attention probabilities (torch's global generator).
        enable_gqa: key/value heads are shared by groups of query heads.
        flash_attention: run only torch's flash kernel (an error if it cannot run).

    Returns:
        `(..., heads, q_len, value_dim)`; rows whose keys are all masked are zeros.
    """
    kwargs = {"attn_mask": mask, "dropout_p": dropout_rate, "is_causal": is_causal, "scale": scale}
    if enable_gqa:
        kwargs["enable_gqa"] = True
    if flash_attention:
        from torch.nn.attention import SDPBackend, sdpa_kernel

        with sdpa_kernel([SDPBackend.FLASH_ATTENTION]):
            return F.scaled_dot_product_attention(query, key, value, **kwargs)
    return F.scaled_dot_product_attention(query, key, value, **kwargs)


def attention_with_scores(
    query: torch.Tensor,
    key: torch.Tensor,
    value: torch.Tensor,
    mask: torch.Tensor | None = None,
    scale: float = 1.0,
    dropout_rate: float = 0.0,
    generator: torch.Generator | None = None,
) -> tuple[torch.Tensor, torch.Tensor]:
    """The explicit attention path: returns `(output, probabilities)` (before dropout).

    Same layouts as `dot_product_attention`; key/value must have as many heads as the query.
    """
    scores = torch.matmul(query * scale, key.transpose(-1, -2))
    probs = masked_softmax(scores, mask, axis=-1)
    dropped = _dropout(probs, dropout_rate, generator=generator) if dropout_rate > 0 else probs
    return torch.matmul(dropped, value), probs


def luong_scores(
    query: torch.Tensor,
    key: torch.Tensor,
    scale: torch.Tensor | None = None,
    concat_weight: torch.Tensor | None = None,
) -> torch.Tensor:
    """Luong-style scores `(batch, Tq, Tv)`: `q @ k^T * scale`, or the "concat" form
    `concat_weight * sum(tanh(scale * (q + k)))` when `concat_weight` is given."""
    if concat_weight is None:
        scores = torch.matmul(query, key.transpose(-1, -2))
        return scores * scale if scale is not None else scores
    summed = query.unsqueeze(-2) + key.unsqueeze(-3)
    if scale is not None:
        summed = summed * scale
    return concat_weight * torch.tanh(summed).sum(dim=-1)


def additive_scores(
    query: torch.Tensor, key: torch.Tensor, scale: torch.Tensor | None = None
) -> torch.Tensor:
    """Bahdanau-style scores `(batch, Tq, Tv)`: `sum(scale * tanh(q + k))` over the features."""
    hidden = torch.tanh(query.unsqueeze(-2) + key.unsqueeze(-3))
    if scale is None:
        return hidden.sum(dim=-1)
    return torch.matmul(hidden, scale.to(hidden.dtype))


def apply_attention_scores(
    scores: torch.Tensor,
    value: torch.Tensor,
    mask: torch.Tensor | None = None,
    dropout_rate: float = 0.0,
    generator: torch.Generator | None = None,
) -> tuple[torch.Tensor, torch.Tensor]:
    """Softmax of `scores` (minus 1e9 where `mask` is False, as Keras' Attention does) applied to
    `value`; returns `(output, weights)` with the weights before dropout."""
    if mask is not None:
        big = 65504.0 if scores.dtype == torch.float16 else 1.0e9
        scores = torch.where(mask, scores, scores - big)
    weights = torch.softmax(scores, dim=-1)
    dropped = _dropout(weights, dropout_rate, generator=generator) if dropout_rate > 0 else weights
    return torch.matmul(dropped, value), weights
