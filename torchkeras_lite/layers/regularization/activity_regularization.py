"""`ActivityRegularization`: passes inputs through and adds an L1/L2 penalty on them."""

from __future__ import annotations

from typing import Any

import torch

from torchkeras_lite import regularizers
from torchkeras_lite.layers.layer import Layer


class ActivityRegularization(Layer):
    """Returns its inputs unchanged and adds `l1 * sum(|x|) + l2 * sum(x ** 2)` to `losses`.

    Masks pass through.

    Args:
        l1: L1 regularization factor (non-negative).
        l2: L2 regularization factor (non-negative).
        **kwargs: base layer arguments (`name`, `dtype`, ...).

    Input shape:
        any.

    Output shape:
        the input shape.

    Example:
        >>> layer = keras.layers.ActivityRegularization(l1=0.1)
        >>> _ = layer(torch.tensor([[1.0, -2.0]]))
        >>> round(float(layer.losses[0]), 4)
        0.3
    """

    def __init__(self, l1: float = 0.0, l2: float = 0.0, **kwargs: Any):
        for name, value in (("l1", l1), ("l2", l2)):
            if isinstance(value, bool) or not isinstance(value, (int, float)) or value < 0:
                raise ValueError(
                    f"Argument `{name}` of ActivityRegularization must be a non-negative number. "
                    f"Received: {name}={value!r}"
                )
        super().__init__(activity_regularizer=regularizers.L1L2(l1=l1, l2=l2), **kwargs)
        self.supports_masking = True
        self.l1 = l1
        self.l2 = l2

    def call(self, inputs: torch.Tensor) -> torch.Tensor:
        return inputs

    def compute_output_shape(self, input_shape: Any) -> Any:
        return input_shape

    def get_config(self) -> dict[str, Any]:
        config = super().get_config()
        config.pop("activity_regularizer", None)
        return {**config, "l1": self.l1, "l2": self.l2}
