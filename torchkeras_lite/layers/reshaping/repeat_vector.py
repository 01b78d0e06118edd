"""`RepeatVector`: repeats a vector `n` times along a new time axis."""

from __future__ import annotations

from typing import Any

import torch

from torchkeras_lite.layers.input_spec import InputSpec
from torchkeras_lite.layers.layer import Layer


class RepeatVector(Layer):
    """Repeats each input vector `n` times: `(batch, features)` -> `(batch, n, features)`.

    Args:
        n: positive integer, the repetition factor.
        **kwargs: base layer arguments (`name`, `dtype`, ...).

    Input shape:
        2D tensor `(batch_size, features)`.

    Output shape:
        3D tensor `(batch_size, n, features)`.

    Example:
        >>> keras.layers.RepeatVector(3)(torch.ones(2, 32)).shape
        torch.Size([2, 3, 32])
    """

    def __init__(self, n: int, **kwargs: Any):
        if not isinstance(n, int) or isinstance(n, bool):
            raise TypeError(
                f"Expected an integer value for `n`. Received: n={n!r} of type {type(n)}"
            )
        if n <= 0:
            raise ValueError(f"Argument `n` should be a positive integer. Received: n={n}")
        super().__init__(**kwargs)
        self.n = n
        self.input_spec = InputSpec(ndim=2)

    def call(self, inputs: torch.Tensor) -> torch.Tensor:
        return inputs.unsqueeze(1).expand(-1, self.n, -1).contiguous()

    def compute_output_shape(self, input_shape: tuple) -> tuple:
        return (input_shape[0], self.n, input_shape[1])

    def get_config(self) -> dict[str, Any]:
        return {**super().get_config(), "n": self.n}
