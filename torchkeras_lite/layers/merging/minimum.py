"""`Minimum`: element-wise minimum of a list of inputs (and its functional form `minimum`)."""

from __future__ import annotations

from typing import Any

import torch

from torchkeras_lite.layers.merging.base_merge import Merge
from torchkeras_lite.ops import merging as merging_ops


class Minimum(Merge):
    """Takes the element-wise minimum of a list of inputs.

    Masks: a masked entry never wins against an unmasked one; the output mask is the OR of the
    inputs' masks (None if any input is unmasked).

    Args:
        **kwargs: base layer arguments (`name`, `dtype`, ...).

    Input shape:
        a list of at least 1 tensors of broadcast-compatible shapes.

    Output shape:
        the broadcast shape of the inputs.

    Example:
        >>> x1, x2 = torch.tensor([[1.0, 5.0]]), torch.tensor([[3.0, 2.0]])
        >>> keras.layers.Minimum()([x1, x2]).tolist()
        [[1.0, 2.0]]
    """

    def _merge_function(
        self, inputs: list[torch.Tensor], masks: list[torch.Tensor | None] | None
    ) -> torch.Tensor:
        return merging_ops.extremum(inputs, masks, torch.minimum)


def minimum(inputs: list[torch.Tensor], **kwargs: Any) -> torch.Tensor:
    """Functional interface to the `Minimum` layer: `Minimum(**kwargs)(inputs)`.

    Args:
        inputs: a list of at least 1 input tensors.
        **kwargs: base layer arguments.

    Example:
        >>> keras.layers.minimum([torch.tensor([[1.0, 5.0]]), torch.tensor([[3.0, 2.0]])]).tolist()
        [[1.0, 2.0]]
    """
    return Minimum(**kwargs)(inputs)
