"""`RandomContrast`: randomly adjusts image contrast during training."""

from __future__ import annotations

from typing import Any

import torch

from torchkeras_lite.layers.preprocessing.base_random_layer import BaseRandomLayer, parse_factor
from torchkeras_lite.ops.image import adjust_contrast


class RandomContrast(BaseRandomLayer):
    """Scales each image channel's deviation from its mean by a random factor during training.

    Each pixel becomes `(x - mean) * c + mean` (the mean over the channel of that image), then is
    clipped to `value_range`; `c` is drawn per image from `[1 - lower, 1 + upper]`. Inputs pass
    through unchanged at inference.

    Args:
        factor: `(lower, upper)` in [0, 1]; a single number `f` means `(0, f)` (Keras' rule, so
            contrast only increases), i.e. `c` in `[1, 1 + f]`.
        value_range: `(low, high)`, the range of the input values, e.g. `(0, 255)` (default) or
            `(0, 1)`; outputs are clipped to it.
        seed: an int for a reproducible sequence of factors.
        data_format: `"channels_last"` or `"channels_first"`.
        **kwargs: base layer arguments (`name`, `dtype`, ...).

    Input shape:
        3D (unbatched) or 4D (batched) images in `data_format`.

    Output shape:
        the input shape.

    Example:
        >>> layer = keras.layers.RandomContrast((0.5, 0.5), value_range=(0, 1), seed=2)
        >>> out = layer(torch.rand(2, 8, 8, 3), training=True)
        >>> bool(out.min() >= 0 and out.max() <= 1)
        True
    """

    def __init__(
        self,
        factor: float | tuple[float, float],
        value_range: tuple[float, float] = (0, 255),
        seed: int | None = None,
        data_format: str | None = None,
        **kwargs: Any,
    ):
        super().__init__(seed=seed, data_format=data_format, **kwargs)
        self.factor = parse_factor(factor, (0, 1))
        if (
            not isinstance(value_range, (tuple, list))
            or len(value_range) != 2
            or value_range[0] > value_range[1]
        ):
            raise ValueError(
                "The `value_range` argument should be a list of two numbers `(low, high)` with "
                f"low <= high. Received: value_range={value_range!r}"
            )
        self.value_range = tuple(value_range)

    def call(self, inputs: torch.Tensor, training: bool | None = None) -> torch.Tensor:
        self._check_rank(inputs)
        if not training:
            return inputs
        images = self._to_compute_dtype(inputs)
        shape = (images.shape[0], 1, 1, 1) if images.dim() == 4 else (1, 1, 1)
        lower, upper = self.factor
        factor = self._uniform(shape, 1.0 - lower, 1.0 + upper, images).to(images.dtype)
        out = adjust_contrast(images, factor, self.data_format)
        return out.clamp(self.value_range[0], self.value_range[1])

    def get_config(self) -> dict[str, Any]:
        return {**super().get_config(), "factor": self.factor, "value_range": self.value_range}
