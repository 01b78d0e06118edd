"""`Identity`: returns its inputs unchanged (a placeholder, e.g. for an optional block)."""

from __future__ import annotations

from typing import Any

from torchkeras_lite.layers.layer import Layer


class Identity(Layer):
    """Returns its inputs as they are; masks pass through.

    Args:
        **kwargs: base layer arguments (`name`, `dtype`, ...).

    Input shape:
        any.

    Output shape:
        the input shape.

    Example:
        >>> x = torch.ones(2, 3)
        >>> keras.layers.Identity()(x) is x
        True
    """

    def __init__(self, **kwargs: Any):
        super().__init__(**kwargs)
        self.supports_masking = True

    def call(self, inputs: Any) -> Any:
        return inputs

    def compute_output_shape(self, input_shape: Any) -> Any:
        return input_shape
