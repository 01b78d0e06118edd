"""`LeakyReLU`: the leaky rectified linear unit as a layer."""

from __future__ import annotations

import warnings
from typing import Any

import torch
import torch.nn.functional as F

from torchkeras_lite.layers.layer import Layer


class LeakyReLU(Layer):
    """Leaky ReLU: `x` for `x >= 0`, `negative_slope * x` otherwise.

    Keras' default slope is 0.3 (torch's `nn.LeakyReLU` uses 0.01). Masks pass through.

    Args:
        negative_slope: non-negative slope of the negative part. (The deprecated keyword
            `alpha` is accepted too, with a warning, as in Keras.)
        **kwargs: base layer arguments (`name`, `dtype`, ...).

    Input shape:
        any.

    Output shape:
        the input shape.

    Example:
        >>> keras.layers.LeakyReLU()(torch.tensor([-1.0, 2.0])).tolist()
        [-0.30000001192092896, 2.0]
    """

    def __init__(self, negative_slope: float = 0.3, **kwargs: Any):
        if "alpha" in kwargs:
            negative_slope = kwargs.pop("alpha")
            warnings.warn("Argument `alpha` is deprecated. Use `negative_slope` instead.")
        if (
            isinstance(negative_slope, bool)
            or not isinstance(negative_slope, (int, float))
            or negative_slope < 0
        ):
            raise ValueError(
                "The negative_slope value of a Leaky ReLU layer cannot be None or negative "
                f"value. Expected a float. Received: negative_slope={negative_slope!r}"
            )
        super().__init__(**kwargs)
        self.negative_slope = negative_slope
        self.supports_masking = True

    def call(self, inputs: torch.Tensor) -> torch.Tensor:
        return F.leaky_relu(inputs, self.negative_slope)

    def compute_output_shape(self, input_shape: Any) -> Any:
        return input_shape

    def get_config(self) -> dict[str, Any]:
        return {**super().get_config(), "negative_slope": self.negative_slope}
