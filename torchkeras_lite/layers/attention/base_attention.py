"""Shared pieces of the multi-head attention layers: argument checks, projection factories, Keras'
mask rules, and the fused-vs-explicit attention dispatch."""

from __future__ import annotations

from typing import Any

import torch

from torchkeras_lite import constraints, initializers, regularizers
from torchkeras_lite.layers.attention.attention_projection import (
    AttentionProjection,
    clone_initializer,
)
from torchkeras_lite.layers.layer import Layer
from torchkeras_lite.layers.regularization.base_noise import SeededNoiseMixin, check_seed
from torchkeras_lite.ops import attention as attention_ops


def check_positive_int(name: str, value: Any, allow_none: bool = False) -> None:
    """Raises Keras' ValueError unless `value` is a positive int (or None when allowed)."""
    if allow_none and value is None:
        return
    if not isinstance(value, int) or isinstance(value, bool) or value <= 0:
        expected = "a positive integer or `None`" if allow_none else "a positive integer"
        raise ValueError(
            f"Received an invalid value for argument `{name}`, expected {expected}. "
            f"Received: {name}={value!r}"
        )


def check_dropout(dropout: Any, flash_attention: bool | None) -> None:
    if isinstance(dropout, bool) or not isinstance(dropout, (int, float)) or not 0 <= dropout <= 1:
        raise ValueError(
            "Invalid value received for argument `dropout`. Expected a float value between 0 "
            f"and 1. Received: dropout={dropout!r}"
        )
    if flash_attention and dropout > 0:
        raise ValueError(
            "Dropout is not supported when flash attention is enabled. Please set dropout to 0.0 "
            f"to use flash attention. Received: dropout={dropout!r}"
        )


