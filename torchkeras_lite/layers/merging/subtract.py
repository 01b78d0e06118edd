"""`Subtract`: element-wise difference of two inputs (and its functional form `subtract`)."""

from __future__ import annotations

from typing import Any

import torch

from torchkeras_lite.layers.merging.base_merge import Merge


class Subtract(Merge):
    """Subtracts two inputs element-wise: `inputs[0] - inputs[1]`.

    Masks: the output mask is the OR of the inputs' masks (None if any input is unmasked).

    Args:
        **kwargs: base layer arguments (`name`, `dtype`, ...).

    Input shape:
        a list of exactly 2 tensors of broadcast-compatible shapes.

    Output shape:
        the broadcast shape of the inputs.

    Example:
        >>> x1, x2 = torch.tensor([[1.0, 5.0]]), torch.tensor([[3.0, 2.0]])
        >>> keras.layers.Subtract()([x1, x2]).tolist()
        [[-2.0, 3.0]]
    """

    _min_inputs = 2
    _max_inputs = 2

    def _merge_function(
        self, inputs: list[torch.Tensor], masks: list[torch.Tensor | None] | None
    ) -> torch.Tensor:
        return inputs[0] - inputs[1]


def subtract(inputs: list[torch.Tensor], **kwargs: Any) -> torch.Tensor:
    """Functional interface to the `Subtract` layer: `Subtract(**kwargs)(inputs)`.

    Args:
        inputs: a list of exactly 2 input tensors.
        **kwargs: base layer arguments.

    Example:
        >>> keras.layers.subtract([torch.tensor([[1.0, 5.0]]), torch.tensor([[3.0, 2.0]])]).tolist()
        [[-2.0, 3.0]]
    """
    return Subtract(**kwargs)(inputs)
