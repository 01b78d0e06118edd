"""`RandomFlip`: randomly flips images horizontally and/or vertically during training."""

from __future__ import annotations

from typing import Any

import torch

from torchkeras_lite.layers.preprocessing.base_random_layer import BaseRandomLayer
from torchkeras_lite.ops.image import spatial_axes

HORIZONTAL = "horizontal"
VERTICAL = "vertical"
HORIZONTAL_AND_VERTICAL = "horizontal_and_vertical"


class RandomFlip(BaseRandomLayer):
    """Flips each image with probability 1/2 during training; the identity at inference.

    As in Keras, `"horizontal_and_vertical"` draws one decision per image and flips both axes
    together (a 180 degree rotation). Outputs are in the layer's compute dtype.

    Args:
        mode: `"horizontal"` (left-right), `"vertical"` (top-bottom) or
            `"horizontal_and_vertical"` (default).
        seed: an int for a reproducible sequence of flips.
        data_format: `"channels_last"` or `"channels_first"`.
        **kwargs: base layer arguments (`name`, `dtype`, ...).

    Input shape:
        3D (unbatched) or 4D (batched) images in `data_format`.

    Output shape:
        the input shape.

    Example:
        >>> layer = keras.layers.RandomFlip("horizontal", seed=1)
        >>> x = torch.rand(8, 4, 4, 3)
        >>> torch.equal(layer(x), x)  # inference: unchanged
        True
        >>> layer(x, training=True).shape
        torch.Size([8, 4, 4, 3])
    """

    def __init__(
        self,
        mode: str = HORIZONTAL_AND_VERTICAL,
        seed: int | None = None,
        data_format: str | None = None,
        **kwargs: Any,
    ):
        super().__init__(seed=seed, data_format=data_format, **kwargs)
        if mode not in (HORIZONTAL, VERTICAL, HORIZONTAL_AND_VERTICAL):
            raise ValueError(
                f"RandomFlip layer {self.name} received an unknown mode argument. Expected one of "
                f"{(HORIZONTAL, VERTICAL, HORIZONTAL_AND_VERTICAL)}. Received: mode={mode!r}"
            )
        self.mode = mode

    def call(self, inputs: torch.Tensor, training: bool | None = None) -> torch.Tensor:
        self._check_rank(inputs)
        images = self._to_compute_dtype(inputs)
        if not training:
            return images
        h_axis, w_axis = spatial_axes(images.dim(), self.data_format)
        axes = {
            HORIZONTAL: (w_axis,),
            VERTICAL: (h_axis,),
            HORIZONTAL_AND_VERTICAL: (h_axis, w_axis),
        }[self.mode]
        batch = images.shape[0] if images.dim() == 4 else 1
        flips = self._uniform((batch,), 0.0, 1.0, images) <= 0.5
        flips = flips.view((-1, 1, 1, 1) if images.dim() == 4 else ())
        return torch.where(flips, torch.flip(images, axes), images)

    def get_config(self) -> dict[str, Any]:
        return {**super().get_config(), "mode": self.mode}
