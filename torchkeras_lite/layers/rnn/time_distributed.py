"""`TimeDistributed`: applies a layer to every time step, as one call on the merged batch."""

from __future__ import annotations

from typing import Any

import torch

from torchkeras_lite.layers.layer import Layer
from torchkeras_lite.layers.rnn.base_rnn import deserialize_layer
from torchkeras_lite.saving.registry import serialize_keras_object
from torchkeras_lite.utils import tree


class TimeDistributed(Layer):
    """Applies `layer` to every temporal slice of an input.

    The batch and time axes are merged (`(batch * timesteps, ...)`), the layer runs once, and the
    axes are split again: one kernel launch instead of one per step. For layers that treat samples
    independently (Dense, Conv, ...) this equals Keras' per-step application; a layer computing
    batch statistics (BatchNormalization in training) sees all steps as one batch.

    Args:
        layer: a `keras.layers.Layer` instance.

    Call arguments:
        inputs: `(batch, timesteps, ...)`.
        training: passed to the wrapped layer.
        mask: `(batch, timesteps, ...)` booleans; passed (merged the same way) to a layer whose
            `call` takes a mask.

    Input shape:
        `(batch, timesteps, *inner_input_shape)`, at least 3D.

    Output shape:
        `(batch, timesteps, *inner_output_shape)`.

    Example:
        >>> layer = keras.layers.TimeDistributed(keras.layers.Dense(8))
        >>> layer(torch.randn(32, 10, 16)).shape
        torch.Size([32, 10, 8])
    """

    def __init__(self, layer: Layer, **kwargs: Any):
        if not isinstance(layer, Layer):
            raise ValueError(
                "Please initialize `TimeDistributed` layer with a `keras.layers.Layer` instance. "
                f"Received: layer={layer}"
            )
        super().__init__(**kwargs)
        self.layer = layer
        self.supports_masking = True

    @staticmethod
    def _child_input_shape(input_shape: Any) -> tuple:
        if not isinstance(input_shape, (tuple, list)) or len(input_shape) < 3:
            raise ValueError(
                "`TimeDistributed` Layer should be passed an `input_shape` with at least 3 "
                f"dimensions. Received: input_shape={input_shape}"
            )
        return (input_shape[0], *tuple(input_shape[2:]))

    def build(self, input_shape: tuple) -> None:
        child = self._child_input_shape(input_shape)
        if not self.layer.built:
            self.layer.build(child)

    def compute_output_shape(self, input_shape: tuple) -> Any:
        child = self.layer.compute_output_shape(self._child_input_shape(input_shape))
        return (child[0], input_shape[1], *tuple(child[1:]))

    def call(
        self, inputs: torch.Tensor, training: bool | None = None, mask: torch.Tensor | None = None
    ) -> Any:
        batch, steps = inputs.shape[:2]
        kwargs: dict[str, Any] = {"training": training}
        if mask is not None:
            if mask.dim() < 2:
                raise ValueError(
                    "The `mask` passed to the `TimeDistributed` layer must be at least 2D (e.g., "
                    f"`(batch_size, timesteps)`). Received: mask.shape={tuple(mask.shape)}"
                )
            if tuple(mask.shape[:2]) != (batch, steps):
                raise ValueError(
                    f"The `mask` passed to the `TimeDistributed` layer has a shape incompatible "
                    f"with the input shape {tuple(inputs.shape)}: its first two dimensions must "
                    f"be ({batch}, {steps}). Received: mask.shape={tuple(mask.shape)}"
                )
            if self.layer._call_signature.accepts_mask:
                kwargs["mask"] = mask.flatten(0, 1)
        outputs = self.layer(inputs.flatten(0, 1), **kwargs)
        return tree.map_structure(lambda y: y.unflatten(0, (batch, steps)), outputs)

    def get_config(self) -> dict[str, Any]:
        return {**super().get_config(), "layer": serialize_keras_object(self.layer)}

    @classmethod
    def from_config(cls, config: dict[str, Any], custom_objects: dict | None = None) -> Any:
        config = dict(config)
        config["layer"] = deserialize_layer(config["layer"], custom_objects)
        return super().from_config(config)
