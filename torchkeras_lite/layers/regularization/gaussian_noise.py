"""`GaussianNoise`: adds zero-centred normal noise during training."""

from __future__ import annotations

from typing import Any

import torch

from torchkeras_lite.layers.layer import Layer
from torchkeras_lite.layers.regularization.base_noise import SeededNoiseMixin, check_seed
from torchkeras_lite.ops.nn import gaussian_noise


class GaussianNoise(SeededNoiseMixin, Layer):
    """Adds normal noise of standard deviation `stddev` to its inputs, in training only.

    A regularizer (a form of data augmentation for real-valued inputs). Masks pass through.

    Args:
        stddev: float in [0, 1], the standard deviation of the noise.
        seed: an int makes the sequence of noise draws reproducible.
        **kwargs: base layer arguments (`name`, `dtype`, ...).

    Input shape:
        any.

    Output shape:
        the input shape.

    Example:
        >>> layer = keras.layers.GaussianNoise(0.1, seed=0)
        >>> x = torch.zeros(1000)
        >>> bool(layer(x).eq(0).all()), round(float(layer(x, training=True).std()), 1)
        (True, 0.1)
    """

    def __init__(self, stddev: float, seed: int | None = None, **kwargs: Any):
        if isinstance(stddev, bool) or not isinstance(stddev, (int, float)) or not 0 <= stddev <= 1:
            raise ValueError(
                "Invalid value received for argument `stddev`. Expected a float value between 0 "
                f"and 1. Received: stddev={stddev!r}"
            )
        check_seed(seed)
        super().__init__(**kwargs)
        self.stddev = stddev
        self.seed = seed
        self.supports_masking = True

    def call(self, inputs: torch.Tensor, training: bool | None = None) -> torch.Tensor:
        if training and self.stddev > 0:
            return gaussian_noise(inputs, self.stddev, self._generator(inputs.device))
        return inputs

    def compute_output_shape(self, input_shape: Any) -> Any:
        return input_shape

    def get_config(self) -> dict[str, Any]:
        return {**super().get_config(), "stddev": self.stddev, "seed": self.seed}
