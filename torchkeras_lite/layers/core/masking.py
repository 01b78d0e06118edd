"""`Masking`: masks the timesteps whose features all equal a padding value."""

from __future__ import annotations

from typing import Any

import torch

from torchkeras_lite.layers.layer import Layer


class Masking(Layer):
    """Masks timesteps in which every feature equals `mask_value`.

    For each position along the second-to-last axis, if all values on the last axis equal
    `mask_value` the position is masked: its output values are zeroed and the mask (`False`
    there) travels with the output to mask-aware layers downstream (RNNs, attention, ...).

    Args:
        mask_value: the padding value.
        **kwargs: base layer arguments (`name`, `dtype`, ...).

    Input shape:
        `(batch_size, timesteps, features)` or any rank >= 2.

    Output shape:
        the input shape; the mask has shape `input_shape[:-1]`.

    Example:
        >>> x = torch.tensor([[[1.0, 2.0], [0.0, 0.0]]])
        >>> out = keras.layers.Masking(mask_value=0.0)(x)
        >>> out._keras_mask.tolist()
        [[True, False]]
    """

    def __init__(self, mask_value: float = 0.0, **kwargs: Any):
        super().__init__(**kwargs)
        self.mask_value = mask_value
        self.supports_masking = True

    def compute_mask(self, inputs: torch.Tensor, previous_mask: Any = None) -> torch.Tensor:
        return (inputs != self.mask_value).any(dim=-1)

    def call(self, inputs: torch.Tensor) -> torch.Tensor:
        keep = (inputs != self.mask_value).any(dim=-1, keepdim=True)
        return inputs.masked_fill(~keep, 0)

    def compute_output_shape(self, input_shape: tuple) -> tuple:
        return input_shape

    def get_config(self) -> dict[str, Any]:
        return {**super().get_config(), "mask_value": self.mask_value}
