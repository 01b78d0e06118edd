"""`Flatten`: flattens every axis but the batch axis."""

from __future__ import annotations

import math
from typing import Any

import torch

from torchkeras_lite.backend import standardize_data_format
from torchkeras_lite.layers.input_spec import InputSpec
from torchkeras_lite.layers.layer import Layer


class Flatten(Layer):
    """Flattens the input to `(batch_size, -1)`; does not affect the batch size.

    With `data_format="channels_first"` the channel axis is moved last before flattening, so the
    element order matches a channels-last model's (as in Keras). A rank-1 input gives
    `(batch_size, 1)`.

    Args:
        data_format: `"channels_last"` or `"channels_first"`; default
            `keras.config.image_data_format()`.
        **kwargs: base layer arguments (`name`, `dtype`, ...).

    Input shape:
        `(batch_size, ...)`, rank >= 1.

    Output shape:
        `(batch_size, prod(other dims))`.

    Example:
        >>> keras.layers.Flatten()(torch.ones(2, 3, 4)).shape
        torch.Size([2, 12])
    """

    def __init__(self, data_format: str | None = None, **kwargs: Any):
        super().__init__(**kwargs)
        self.data_format = standardize_data_format(data_format)
        self.input_spec = InputSpec(min_ndim=1)

    def call(self, inputs: torch.Tensor) -> torch.Tensor:
        if self.data_format == "channels_first" and inputs.dim() > 2:
            inputs = inputs.movedim(1, -1)
        if inputs.dim() == 1:
            return inputs.reshape(-1, 1)
        return inputs.flatten(1)

    def compute_output_shape(self, input_shape: tuple) -> tuple:
        rest = tuple(input_shape)[1:]
        size = None if any(d is None for d in rest) else math.prod(rest)
        return (input_shape[0], size)

    def get_config(self) -> dict[str, Any]:
        return {**super().get_config(), "data_format": self.data_format}
