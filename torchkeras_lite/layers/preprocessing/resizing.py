"""`Resizing`: resizes images to a target size with torch's interpolation kernels."""

from __future__ import annotations

from typing import Any

import torch

from torchkeras_lite.layers.preprocessing.base_image_layer import BaseImageLayer, check_positive_int
from torchkeras_lite.layers.preprocessing.base_random_layer import check_choice
from torchkeras_lite.ops.image import RESIZE_INTERPOLATIONS, resize


class Resizing(BaseImageLayer):
    """Resizes images to `(height, width)` with `F.interpolate` (Keras' torch-backend semantics).

    Integer images are resized in float32, then rounded and cast back to their dtype.

    Args:
        height: the output height.
        width: the output width.
        interpolation: `"bilinear"` (default), `"nearest"` or `"bicubic"` (the Lanczos modes need
            TensorFlow or JAX in Keras too).
        crop_to_aspect_ratio: first crop the largest centred window with the target's aspect
            ratio, so the image is not distorted.
        pad_to_aspect_ratio: first pad the short side evenly (with `fill_value`) to the target's
            aspect ratio.
        fill_mode: the padding mode; only `"constant"` is supported.
        fill_value: the padding value with `pad_to_aspect_ratio=True`.
        antialias: low-pass filter when downsampling (bilinear and bicubic only).
        data_format: `"channels_last"` or `"channels_first"`.
        **kwargs: base layer arguments (`name`, `dtype`, ...).

    Input shape:
        3D (unbatched) or 4D (batched) images in `data_format`.

    Output shape:
        the input shape with height and width replaced by the targets.

    Example:
        >>> layer = keras.layers.Resizing(2, 2)
        >>> layer(torch.arange(16.0).reshape(1, 4, 4, 1))[0, ..., 0]
        tensor([[ 2.5000,  4.5000],
                [10.5000, 12.5000]])
    """

    def __init__(
        self,
        height: int,
        width: int,
        interpolation: str = "bilinear",
        crop_to_aspect_ratio: bool = False,
        pad_to_aspect_ratio: bool = False,
        fill_mode: str = "constant",
        fill_value: float = 0.0,
        antialias: bool = False,
        data_format: str | None = None,
        **kwargs: Any,
    ):
        super().__init__(data_format=data_format, **kwargs)
        self.height = check_positive_int(height, "height")
        self.width = check_positive_int(width, "width")
        if interpolation in ("lanczos3", "lanczos5"):
            raise ValueError(
                "Resizing with Lanczos interpolation is not supported by the torch backend. "
                f"Received: interpolation={interpolation!r}"
            )
        check_choice(interpolation, tuple(RESIZE_INTERPOLATIONS), "interpolation")
        if fill_mode != "constant":
            raise ValueError(
                f"Invalid value for argument `fill_mode`. Only `'constant'` is supported. "
                f"Received: fill_mode={fill_mode!r}"
            )
        if crop_to_aspect_ratio and pad_to_aspect_ratio:
            raise ValueError(
                "Only one of `pad_to_aspect_ratio` & `crop_to_aspect_ratio` can be `True`. "
                f"Received: crop_to_aspect_ratio={crop_to_aspect_ratio}, "
                f"pad_to_aspect_ratio={pad_to_aspect_ratio}"
            )
        self.interpolation = interpolation
        self.crop_to_aspect_ratio = bool(crop_to_aspect_ratio)
        self.pad_to_aspect_ratio = bool(pad_to_aspect_ratio)
        self.fill_mode = fill_mode
        self.fill_value = fill_value
        self.antialias = bool(antialias)

    def call(self, inputs: torch.Tensor) -> torch.Tensor:
        self._check_rank(inputs)
        images = inputs
        if images.is_floating_point():
            images = self._to_compute_dtype(images)
        return resize(
            images,
            (self.height, self.width),
            interpolation=self.interpolation,
            antialias=self.antialias,
            crop_to_aspect_ratio=self.crop_to_aspect_ratio,
            pad_to_aspect_ratio=self.pad_to_aspect_ratio,
            fill_value=self.fill_value,
            data_format=self.data_format,
        )

    def compute_output_shape(self, input_shape: Any) -> Any:
        return self._with_spatial_shape(input_shape, self.height, self.width)

    def get_config(self) -> dict[str, Any]:
        return {
            **super().get_config(),
            "height": self.height,
            "width": self.width,
            "interpolation": self.interpolation,
            "crop_to_aspect_ratio": self.crop_to_aspect_ratio,
            "pad_to_aspect_ratio": self.pad_to_aspect_ratio,
            "fill_mode": self.fill_mode,
            "fill_value": self.fill_value,
            "antialias": self.antialias,
        }