class BaseMultiHeadAttention(SeededNoiseMixin, Layer):
    """What MultiHeadAttention and GroupedQueryAttention share: projection factories, masks from
    the inputs' `_keras_mask` combined as Keras does, and the attention kernels dispatch."""

    def _init_common(
        self,
        dropout: float,
        use_bias: bool,
        sliding_window: int | None,
        flash_attention: bool | None,
        kernel_initializer: Any,
        bias_initializer: Any,
        kernel_regularizer: Any,
        bias_regularizer: Any,
        activity_regularizer: Any,
        kernel_constraint: Any,
        bias_constraint: Any,
        use_gate: bool,
        seed: int | None,
    ) -> None:
        check_dropout(dropout, flash_attention)
        check_positive_int("sliding_window", sliding_window, allow_none=True)
        check_seed(seed)
        self.supports_masking = True
        self._dropout = dropout
        self._use_bias = bool(use_bias)
        self._sliding_window = sliding_window
        self._flash_attention = flash_attention
        self._kernel_initializer = initializers.get(kernel_initializer)
        self._bias_initializer = initializers.get(bias_initializer)
        self._kernel_regularizer = regularizers.get(kernel_regularizer)
        self._bias_regularizer = regularizers.get(bias_regularizer)
        # As in Keras, the activity regularizer applies to each projection's output.
        self._projection_activity_regularizer = regularizers.get(activity_regularizer)
        self._kernel_constraint = constraints.get(kernel_constraint)
        self._bias_constraint = constraints.get(bias_constraint)
        self._use_gate = bool(use_gate)
        self.seed = seed

    def _make_projection(self, name: str, in_dims: tuple, out_dims: tuple) -> AttentionProjection:
        return AttentionProjection(
            in_dims,
            out_dims,
            use_bias=self._use_bias,
            kernel_initializer=clone_initializer(self._kernel_initializer),
            bias_initializer=clone_initializer(self._bias_initializer),
            kernel_regularizer=self._kernel_regularizer,
            bias_regularizer=self._bias_regularizer,
            kernel_constraint=self._kernel_constraint,
            bias_constraint=self._bias_constraint,
            dtype=self.dtype_policy,
            name=name,
        )

    def _project(self, projection: AttentionProjection, x: torch.Tensor) -> torch.Tensor:
        out = projection.project(x)
        if self._projection_activity_regularizer is not None:  # per batch sample, as Keras
            penalty = self._projection_activity_regularizer(out)
            self.add_loss(penalty / max(out.shape[0], 1))
        return out

    def _common_config(self) -> dict[str, Any]:
        return {
            "dropout": self._dropout,
            "use_bias": self._use_bias,
            "use_gate": self._use_gate,
            "sliding_window": self._sliding_window,
            "flash_attention": self._flash_attention,
            "kernel_initializer": initializers.serialize(self._kernel_initializer),
            "bias_initializer": initializers.serialize(self._bias_initializer),
            "kernel_regularizer": regularizers.serialize(self._kernel_regularizer),
            "bias_regularizer": regularizers.serialize(self._bias_regularizer),
            "activity_regularizer": regularizers.serialize(self._projection_activity_regularizer),
            "kernel_constraint": constraints.serialize(self._kernel_constraint),
            "bias_constraint": constraints.serialize(self._bias_constraint),
            "seed": self.seed,
        }

    @staticmethod
    def _check_key_value_shapes(value_shape: tuple, key_shape: tuple) -> None:
        if tuple(value_shape[1:-1]) != tuple(key_shape[1:-1]):
            raise ValueError(
                "All dimensions of `value` and `key`, except the last one, must be equal. "
                f"Received: value_shape={tuple(value_shape)} and key_shape={tuple(key_shape)}"
            )

    def _attention_mask(
        self,
        query: torch.Tensor,
        value: torch.Tensor,
        query_mask: torch.Tensor | None,
        value_mask: torch.Tensor | None,
        key_mask: torch.Tensor | None,
        attention_mask: torch.Tensor | None,
        use_causal_mask: bool,
    ) -> tuple[torch.Tensor | None, bool]:
        """Keras' merged boolean mask `(B, T, S)` (or broadcastable) and whether causality is
        the only constraint (then the fused causal kernel runs with no mask at all)."""
        if (
            use_causal_mask
            and query_mask is None
            and value_mask is None
            and key_mask is None
            and attention_mask is None
            and self._sliding_window is None
        ):
            return None, True
        auto = None
        if query_mask is not None:
            auto = query_mask.bool().unsqueeze(-1)
        for m in (value_mask, key_mask):
            if m is not None:
                m = m.bool().unsqueeze(-2)
                auto = m if auto is None else auto & m
        q_len, v_len = query.shape[1], value.shape[1]
        if use_causal_mask:
            m = attention_ops.causal_mask(q_len, v_len, query.device)
            auto = m if auto is None else auto & m
        if self._sliding_window is not None:
            m = attention_ops.sliding_window_mask(q_len, v_len, self._sliding_window, query.device)
            auto = m if auto is None else auto & m
        if attention_mask is not None:
            attention_mask = attention_mask.bool()
            return (attention_mask if auto is None else attention_mask & auto), False
        return auto, False

    def _attend(
        self,
        q: torch.Tensor,
        k: torch.Tensor,
        v: torch.Tensor,
        mask: torch.Tensor | None,
        causal_only: bool,
        return_scores: bool,
        training: bool | None,
        scale: float,
    ) -> tuple[torch.Tensor, torch.Tensor | None]:
        """Attention on `(B, heads, L, dim)` tensors (k/v may have fewer heads, for GQA)."""
        if self._flash_attention and return_scores:
            raise ValueError(
                "Returning attention scores is not supported when flash attention is enabled. "
                "Please disable flash attention to access attention scores. "
                f"Received: return_attention_scores={return_scores}"
            )
        rate = self._dropout if training else 0.0
        generator = self._generator(q.device) if rate > 0 else None
        if not return_scores and generator is None:
            out = attention_ops.dot_product_attention(
                q,
                k,
                v,
                mask=mask,
                scale=scale,
                is_causal=causal_only,
                dropout_rate=rate,
                enable_gqa=k.shape[-3] != q.shape[-3],
                flash_attention=bool(self._flash_attention),
            )
            return out, None
        if causal_only:
            mask = attention_ops.causal_mask(q.shape[-2], k.shape[-2], q.device)
        groups = q.shape[-3] // k.shape[-3]
        if groups > 1:
            k = k.repeat_interleave(groups, dim=-3)
            v = v.repeat_interleave(groups, dim=-3)
        return attention_ops.attention_with_scores(q, k, v, mask, scale, rate, generator)
