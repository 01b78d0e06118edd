"""`SpatialDropout1D/2D/3D`: drop whole feature maps (channels) instead of single entries."""

from __future__ import annotations

from typing import Any

import torch

from torchkeras_lite.backend import standardize_data_format
from torchkeras_lite.layers.input_spec import InputSpec
from torchkeras_lite.layers.regularization.dropout import Dropout


class BaseSpatialDropout(Dropout):
    """Shared logic: the dropout mask has size 1 on every spatial axis.

    Keras' spatial dropouts take only `rate`, `seed`, `name` and `dtype` (plus `data_format`
    for 2D/3D); so do these.
    """

    _rank = 1

    def __init__(
        self, rate: float, seed: int | None = None, name: str | None = None, dtype: Any = None
    ):
        super().__init__(rate, seed=seed, name=name, dtype=dtype)
        self.input_spec = InputSpec(ndim=self._rank + 2)

    def _channels_first(self) -> bool:
        return getattr(self, "data_format", "channels_last") == "channels_first"

    def _noise_shape(self, inputs: torch.Tensor) -> tuple:
        shape = [1] * inputs.dim()
        shape[0] = inputs.shape[0]
        channel = 1 if self._channels_first() else -1
        shape[channel] = inputs.shape[channel]
        return tuple(shape)

    def get_config(self) -> dict[str, Any]:
        return {
            "rate": self.rate,
            "seed": self.seed,
            "name": self.name,
            "dtype": self.dtype_policy.name,
        }


class SpatialDropout1D(BaseSpatialDropout):
    """Drops entire 1D feature maps: each channel is zeroed at all timesteps together.

    Helps when adjacent timesteps are strongly correlated, where element-wise dropout barely
    regularizes. Inactive at inference.

    Args:
        rate: float in [0, 1], the fraction of channels to drop.
        seed: an int makes the sequence of masks reproducible.
        name: the layer's name.
        dtype: the layer's dtype policy.

    Input shape:
        3D tensor `(samples, timesteps, channels)`.

    Output shape:
        the input shape.

    Example:
        >>> out = keras.layers.SpatialDropout1D(0.5)(torch.ones(2, 5, 3), training=True)
        >>> bool((out == out[:, :1]).all())  # the same channels are dropped at every step
        True
    """

    _rank = 1


class _SpatialDropoutND(BaseSpatialDropout):
    def __init__(
        self,
        rate: float,
        data_format: str | None = None,
        seed: int | None = None,
        name: str | None = None,
        dtype: Any = None,
    ):
        super().__init__(rate, seed=seed, name=name, dtype=dtype)
        self.data_format = standardize_data_format(data_format)

    def get_config(self) -> dict[str, Any]:
        return {**super().get_config(), "data_format": self.data_format}


class SpatialDropout2D(_SpatialDropoutND):
    """Drops entire 2D feature maps (channels) of an image batch. Inactive at inference.

    Args:
        rate: float in [0, 1], the fraction of channels to drop.
        data_format: `"channels_last"` (`(samples, rows, cols, channels)`) or `"channels_first"`;
            default `keras.config.image_data_format()`.
        seed: an int makes the sequence of masks reproducible.
        name: the layer's name.
        dtype: the layer's dtype policy.

    Input shape:
        4D tensor, `(samples, rows, cols, channels)` or `(samples, channels, rows, cols)`.

    Output shape:
        the input shape.

    Example:
        >>> keras.layers.SpatialDropout2D(0.5)(torch.ones(2, 4, 4, 3), training=True).shape
        torch.Size([2, 4, 4, 3])
    """

    _rank = 2


class SpatialDropout3D(_SpatialDropoutND):
    """Drops entire 3D feature maps (channels) of a volume batch. Inactive at inference.

    Args:
        rate: float in [0, 1], the fraction of channels to drop.
        data_format: `"channels_last"` (`(samples, d1, d2, d3, channels)`) or
            `"channels_first"`; default `keras.config.image_data_format()`.
        seed: an int makes the sequence of masks reproducible.
        name: the layer's name.
        dtype: the layer's dtype policy.

    Input shape:
        5D tensor.

    Output shape:
        the input shape.

    Example:
        >>> keras.layers.SpatialDropout3D(0.5)(torch.ones(1, 2, 2, 2, 3), training=True).shape
        torch.Size([1, 2, 2, 2, 3])
    """

    _rank = 3
