"""Activation layers."""

from torchkeras_lite.layers.activations.activation import Activation
