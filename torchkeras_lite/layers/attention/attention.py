"""`Attention`: Luong-style dot-product attention over `[query, value(, key)]`."""

from __future__ import annotations

from typing import Any

import torch

from torchkeras_lite.layers.attention.base_attention import check_dropout
from torchkeras_lite.layers.layer import Layer
from torchkeras_lite.layers.regularization.base_noise import SeededNoiseMixin, check_seed
from torchkeras_lite.ops import attention as attention_ops


class Attention(SeededNoiseMixin, Layer):
    """Dot-product attention (Luong-style): `softmax(scores(query, key)) @ value`.

    Scores are `query @ key^T` (times a learned scalar `scale` when `use_scale`), or with
    `score_mode="concat"` `concat_score_weight * sum(tanh(scale * (query + key)))`. In "dot" mode
    without requested scores the fused `scaled_dot_product_attention` kernel runs.

    Args:
        use_scale: learn a scalar that scales the scores.
        score_mode: "dot" or "concat".
        dropout: dropout rate on the attention weights (training only).
        seed: an int makes the dropout masks reproducible.
        **kwargs: base layer arguments (`name`, `dtype`, ...).

    Call arguments:
        inputs: `[query, value]` or `[query, value, key]` (key defaults to value).
        mask: `[query_mask, value_mask]`; default: the inputs' masks. Masked values get no
            attention; masked query positions output zeros.
        training: applies dropout when True.
        return_attention_scores: also return the `(batch, Tq, Tv)` attention weights.
        use_causal_mask: position `i` attends only to positions `j <= i`.

    Input shape:
        query `(batch, Tq, dim)`, value `(batch, Tv, dim_v)`, key `(batch, Tv, dim)`.

    Output shape:
        `(batch, Tq, dim_v)`.

    Example:
        >>> q, v = torch.randn(2, 3, 4), torch.randn(2, 5, 4)
        >>> keras.layers.Attention()([q, v]).shape
        torch.Size([2, 3, 4])
    """

    _fused_dot_product = True

    def __init__(
        self,
        use_scale: bool = False,
        score_mode: str = "dot",
        dropout: float = 0.0,
        seed: int | None = None,
        **kwargs: Any,
    ):
        if score_mode not in ("dot", "concat"):
            raise ValueError(
                "Invalid value for argument score_mode. Expected one of {'dot', 'concat'}. "
                f"Received: score_mode={score_mode!r}"
            )
        check_dropout(dropout, None)
        check_seed(seed)
        super().__init__(**kwargs)
        self.use_scale = bool(use_scale)
        self.score_mode = score_mode
        self.dropout = dropout
        self.seed = seed
        self.supports_masking = True

    def build(self, input_shape: list) -> None:
        self._validate_inputs(input_shape)
        # (Assigned once each: a weight must not replace an attribute first set to None.)
        if self.use_scale:
            self.scale = self.add_weight(shape=(), initializer="ones", name="scale")
        else:
            self.scale = None
        if self.score_mode == "concat":
            self.concat_score_weight = self.add_weight(
                shape=(), initializer="ones", name="concat_score_weight"
            )
        else:
            self.concat_score_weight = None

    def _calculate_scores(self, query: torch.Tensor, key: torch.Tensor) -> torch.Tensor:
        return attention_ops.luong_scores(query, key, self.scale, self.concat_score_weight)

    def call(
        self,
        inputs: list[torch.Tensor],
        mask: list[torch.Tensor | None] | None = None,
        training: bool | None = None,
        return_attention_scores: bool = False,
        use_causal_mask: bool = False,
    ) -> torch.Tensor | tuple[torch.Tensor, torch.Tensor]:
        self._validate_inputs(inputs, mask)
        query, value = inputs[0], inputs[1]
        key = inputs[2] if len(inputs) > 2 else value
        q_mask = mask[0] if mask else None
        v_mask = mask[1] if mask else None
        if v_mask is not None:
            v_mask = v_mask.bool().unsqueeze(-2)
        rate = self.dropout if training else 0.0
        generator = self._generator(query.device) if rate > 0 else None
        fused = self._fused_dot_product and self.score_mode == "dot"
        if fused and not return_attention_scores and generator is None:
            scores_mask = v_mask
            if use_causal_mask and v_mask is not None:
                scores_mask = v_mask & attention_ops.causal_mask(
                    query.shape[-2], key.shape[-2], query.device
                )
            q = query * self.scale if self.scale is not None else query
            output = attention_ops.dot_product_attention(
                q,
                key,
                value,
                mask=scores_mask,
                scale=1.0,
                is_causal=use_causal_mask and v_mask is None,
                dropout_rate=rate,
            )
            weights = None
        else:
            scores = self._calculate_scores(query, key)
            scores_mask = v_mask
            if use_causal_mask:
                causal = attention_ops.causal_mask(scores.shape[-2], scores.shape[-1], query.device)
                scores_mask = causal if v_mask is None else v_mask & causal
            output, weights = attention_ops.apply_attention_scores(
                scores, value, scores_mask, rate, generator
            )
        if q_mask is not None:
            output = output.masked_fill(~q_mask.bool().unsqueeze(-1), 0.0)
        return (output, weights) if return_attention_scores else output

    def compute_mask(self, inputs: Any, mask: Any = None) -> torch.Tensor | None:
        self._validate_inputs(inputs, mask)
        if mask is None or mask[0] is None:
            return None
        return mask[0]

    def compute_output_shape(self, input_shape: list) -> tuple:
        self._validate_inputs(input_shape)
        return (*tuple(input_shape[0])[:-1], input_shape[1][-1])

    def _validate_inputs(self, inputs: Any, mask: Any = None) -> None:
        name = type(self).__name__
        if not isinstance(inputs, (list, tuple)):
            raise ValueError(
                f"{name} layer must be called on a list of inputs, namely [query, value] or "
                f"[query, value, key]. Received: inputs={inputs!r}"
            )
        if not 2 <= len(inputs) <= 3:
            raise ValueError(
                f"{name} layer accepts inputs list of length 2 or 3, namely [query, value] or "
                f"[query, value, key]. Received: len(inputs)={len(inputs)}"
            )
        if mask is not None:
            if not isinstance(mask, (list, tuple)):
                raise ValueError(
                    f"{name} layer mask must be a list, namely [query_mask, value_mask]. "
                    f"Received: mask={mask!r}"
                )
            if not 2 <= len(mask) <= 3:
                raise ValueError(
                    f"{name} layer accepts mask list of length 2 or 3. "
                    f"Received: len(mask)={len(mask)}"
                )

    def get_config(self) -> dict[str, Any]:
        return {
            **super().get_config(),
            "use_scale": self.use_scale,
            "score_mode": self.score_mode,
            "dropout": self.dropout,
            "seed": self.seed,
        }
