"""`AlphaDropout`: dropout that keeps SELU activations self-normalizing."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import torch

from torchkeras_lite.layers.layer import Layer
from torchkeras_lite.layers.regularization.base_noise import SeededNoiseMixin, check_seed
from torchkeras_lite.layers.regularization.dropout import _check_noise_shape, check_rate

_SELU_ALPHA = 1.6732632423543772848170429916717
_SELU_SCALE = 1.0507009873554804934193349852946


def alpha_dropout(
    x: torch.Tensor,
    rate: float,
    noise_shape: Sequence[int | None] | None = None,
    generator: torch.Generator | None = None,
) -> torch.Tensor:
    """Sets dropped entries to SELU's negative saturation value, then applies the affine map
    that restores the input's mean and variance (Klambauer et al., 2017).

    Args:
        x: the input.
        rate: the drop probability, in [0, 1).
        noise_shape: the keep mask's shape, broadcast over `x` (None entries take `x`'s size).
        generator: a seeded generator (None: torch's global generator).
    """
    alpha_p = -_SELU_ALPHA * _SELU_SCALE
    shape = x.shape if noise_shape is None else [x.shape[i] if d is None else d for i, d in
                                                 enumerate(noise_shape)]  # fmt: skip
    keep = torch.rand(shape, generator=generator, device=x.device) >= rate
    a = ((1 - rate) * (1 + rate * alpha_p**2)) ** -0.5
    b = -a * alpha_p * rate
    return torch.where(keep, x, torch.full((), alpha_p, dtype=x.dtype, device=x.device)) * a + b


class AlphaDropout(SeededNoiseMixin, Layer):
    """Alpha dropout: like Dropout, but dropped entries take SELU's saturation value and the
    result is rescaled so that mean and variance are kept (for self-normalizing networks).

    Active only in training. Masks pass through.

    Args:
        rate: float in [0, 1], the drop probability (1 is accepted but cannot be trained with).
        noise_shape: the shape of the keep mask, broadcast over the inputs (None: the input's).
        seed: an int makes the sequence of masks reproducible.
        **kwargs: base layer arguments (`name`, `dtype`, ...).

    Input shape:
        any.

    Output shape:
        the input shape.

    Example:
        >>> layer = keras.layers.AlphaDropout(0.2, seed=0)
        >>> out = layer(torch.randn(1000), training=True)
        >>> abs(float(out.mean())) < 0.2
        True
    """

    def __init__(
        self,
        rate: float,
        noise_shape: Sequence[int | None] | None = None,
        seed: int | None = None,
        **kwargs: Any,
    ):
        check_rate(rate)
        check_seed(seed)
        noise_shape = _check_noise_shape(noise_shape)
        super().__init__(**kwargs)
        self.rate = rate
        self.seed = seed
        self.noise_shape = noise_shape
        self.supports_masking = True

    def call(self, inputs: torch.Tensor, training: bool | None = None) -> torch.Tensor:
        if training and self.rate > 0:
            if self.rate >= 1:
                raise ValueError(
                    "AlphaDropout cannot run in training with rate=1: no input is kept, so the "
                    f"output's variance cannot be restored. Received: rate={self.rate}"
                )
            return alpha_dropout(
                inputs, self.rate, self.noise_shape, self._generator(inputs.device)
            )
        return inputs

    def compute_output_shape(self, input_shape: Any) -> Any:
        return input_shape

    def get_config(self) -> dict[str, Any]:
        noise_shape = list(self.noise_shape) if self.noise_shape is not None else None
        return {
            **super().get_config(),
            "rate": self.rate,
            "seed": self.seed,
            "noise_shape": noise_shape,
        }
