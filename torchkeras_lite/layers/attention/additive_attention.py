"""`AdditiveAttention`: Bahdanau-style attention over `[query, value(, key)]`."""

from __future__ import annotations

from typing import Any

import torch

from torchkeras_lite.layers.attention.attention import Attention
from torchkeras_lite.ops import attention as attention_ops


class AdditiveAttention(Attention):
    """Additive (Bahdanau-style) attention: scores `sum(scale * tanh(query + key))` over the
    features, softmaxed over the value positions and applied to `value`.

    Args:
        use_scale: learn a `(dim,)` vector scaling the `tanh` terms (glorot-uniform initialized).
        dropout: dropout rate on the attention weights (training only).
        **kwargs: `seed` and base layer arguments (`name`, `dtype`, ...).

    Call arguments:
        inputs: `[query, value]` or `[query, value, key]` (key defaults to value).
        mask: `[query_mask, value_mask]`; default: the inputs' masks.
        training: applies dropout when True.
        return_attention_scores: also return the `(batch, Tq, Tv)` attention weights.
        use_causal_mask: position `i` attends only to positions `j <= i`.

    Input shape:
        query `(batch, Tq, dim)`, value `(batch, Tv, dim_v)`, key `(batch, Tv, dim)`.

    Output shape:
        `(batch, Tq, dim_v)`.

    Example:
        >>> q, v = torch.randn(2, 3, 4), torch.randn(2, 5, 4)
        >>> keras.layers.AdditiveAttention()([q, v]).shape
        torch.Size([2, 3, 4])
    """

    _fused_dot_product = False  # the scores are not a dot product: always the explicit path

    def __init__(self, use_scale: bool = True, dropout: float = 0.0, **kwargs: Any):
        super().__init__(use_scale=use_scale, dropout=dropout, **kwargs)

    def build(self, input_shape: list) -> None:
        self._validate_inputs(input_shape)
        self.concat_score_weight = None
        if self.use_scale:
            self.scale = self.add_weight(
                shape=(input_shape[0][-1],), initializer="glorot_uniform", name="scale"
            )
        else:
            self.scale = None

    def _calculate_scores(self, query: torch.Tensor, key: torch.Tensor) -> torch.Tensor:
        return attention_ops.additive_scores(query, key, self.scale)

    def get_config(self) -> dict[str, Any]:
        config = super().get_config()
        config.pop("score_mode", None)
        return config
