"""`Activation`: applies an activation function to its inputs."""

from __future__ import annotations

from typing import Any

import torch

from torchkeras_lite import activations
from torchkeras_lite.layers.layer import Layer


class Activation(Layer):
    """Applies an activation function (any name `keras.activations.get` knows, or a callable).

    Masks pass through.

    Args:
        activation: the activation: a name (`"relu"`), a callable, or None (linear).
        **kwargs: base layer arguments (`name`, `dtype`, ...).

    Input shape:
        any.

    Output shape:
        the input shape.

    Example:
        >>> keras.layers.Activation("relu")(torch.tensor([-3.0, 2.0])).tolist()
        [0.0, 2.0]
    """

    def __init__(self, activation: Any, **kwargs: Any):
        super().__init__(**kwargs)
        self.supports_masking = True
        self.activation = activations.get(activation)

    def call(self, inputs: torch.Tensor) -> torch.Tensor:
        return self.activation(inputs)

    def compute_output_shape(self, input_shape: Any) -> Any:
        return input_shape

    def get_config(self) -> dict[str, Any]:
        return {**super().get_config(), "activation": activations.serialize(self.activation)}
