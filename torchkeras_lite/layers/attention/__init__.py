"""Attention layers: MultiHeadAttention, GroupedQueryAttention, Attention, AdditiveAttention."""

from torchkeras_lite.layers.attention.additive_attention import AdditiveAttention
from torchkeras_lite.layers.attention.attention import Attention
from torchkeras_lite.layers.attention.grouped_query_attention import GroupedQueryAttention
from torchkeras_lite.layers.attention.multi_head_attention import MultiHeadAttention
