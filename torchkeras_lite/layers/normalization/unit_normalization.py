"""`UnitNormalization`: scales each sample to unit L2 norm along the given axes."""

from __future__ import annotations

from typing import Any

import torch
import torch.nn.functional as F

from torchkeras_lite.layers.layer import Layer


def unit_normalize(x: torch.Tensor, axis: int | tuple[int, ...], epsilon: float) -> torch.Tensor:
    """`x / max(||x||_2, epsilon)` with the norm taken jointly over `axis`."""
    if isinstance(axis, int):
        return F.normalize(x, p=2.0, dim=axis, eps=epsilon)
    norm = torch.linalg.vector_norm(x, ord=2, dim=axis, keepdim=True)
    return x / norm.clamp_min(epsilon)


class UnitNormalization(Layer):
    """Normalizes each sample to unit L2 norm: `x / sqrt(sum(x ** 2))` over `axis` (the norm is
    floored at 1e-12, as in Keras). Masks pass through.

    Args:
        axis: an int or a list of ints, the axes the norm is taken over.
        **kwargs: base layer arguments (`name`, `dtype`, ...).

    Input shape:
        any.

    Output shape:
        the input shape.

    Example:
        >>> keras.layers.UnitNormalization()(torch.tensor([[3.0, 4.0]])).tolist()
        [[0.6000000238418579, 0.800000011920929]]
    """

    _epsilon = 1e-12

    def __init__(self, axis: int | list[int] = -1, **kwargs: Any):
        if isinstance(axis, (list, tuple)) and all(
            isinstance(a, int) and not isinstance(a, bool) for a in axis
        ):
            axis = list(axis)
        elif not isinstance(axis, int) or isinstance(axis, bool):
            raise TypeError(
                "Invalid value for `axis` argument: expected an int or a list/tuple of ints. "
                f"Received: axis={axis!r}"
            )
        super().__init__(**kwargs)
        self.axis = axis
        self.supports_masking = True
        self._axis = axis if isinstance(axis, int) else tuple(axis)

    def call(self, inputs: torch.Tensor) -> torch.Tensor:
        return unit_normalize(inputs, self._axis, self._epsilon)

    def compute_output_shape(self, input_shape: Any) -> Any:
        rank = len(input_shape)
        for a in [self.axis] if isinstance(self.axis, int) else self.axis:
            if not -rank <= a < rank:
                raise ValueError(
                    f"Axis {a} is out of bounds for input shape {tuple(input_shape)}. "
                    f"Received: axis={self.axis}"
                )
        return input_shape

    def get_config(self) -> dict[str, Any]:
        return {**super().get_config(), "axis": self.axis}
