"""`CenterCrop`: crops the central window of images to a target size."""

from __future__ import annotations

from typing import Any

import torch

from torchkeras_lite.layers.preprocessing.base_image_layer import BaseImageLayer, check_positive_int
from torchkeras_lite.ops.image import crop, smart_resize


class CenterCrop(BaseImageLayer):
    """Crops the central `height x width` window of images (a view, no copy).

    An image smaller than the target in either dimension is instead cropped to the largest
    centred window with the target's aspect ratio and resized (bilinear) to the target size.
    Outputs are in the layer's compute dtype.

    Args:
        height: the output height.
        width: the output width.
        data_format: `"channels_last"` or `"channels_first"`; default
            `keras.config.image_data_format()`.
        **kwargs: base layer arguments (`name`, `dtype`, ...).

    Input shape:
        3D `(height, width, channels)` or 4D `(batch, height, width, channels)` (channels last),
        or the channels-first equivalents.

    Output shape:
        the input shape with height and width replaced by the targets.

    Example:
        >>> layer = keras.layers.CenterCrop(2, 2)
        >>> layer(torch.arange(16.0).reshape(1, 4, 4, 1))[0, ..., 0]
        tensor([[ 5.,  6.],
                [ 9., 10.]])
    """

    def __init__(self, height: int, width: int, data_format: str | None = None, **kwargs: Any):
        super().__init__(data_format=data_format, **kwargs)
        self.height = check_positive_int(height, "height")
        self.width = check_positive_int(width, "width")

    def call(self, inputs: torch.Tensor) -> torch.Tensor:
        self._check_rank(inputs)
        images = self._to_compute_dtype(inputs)
        in_h, in_w = self._spatial_shape(images.shape)
        h_diff, w_diff = in_h - self.height, in_w - self.width
        if h_diff >= 0 and w_diff >= 0:
            return crop(images, h_diff // 2, w_diff // 2, self.height, self.width, self.data_format)
        return smart_resize(images, (self.height, self.width), data_format=self.data_format)

    def compute_output_shape(self, input_shape: Any) -> Any:
        return self._with_spatial_shape(input_shape, self.height, self.width)

    def get_config(self) -> dict[str, Any]:
        return {**super().get_config(), "height": self.height, "width": self.width}
