"""`Multiply`: element-wise product of a list of inputs (and its functional form `multiply`)."""

from __future__ import annotations

from typing import Any

import torch

from torchkeras_lite.layers.merging.base_merge import Merge
from torchkeras_lite.ops import merging as merging_ops


class Multiply(Merge):
    """Multiplies a list of inputs element-wise.

    Masks: masked entries count as 1; when every input is masked, positions masked in all of them
    are 0 and the output mask is the OR of the masks.

    Args:
        **kwargs: base layer arguments (`name`, `dtype`, ...).

    Input shape:
        a list of at least 1 tensors of broadcast-compatible shapes.

    Output shape:
        the broadcast shape of the inputs.

    Example:
        >>> x1, x2 = torch.tensor([[1.0, 5.0]]), torch.tensor([[3.0, 2.0]])
        >>> keras.layers.Multiply()([x1, x2]).tolist()
        [[3.0, 10.0]]
    """

    def _merge_function(
        self, inputs: list[torch.Tensor], masks: list[torch.Tensor | None] | None
    ) -> torch.Tensor:
        return merging_ops.masked_product(inputs, masks)


def multiply(inputs: list[torch.Tensor], **kwargs: Any) -> torch.Tensor:
    """Functional interface to the `Multiply` layer: `Multiply(**kwargs)(inputs)`.

    Args:
        inputs: a list of at least 1 input tensors.
        **kwargs: base layer arguments.

    Example:
        >>> keras.layers.multiply([torch.tensor([[1.0, 5.0]]), torch.tensor([[3.0, 2.0]])]).tolist()
        [[3.0, 10.0]]
    """
    return Multiply(**kwargs)(inputs)
