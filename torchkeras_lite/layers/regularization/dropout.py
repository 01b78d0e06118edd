"""`Dropout`: randomly zeroes inputs during training."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import torch

from torchkeras_lite.layers.layer import Layer
from torchkeras_lite.layers.regularization.base_noise import SeededNoiseMixin, check_seed
from torchkeras_lite.ops.nn import dropout


def check_rate(rate: Any) -> None:
    if isinstance(rate, bool) or not isinstance(rate, (int, float)) or not 0 <= rate <= 1:
        raise ValueError(
            "Invalid value received for argument `rate`. Expected a float value between 0 and 1. "
            f"Received: rate={rate!r}"
        )


def _check_noise_shape(noise_shape: Any) -> tuple | None:
    if noise_shape is None:
        return None
    msg = "Invalid value received for argument `noise_shape`. Expected a tuple or list of integers"
    if isinstance(noise_shape, str) or not isinstance(noise_shape, Sequence):
        raise ValueError(f"{msg}. Received: noise_shape={noise_shape!r}")
    for dim in noise_shape:
        if dim is not None and (not isinstance(dim, int) or isinstance(dim, bool) or dim <= 0):
            raise ValueError(
                f"{msg} (positive) or None. Received: noise_shape={tuple(noise_shape)!r}"
            )
    return tuple(noise_shape)


class Dropout(SeededNoiseMixin, Layer):
    """Sets inputs to 0 with probability `rate` during training, scaling the rest by `1/(1-rate)`.

    Inactive at inference (`training=False`, the default outside a training loop). Masks pass
    through. Without `seed` and `noise_shape` it runs torch's fused `F.dropout`.

    Args:
        rate: float in [0, 1], the fraction of the inputs to drop (1 drops everything).
        noise_shape: the shape of the binary mask, broadcast over the inputs; None entries take
            the input's size, e.g. `(None, 1, features)` drops the same features at all timesteps.
        seed: an int makes the sequence of masks reproducible.
        **kwargs: base layer arguments (`name`, `dtype`, ...).

    Input shape:
        any.

    Output shape:
        the input shape.

    Example:
        >>> layer = keras.layers.Dropout(0.5, seed=1)
        >>> out = layer(torch.ones(2, 4), training=True)
        >>> sorted(set(out.flatten().tolist())) in ([0.0, 2.0], [2.0], [0.0])
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

    def _noise_shape(self, inputs: torch.Tensor) -> tuple | None:
        return self.noise_shape

    def call(self, inputs: torch.Tensor, training: bool | None = None) -> torch.Tensor:
        if training and self.rate > 0:
            return dropout(
                inputs, self.rate, self._noise_shape(inputs), self._generator(inputs.device)
            )
        return inputs

    def compute_output_shape(self, input_shape: Any) -> Any:
        return input_shape

    def get_config(self) -> dict[str, Any]:
        return {
            **super().get_config(),
            "rate": self.rate,
            "seed": self.seed,
            "noise_shape": self.noise_shape,
        }
