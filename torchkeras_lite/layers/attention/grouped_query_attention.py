"""`GroupedQueryAttention`: attention whose key/value heads are shared by groups of query heads."""

from __future__ import annotations

import math
from typing import Any

import torch

from torchkeras_lite.layers.attention.base_attention import (
    BaseMultiHeadAttention,
    check_positive_int,
)


class GroupedQueryAttention(BaseMultiHeadAttention):
    """Grouped-query attention (GQA): `num_query_heads` query heads share
    `num_key_value_heads` key/value heads (`num_key_value_heads=1` is multi-query attention,
    `= num_query_heads` is multi-head attention).

    Runs torch's fused `scaled_dot_product_attention` with `enable_gqa` (the key/value heads are
    not materialized per query head) unless the scores are requested. Kernels have Keras' shapes:
    query `(dim, num_query_heads, head_dim)`, key/value `(dim, num_key_value_heads, head_dim)`,
    output `(num_query_heads, head_dim, dim)`.

    Args:
        head_dim: size of each attention head.
        num_query_heads: number of query heads.
        num_key_value_heads: number of key/value heads; must divide `num_query_heads`.
        dropout: dropout rate on the attention probabilities (training only).
        use_bias: whether the projections have biases.
        sliding_window: each query attends only to keys within `sliding_window - 1` positions.
        flash_attention: True runs only torch's flash kernel; None/False lets torch choose.
        kernel_initializer: initializer for the projection kernels.
        bias_initializer: initializer for the projection biases.
        kernel_regularizer: regularizer for the projection kernels.
        bias_regularizer: regularizer for the projection biases.
        activity_regularizer: regularizer for each projection's output (as in Keras).
        kernel_constraint: constraint for the projection kernels.
        bias_constraint: constraint for the projection biases.
        use_gate: gate the attention output with `sigmoid(query @ gate_kernel)`.
        seed: an int makes the dropout masks reproducible.
        **kwargs: base layer arguments (`name`, `dtype`, ...).

    Call arguments:
        Those of `MultiHeadAttention`: query, value, key, query_mask, value_mask, key_mask,
        attention_mask, return_attention_scores, training, use_causal_mask.

    Input shape:
        query `(batch, T, dim)`, value/key `(batch, S, dim_v)` / `(batch, S, dim_k)`.

    Output shape:
        `(batch, T, dim)`; scores `(batch, num_query_heads, T, S)`.

    Example:
        >>> gqa = keras.layers.GroupedQueryAttention(4, num_query_heads=4, num_key_value_heads=2)
        >>> x = torch.randn(2, 6, 8)
        >>> gqa(x, x).shape
        torch.Size([2, 6, 8])
    """

    def __init__(
        self,
        head_dim: int,
        num_query_heads: int,
        num_key_value_heads: int,
        dropout: float = 0.0,
        use_bias: bool = True,
        sliding_window: int | None = None,
        flash_attention: bool | None = None,
        kernel_initializer: Any = "glorot_uniform",
        bias_initializer: Any = "zeros",
        kernel_regularizer: Any = None,
        bias_regularizer: Any = None,
        activity_regularizer: Any = None,
        kernel_constraint: Any = None,
        bias_constraint: Any = None,
        use_gate: bool = False,
        seed: int | None = None,
        **kwargs: Any,
    ):
        check_positive_int("head_dim", head_dim)
        check_positive_int("num_query_heads", num_query_heads)
        check_positive_int("num_key_value_heads", num_key_value_heads)
        if num_query_heads % num_key_value_heads != 0:
            raise ValueError(
                "`num_query_heads` must be divisible by `num_key_value_heads`. Received: "
                f"num_query_heads={num_query_heads}, num_key_value_heads={num_key_value_heads}"
            )
        super().__init__(**kwargs)
        self._init_common(
            dropout, use_bias, sliding_window, flash_attention, kernel_initializer,
            bias_initializer, kernel_regularizer, bias_regularizer, activity_regularizer,
            kernel_constraint, bias_constraint, use_gate, seed,
        )  # fmt: skip
        self.head_dim = head_dim
        self.num_query_heads = num_query_heads
        self.num_key_value_heads = num_key_value_heads
        self.num_repeats = num_query_heads // num_key_value_heads
        self._scale = 1.0 / math.sqrt(float(head_dim))

    dropout = property(lambda self: self._dropout)
    use_bias = property(lambda self: self._use_bias)
    sliding_window = property(lambda self: self._sliding_window)
    use_gate = property(lambda self: self._use_gate)

    def build(self, query_shape: tuple, value_shape: tuple, key_shape: tuple | None = None) -> None:
        key_shape = value_shape if key_shape is None else key_shape
        self._check_key_value_shapes(value_shape, key_shape)
        for name, shape in (("query", query_shape), ("value", value_shape), ("key", key_shape)):
            if len(shape) != 3:
                raise ValueError(
                    f"GroupedQueryAttention expects 3D `{name}` inputs (batch, length, dim). "
                    f"Received: {name}_shape={tuple(shape)}"
                )
        dim, hq, hkv, hd = (
            query_shape[-1],
            self.num_query_heads,
            self.num_key_value_heads,
            self.head_dim,
        )
        self.feature_dim = dim
        self.query_dense = self._make_projection("query", (dim,), (hq, hd))
        self.key_dense = self._make_projection("key", (key_shape[-1],), (hkv, hd))
        self.gate_dense = None
        if self._use_gate:
            self.gate_dense = self._make_projection("gate", (dim,), (hq, hd))
        self.value_dense = self._make_projection("value", (value_shape[-1],), (hkv, hd))
        self.output_dense = self._make_projection("attention_output", (hq, hd), (dim,))

    def call(
        self,
        query: torch.Tensor,
        value: torch.Tensor,
        key: torch.Tensor | None = None,
        query_mask: torch.Tensor | None = None,
        value_mask: torch.Tensor | None = None,
        key_mask: torch.Tensor | None = None,
        attention_mask: torch.Tensor | None = None,
        return_attention_scores: bool = False,
        training: bool | None = None,
        use_causal_mask: bool = False,
    ) -> torch.Tensor | tuple[torch.Tensor, torch.Tensor]:
        if query_mask is None:
            query_mask = getattr(query, "_keras_mask", None)
        if value_mask is None:
            value_mask = getattr(value, "_keras_mask", None)
        if key is None:
            key = value
        elif key_mask is None:
            key_mask = getattr(key, "_keras_mask", None)
        mask, causal_only = self._attention_mask(
            query, value, query_mask, value_mask, key_mask, attention_mask, use_causal_mask
        )
        if mask is not None:
            while mask.dim() < 4:
                mask = mask.unsqueeze(-3)
        batch, q_len, s_len = query.shape[0], query.shape[1], value.shape[1]
        hq, hkv, hd = self.num_query_heads, self.num_key_value_heads, self.head_dim
        gate = None
        if self.gate_dense is not None:
            gate = torch.sigmoid(self._project(self.gate_dense, query))
        q = self._project(self.query_dense, query).view(batch, q_len, hq, hd).transpose(1, 2)
        k = self._project(self.key_dense, key).view(batch, s_len, hkv, hd).transpose(1, 2)
        v = self._project(self.value_dense, value).view(batch, s_len, hkv, hd).transpose(1, 2)
        out, scores = self._attend(
            q, k, v, mask, causal_only, return_attention_scores, training, self._scale
        )
        out = out.transpose(1, 2).reshape(batch, q_len, hq * hd)
        if gate is not None:
            out = out * gate
        out = self._project(self.output_dense, out)
        return (out, scores) if return_attention_scores else out

    def compute_output_shape(
        self, query_shape: tuple, value_shape: tuple | None = None, key_shape: tuple | None = None
    ) -> tuple:
        """The output shape (from the query's; value/key shapes, when given, are checked)."""
        if value_shape is not None and key_shape is not None:
            self._check_key_value_shapes(value_shape, key_shape)
        return tuple(query_shape)

    def get_config(self) -> dict[str, Any]:
        return {
            **super().get_config(),
            "head_dim": self.head_dim,
            "num_query_heads": self.num_query_heads,
            "num_key_value_heads": self.num_key_value_heads,
            **self._common_config(),
        }
