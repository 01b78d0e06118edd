"""`RandomCrop`: randomly crops images to a target size during training."""

from __future__ import annotations

from typing import Any

import torch

from torchkeras_lite.layers.preprocessing.base_image_layer import check_positive_int
from torchkeras_lite.layers.preprocessing.base_random_layer import BaseRandomLayer
from torchkeras_lite.ops.image import crop, smart_resize


class RandomCrop(BaseRandomLayer):
    """Crops a random `height x width` window during training (one location per batch, as Keras).

    The crop offsets are drawn on the CPU (they become Python slice bounds), so a call never
    waits for the device. At inference, and in training for an image not larger than the target
    in both dimensions, the layer crops the largest centred window with the target's aspect
    ratio and resizes it (bilinear) to the target size. Outputs are in the compute dtype.

    Args:
        height: the output height.
        width: the output width.
        seed: an int for a reproducible sequence of crops.
        data_format: `"channels_last"` or `"channels_first"`.
        **kwargs: base layer arguments (`name`, `dtype`, ...).

    Input shape:
        3D (unbatched) or 4D (batched) images in `data_format`.

    Output shape:
        the input shape with height and width replaced by the targets.

    Example:
        >>> layer = keras.layers.RandomCrop(4, 4, seed=1)
        >>> layer(torch.rand(2, 8, 8, 3), training=True).shape
        torch.Size([2, 4, 4, 3])
    """

    def __init__(
        self,
        height: int,
        width: int,
        seed: int | None = None,
        data_format: str | None = None,
        **kwargs: Any,
    ):
        super().__init__(seed=seed, data_format=data_format, **kwargs)
        self.height = check_positive_int(height, "height")
        self.width = check_positive_int(width, "width")

    def call(self, inputs: torch.Tensor, training: bool | None = None) -> torch.Tensor:
        self._check_rank(inputs)
        images = self._to_compute_dtype(inputs)
        in_h, in_w = self._spatial_shape(images.shape)
        if training and in_h > self.height and in_w > self.width:
            gen = self._generator(torch.device("cpu"))
            top = int(torch.randint(0, in_h - self.height + 1, (), generator=gen))
            left = int(torch.randint(0, in_w - self.width + 1, (), generator=gen))
            return crop(images, top, left, self.height, self.width, self.data_format)
        if (in_h, in_w) == (self.height, self.width):
            return images
        return smart_resize(images, (self.height, self.width), data_format=self.data_format)

    def compute_output_shape(self, input_shape: Any) -> Any:
        return self._with_spatial_shape(input_shape, self.height, self.width)

    def get_config(self) -> dict[str, Any]:
        return {**super().get_config(), "height": self.height, "width": self.width}
