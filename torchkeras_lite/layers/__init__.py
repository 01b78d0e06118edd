"""Layers: the `Layer` base class and the built-in layers."""

from torchkeras_lite.layers.input_spec import InputSpec
from torchkeras_lite.layers.layer import Layer
