"""Normalization layers: BatchNormalization, LayerNormalization."""

from torchkeras_lite.layers.normalization.batch_normalization import BatchNormalization
from torchkeras_lite.layers.normalization.layer_normalization import LayerNormalization
