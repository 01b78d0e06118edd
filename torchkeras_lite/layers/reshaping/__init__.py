"""Reshaping layers: Flatten, Reshape, Permute, RepeatVector."""

from torchkeras_lite.layers.reshaping.flatten import Flatten
from torchkeras_lite.layers.reshaping.permute import Permute
from torchkeras_lite.layers.reshaping.repeat_vector import RepeatVector
from torchkeras_lite.layers.reshaping.reshape import Reshape
