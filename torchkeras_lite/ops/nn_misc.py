"""`keras.ops.nn` encodings, attention and block rearrangements.

Example:
    >>> keras.ops.one_hot(np.array([1, 3]), 4)
    tensor([[0., 1., 0., 0.],
            [0., 0., 0., 1.]])
"""

from __future__ import annotations

from typing import Any

import torch
import torch.nn.functional as F

from torchkeras_lite.ops.dtype_rules import result_type
from torchkeras_lite.ops.tensor_utils import convert, convert_all, to_float, torch_dtype


def one_hot(x: Any, num_classes: int, axis: int = -1, dtype=None, sparse: bool = False):
    """One-hot vectors of `num_classes` along a new `axis` (negative ids give all zeros)."""
    if sparse:
        raise ValueError("Sparse tensors are not supported. Received: sparse=True")
    ids = convert(x).long()
    out = F.one_hot(ids.clamp(min=0), num_classes) * (ids >= 0).unsqueeze(-1)
    out = out.to(torch_dtype(dtype))
    return out if axis == -1 else torch.movedim(out, -1, axis)


def multi_hot(
    inputs: Any, num_classes: int | None = None, axis: int = -1, dtype=None, sparse=False, **kwargs
) -> torch.Tensor:
    """Multi-hot vectors: 1 for each class present in a sample (rows of 2-D inputs).

    `num_tokens` is accepted as an alias of `num_classes`.
    """
    if num_classes is None:
        num_classes = kwargs.pop("num_tokens", None)
    if num_classes is None:
        raise ValueError("`num_classes` must be specified. Received: num_classes=None")
    x = convert(inputs)
    encoded = one_hot(x, num_classes, axis=axis, dtype=dtype, sparse=sparse)
    return torch.amax(encoded, dim=1 if x.ndim > 1 else 0)


def _large_negative(dtype: torch.dtype) -> float:
    return -0.7 * (65500.0 if dtype == torch.float16 else 3.38953e38)


def dot_product_attention(
    query: Any,
    key: Any,
    value: Any,
    bias: Any = None,
    mask: Any = None,
    scale: float | None = None,
    is_causal: bool = False,
    flash_attention: bool | None = None,
    attn_logits_soft_cap: float | None = None,
) -> torch.Tensor:
    """Scaled dot-product attention on `(batch, seq, heads, head_dim)` inputs.

    `mask` is boolean (True attends) and `bias` additive, both broadcastable to
    `(batch, heads, query_seq, key_seq)`; keys/values with fewer heads are shared by groups of
    query heads. `attn_logits_soft_cap` applies `cap * tanh(logits / cap)` before the softmax.
    """
    q, k, v = convert_all(query, key, value)
    if q.ndim != 4 or k.ndim != 4 or v.ndim != 4:
        raise ValueError(
            "`dot_product_attention` expects 4D inputs. Received: "
            f"query.shape={tuple(q.shape)}, key.shape={tuple(k.shape)}, value.shape={tuple(v.shape)}"
        )
    if bias is not None and mask is not None:
        raise ValueError("Only one of `bias` and `mask` can be given. Received both.")
    dtype = torch_dtype(result_type(q.dtype, k.dtype, v.dtype))
    q, k, v = (t.to(dtype).transpose(1, 2) for t in (q, k, v))
    if q.shape[1] != k.shape[1] and k.shape[1] > 1:
        k, v = (t.repeat_interleave(q.shape[1] // k.shape[1], dim=1) for t in (k, v))
    attn_mask = None
    if mask is not None:
        attn_mask = convert(mask, device=q.device).to(torch.bool)
        if is_causal:
            causal = torch.ones(q.shape[2], k.shape[2], dtype=torch.bool, device=q.device).tril()
            attn_mask, is_causal = attn_mask & causal, False
        zero = torch.zeros((), dtype=dtype, device=q.device)
        attn_mask = torch.where(attn_mask, zero, torch.full_like(zero, _large_negative(dtype)))
    elif bias is not None:
        attn_mask = convert(bias, dtype, q.device)
    if attn_logits_soft_cap is not None:
        scale = q.shape[-1] ** -0.5 if scale is None else scale
        logits = torch.matmul(q, k.transpose(-1, -2)) * scale
        logits = attn_logits_soft_cap * torch.tanh(logits / attn_logits_soft_cap)
        if is_causal:
            causal = torch.ones(q.shape[2], k.shape[2], dtype=torch.bool, device=q.device).tril()
            logits = logits.masked_fill(~causal, _large_negative(dtype))
        if attn_mask is not None:
            logits = logits + attn_mask
        out = torch.matmul(torch.softmax(logits, dim=-1), v)
    else:
        out = F.scaled_dot_product_attention(
            q, k, v, attn_mask=attn_mask, is_causal=is_causal, scale=scale
        )
    return out.transpose(1, 2)


def unfold(x: Any, kernel_size, dilation=1, padding=0, stride=1) -> torch.Tensor:
    """Sliding blocks of an `(N, C, H, W)` tensor as `(N, C * kh * kw, blocks)` (im2col)."""
    return F.unfold(convert(x), kernel_size, dilation, padding, stride)


def fold(x: Any, output_size, kernel_size, dilation=1, padding=0, stride=1) -> torch.Tensor:
    """The inverse arrangement of `unfold`, summing overlapping values (col2im)."""
    return F.fold(convert(x), output_size, kernel_size, dilation, padding, stride)


def depth_to_space(x: Any, block_size: int, data_format: str = "channels_last") -> torch.Tensor:
    """Moves channel blocks into `block_size x block_size` spatial blocks (4D inputs)."""
    x = convert(x)
    if data_format == "channels_first":
        return F.pixel_shuffle(x, block_size)
    n, h, w, c = x.shape
    b = block_size
    x = x.reshape(n, h, w, b, b, c // (b * b)).permute(0, 1, 3, 2, 4, 5)
    return x.reshape(n, h * b, w * b, c // (b * b))


def space_to_depth(x: Any, block_size: int, data_format: str = "channels_last") -> torch.Tensor:
    """Moves `block_size x block_size` spatial blocks into channels (4D inputs)."""
    x = convert(x)
    if data_format == "channels_first":
        return F.pixel_unshuffle(x, block_size)
    n, h, w, c = x.shape
    b = block_size
    x = x.reshape(n, h // b, b, w // b, b, c).permute(0, 1, 3, 2, 4, 5)
    return x.reshape(n, h // b, w // b, c * b * b)


def polar(abs_: Any, angle: Any) -> torch.Tensor:
    """The complex number `abs_ * (cos(angle) + i sin(angle))`."""
    magnitude, phase = convert_all(abs_, angle)
    magnitude = to_float(magnitude)
    return torch.polar(magnitude, phase.to(magnitude.dtype))
