"""`MultiHeadAttention`: Keras' multi-head attention on `F.scaled_dot_product_attention`."""

from __future__ import annotations

import math
from typing import Any

import torch

from torchkeras_lite.layers.attention.base_attention import (
    BaseMultiHeadAttention,
    check_positive_int,
)


class MultiHeadAttention(BaseMultiHeadAttention):
    """Multi-head (scaled dot-product) attention, as in "Attention is all you need".

    `query`, `key` and `value` are projected to `num_heads` heads (kernels of Keras' shape
    `(dim, num_heads, key_dim)`), attended with torch's fused `scaled_dot_product_attention`
    (the explicit softmax path runs only when the scores are requested or a seeded dropout is
    active), and projected back by a `(num_heads, value_dim, *output_shape)` kernel.
    `get_weights()` matches Keras: query, key, [gate,] value and output kernels/biases.

    Args:
        num_heads: number of attention heads.
        key_dim: size of each head for query and key.
        value_dim: size of each head for value (default: `key_dim`).
        dropout: dropout rate on the attention probabilities (training only).
        use_bias: whether the projections have biases.
        output_shape: the output's trailing shape (int or tuple; default: query's last dim).
        attention_axes: the axes attention runs over (default: all but batch and features).
        sliding_window: each query attends only to keys within `sliding_window - 1` positions.
        flash_attention: True runs only torch's flash kernel (no scores, no dropout); None or
            False lets torch choose its kernel.
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
        query: `(B, T, dim)`; value: `(B, S, dim)`; key: optional `(B, S, dim)` (default: value).
        query_mask, value_mask, key_mask: `(B, T)` / `(B, S)` masks; default: the tensors' masks.
        attention_mask: boolean `(B, T, S)`, True where a query may attend to a key.
        return_attention_scores: also return the `(B, heads, T, S)` probabilities.
        training: applies dropout when True.
        use_causal_mask: each query attends only to keys at or before its position.

    Input shape:
        query `(batch, *query_dims, dim)`, value/key `(batch, *kv_dims, dim)`.

    Output shape:
        `(batch, *query_dims, *output_shape)`.

    Example:
        >>> mha = keras.layers.MultiHeadAttention(num_heads=2, key_dim=4)
        >>> x = torch.randn(3, 5, 8)
        >>> mha(x, x).shape
        torch.Size([3, 5, 8])
    """

    def __init__(
        self,
        num_heads: int,
        key_dim: int,
        value_dim: int | None = None,
        dropout: float = 0.0,
        use_bias: bool = True,
        output_shape: int | tuple[int, ...] | None = None,
        attention_axes: int | tuple[int, ...] | None = None,
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
        check_positive_int("num_heads", num_heads)
        check_positive_int("key_dim", key_dim)
        check_positive_int("value_dim", value_dim, allow_none=True)
        if output_shape:
            if isinstance(output_shape, int):
                output_shape = (output_shape,)
            if not isinstance(output_shape, (list, tuple)) or not all(
                isinstance(d, int) and d > 0 for d in output_shape
            ):
                raise ValueError(
                    "Invalid `output_shape`: when specified, it should be an int or a tuple/list "
                    f"of positive ints. Received: output_shape={output_shape!r}"
                )
            output_shape = tuple(output_shape)
        else:
            output_shape = None
        if isinstance(attention_axes, int):
            attention_axes = (attention_axes,)
        elif attention_axes is not None:
            if not isinstance(attention_axes, (list, tuple)):
                raise ValueError(
                    "`attention_axes` must be an int, list, or tuple. "
                    f"Received: attention_axes={attention_axes!r}"
                )
            attention_axes = tuple(attention_axes)
        super().__init__(**kwargs)
        self._init_common(
            dropout, use_bias, sliding_window, flash_attention, kernel_initializer,
            bias_initializer, kernel_regularizer, bias_regularizer, activity_regularizer,
            kernel_constraint, bias_constraint, use_gate, seed,
        )  # fmt: skip
        self._num_heads = num_heads
        self._key_dim = key_dim
        self._value_dim = value_dim or key_dim
        self._output_shape = output_shape
        self._attention_axes = attention_axes
        self._scale = 1.0 / math.sqrt(float(key_dim))

    num_heads = property(lambda self: self._num_heads)
    key_dim = property(lambda self: self._key_dim)
    value_dim = property(lambda self: self._value_dim)
    dropout = property(lambda self: self._dropout)
    use_bias = property(lambda self: self._use_bias)
    attention_axes = property(lambda self: self._attention_axes)

    def build(self, query_shape: tuple, value_shape: tuple, key_shape: tuple | None = None) -> None:
        key_shape = value_shape if key_shape is None else key_shape
        self._check_key_value_shapes(value_shape, key_shape)
        rank = len(query_shape)
        if rank < 3 or len(value_shape) != rank:
            raise ValueError(
                "`query` and `value` must have the same rank, at least 3 (batch, positions..., "
                f"features). Received: query_shape={tuple(query_shape)}, "
                f"value_shape={tuple(value_shape)}"
            )
        axes = tuple(range(1, rank - 1)) if self._attention_axes is None else self._attention_axes
        axes = tuple(a if a >= 0 else rank + a for a in axes)
        if not axes or any(not 1 <= a <= rank - 2 for a in axes) or len(set(axes)) != len(axes):
            raise ValueError(
                "`attention_axes` must be distinct axes of the query other than the batch and "
                f"feature axes (1 to {rank - 2}). Received: attention_axes={self._attention_axes}"
            )
        heads, kd, vd = self._num_heads, self._key_dim, self._value_dim
        self.query_dense = self._make_projection("query", (query_shape[-1],), (heads, kd))
        self.key_dense = self._make_projection("key", (key_shape[-1],), (heads, kd))
        self.gate_dense = None
        if self._use_gate:
            self.gate_dense = self._make_projection("gate", (query_shape[-1],), (heads, vd))
        self.value_dense = self._make_projection("value", (value_shape[-1],), (heads, vd))
        out_dims = self._output_shape or (query_shape[-1],)
        self.output_dense = self._make_projection("attention_output", (heads, vd), out_dims)
        # Projected tensors are (B, *positions, heads, dim): bring them to (B, *batch-like
        # positions, heads, *attended positions, dim), once computed here.
        batch_axes = tuple(a for a in range(1, rank - 1) if a not in axes)
        self._perm = (0, *batch_axes, rank - 1, *axes, rank)
        self._inverse_perm = tuple(sorted(range(rank + 1), key=self._perm.__getitem__))
        self._num_lead = 1 + len(batch_axes)
        self._num_attention_axes = len(axes)
        self._simple = rank == 3

    def _to_heads(self, x: torch.Tensor, size: int) -> tuple[torch.Tensor, tuple]:
        """`(B, *positions, heads * size)` -> `(B', heads, L, size)` and the permuted shape."""
        x = x.view(*x.shape[:-1], self._num_heads, size)
        if self._simple:
            return x.transpose(1, 2), ()
        x = x.permute(self._perm)
        return x.reshape(-1, self._num_heads, math.prod(x.shape[self._num_lead + 1 : -1]), size), (
            tuple(x.shape[:-1])
        )

    def _mask_to_heads(self, mask: torch.Tensor, q_shape: tuple, k_shape: tuple) -> torch.Tensor:
        n = self._num_attention_axes
        rank = self._num_lead + 1 + 2 * n
        while mask.dim() < rank:
            mask = mask.unsqueeze(-2 * n - 1)
        if self._simple:
            return mask
        heads = mask.shape[self._num_lead]
        full = (*q_shape[: self._num_lead], heads, *q_shape[self._num_lead + 1 :])
        full = full + tuple(k_shape[self._num_lead + 1 :])
        lq, lk = math.prod(q_shape[self._num_lead + 1 :]), math.prod(k_shape[self._num_lead + 1 :])
        return mask.expand(full).reshape(-1, heads, lq, lk)

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
        lead_shape = query.shape[:-1]
        gate = None
        if self.gate_dense is not None:
            gate = torch.sigmoid(self._project(self.gate_dense, query))
        q, q_shape = self._to_heads(self._project(self.query_dense, query), self._key_dim)
        k, k_shape = self._to_heads(self._project(self.key_dense, key), self._key_dim)
        v, _ = self._to_heads(self._project(self.value_dense, value), self._value_dim)
        if mask is not None:
            mask = self._mask_to_heads(mask, q_shape, k_shape)
        out, scores = self._attend(
            q, k, v, mask, causal_only, return_attention_scores, training, self._scale
        )
        if self._simple:
            out = out.transpose(1, 2)
        else:
            out = out.reshape(*q_shape, self._value_dim).permute(self._inverse_perm)
            if scores is not None:
                scores = scores.reshape(*q_shape, *k_shape[self._num_lead + 1 :])
        out = out.reshape(*lead_shape, self._num_heads * self._value_dim)
        if gate is not None:
            out = out * gate
        out = self._project(self.output_dense, out)
        out = out.view(*lead_shape, *self.output_dense.out_dims)
        return (out, scores) if return_attention_scores else out

    def compute_output_shape(
        self, query_shape: tuple, value_shape: tuple | None = None, key_shape: tuple | None = None
    ) -> tuple:
        """The output shape (from the query's; value/key shapes, when given, are checked)."""
        if value_shape is not None and key_shape is not None:
            self._check_key_value_shapes(value_shape, key_shape)
        if self._output_shape:
            return (*tuple(query_shape)[:-1], *self._output_shape)
        return tuple(query_shape)

    def get_config(self) -> dict[str, Any]:
        return {
            **super().get_config(),
            "num_heads": self._num_heads,
            "key_dim": self._key_dim,
            "value_dim": self._value_dim,
            "output_shape": self._output_shape,
            "attention_axes": self._attention_axes,
            **self._common_config(),
        }
