"""`ReLU`: the rectified linear unit as a layer, with Keras' cap, slope and threshold."""

from __future__ import annotations

from typing import Any

import torch

from torchkeras_lite import activations
from torchkeras_lite.layers.layer import Layer


def _check_non_negative(name: str, value: Any, allow_none: bool = False) -> None:
    if value is None and allow_none:
        return
    if isinstance(value, bool) or not isinstance(value, (int, float)) or value < 0:
        raise ValueError(
            f"{name} of a ReLU layer cannot be None or a negative value. Received: {name}={value!r}"
        )


class ReLU(Layer):
    """Rectified linear unit: `max_value` above it, `x` from `threshold` up, and
    `negative_slope * (x - threshold)` below the threshold.

    Masks pass through.

    Args:
        max_value: a non-negative cap on the output (None: no cap).
        negative_slope: non-negative slope below the threshold.
        threshold: non-negative threshold below which values are damped.
        **kwargs: base layer arguments (`name`, `dtype`, ...).

    Input shape:
        any.

    Output shape:
        the input shape.

    Example:
        >>> keras.layers.ReLU(max_value=6.0)(torch.tensor([-3.0, 2.0, 9.0])).tolist()
        [0.0, 2.0, 6.0]
    """

    def __init__(
        self,
        max_value: float | None = None,
        negative_slope: float = 0.0,
        threshold: float = 0.0,
        **kwargs: Any,
    ):
        _check_non_negative("max_value", max_value, allow_none=True)
        _check_non_negative("negative_slope", negative_slope)
        _check_non_negative("threshold", threshold)
        super().__init__(**kwargs)
        self.max_value = max_value
        self.negative_slope = negative_slope
        self.threshold = threshold
        self.supports_masking = True

    def call(self, inputs: torch.Tensor) -> torch.Tensor:
        return activations.relu(
            inputs,
            negative_slope=self.negative_slope,
            max_value=self.max_value,
            threshold=self.threshold,
        )

    def compute_output_shape(self, input_shape: Any) -> Any:
        return input_shape

    def get_config(self) -> dict[str, Any]:
        return {
            **super().get_config(),
            "max_value": self.max_value,
            "negative_slope": self.negative_slope,
            "threshold": self.threshold,
        }
