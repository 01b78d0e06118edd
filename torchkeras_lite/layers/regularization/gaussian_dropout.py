"""`GaussianDropout`: multiplies inputs by 1-centred normal noise during training."""

from __future__ import annotations

import math
from typing import Any

import torch

from torchkeras_lite.layers.layer import Layer
from torchkeras_lite.layers.regularization.base_noise import SeededNoiseMixin, check_seed
from torchkeras_lite.layers.regularization.dropout import check_rate


def gaussian_dropout(
    x: torch.Tensor, rate: float, generator: torch.Generator | None = None
) -> torch.Tensor:
    """`x * N(1, sqrt(rate / (1 - rate)))`, the noise drawn per entry."""
    stddev = math.sqrt(rate / (1.0 - rate))
    return x * torch.empty_like(x).normal_(1.0, stddev, generator=generator)


class GaussianDropout(SeededNoiseMixin, Layer):
    """Multiplicative Gaussian noise with mean 1 and standard deviation
    `sqrt(rate / (1 - rate))`, the same variance as Dropout at `rate`; active only in training.

    Masks pass through.

    Args:
        rate: float in [0, 1], the equivalent drop probability (1 cannot be trained with).
        seed: an int makes the sequence of noise draws reproducible.
        **kwargs: base layer arguments (`name`, `dtype`, ...).

    Input shape:
        any.

    Output shape:
        the input shape.

    Example:
        >>> layer = keras.layers.GaussianDropout(0.5, seed=0)
        >>> x = torch.ones(10000)
        >>> round(float(layer(x, training=True).std()), 1)
        1.0
    """

    def __init__(self, rate: float, seed: int | None = None, **kwargs: Any):
        check_rate(rate)
        check_seed(seed)
        super().__init__(**kwargs)
        self.rate = rate
        self.seed = seed
        self.supports_masking = True

    def call(self, inputs: torch.Tensor, training: bool | None = None) -> torch.Tensor:
        if training and self.rate > 0:
            if self.rate >= 1:
                raise ValueError(
                    "GaussianDropout cannot run in training with rate=1: the noise's standard "
                    f"deviation sqrt(rate / (1 - rate)) is infinite. Received: rate={self.rate}"
                )
            return gaussian_dropout(inputs, self.rate, self._generator(inputs.device))
        return inputs

    def compute_output_shape(self, input_shape: Any) -> Any:
        return input_shape

    def get_config(self) -> dict[str, Any]:
        return {**super().get_config(), "rate": self.rate, "seed": self.seed}
