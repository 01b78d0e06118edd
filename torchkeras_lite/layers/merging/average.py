"""`Average`: element-wise mean of a list of inputs (and its functional form `average`)."""

from __future__ import annotations

from typing import Any

import torch

from torchkeras_lite.layers.merging.base_merge import Merge


class Average(Merge):
    """Averages a list of inputs element-wise.

    Masks: the output mask is the OR of the inputs' masks (None if any input is unmasked).

    Args:
        **kwargs: base layer arguments (`name`, `dtype`, ...).

    Input shape:
        a list of at least 1 tensors of broadcast-compatible shapes.

    Output shape:
        the broadcast shape of the inputs.

    Example:
        >>> x1, x2 = torch.tensor([[1.0, 5.0]]), torch.tensor([[3.0, 2.0]])
        >>> keras.layers.Average()([x1, x2]).tolist()
        [[2.0, 3.5]]
    """

    def _merge_function(
        self, inputs: list[torch.Tensor], masks: list[torch.Tensor | None] | None
    ) -> torch.Tensor:
        out = inputs[0]
        for x in inputs[1:]:
            out = out + x
        return out / len(inputs)


def average(inputs: list[torch.Tensor], **kwargs: Any) -> torch.Tensor:
    """Functional interface to the `Average` layer: `Average(**kwargs)(inputs)`.

    Args:
        inputs: a list of at least 1 input tensors.
        **kwargs: base layer arguments.

    Example:
        >>> keras.layers.average([torch.tensor([[1.0, 5.0]]), torch.tensor([[3.0, 2.0]])]).tolist()
        [[2.0, 3.5]]
    """
    return Average(**kwargs)(inputs)
