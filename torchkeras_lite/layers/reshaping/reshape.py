"""`Reshape`: reshapes the non-batch axes to a target shape."""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import torch

from torchkeras_lite.layers.layer import Layer


def _validate_target_shape(target_shape: Sequence[int]) -> tuple[int, ...]:
    target = tuple(target_shape)
    for d in target:
        if isinstance(d, bool) or not isinstance(d, int) or d < -1:
            raise ValueError(
                "Each dimension in `target_shape` must be a non-negative integer, or `-1` for a "
                f"single unknown dimension. Received: target_shape={target}"
            )
    if target.count(-1) > 1:
        raise ValueError(
            "There must be at most one unknown dimension (-1) in `target_shape`. "
            f"Received: target_shape={target}"
        )
    return target


def resolve_target_shape(input_shape: Sequence[int | None], target: tuple[int, ...]) -> tuple:
    """The target shape with its -1 resolved (None when the input size is unknown)."""
    input_shape = tuple(input_shape)
    if any(d is None for d in input_shape):
        return tuple(None if d == -1 else d for d in target)
    size = math.prod(input_shape)
    if -1 not in target:
        if size != math.prod(target):
            raise ValueError(
                "The total size of the tensor must be unchanged. Received: "
                f"input_shape={input_shape}, target_shape={target}"
            )
        return target
    known = math.prod(d for d in target if d != -1)
    if known == 0 or size % known:
        raise ValueError(
            "The total size of the tensor must be unchanged, however, the input size cannot be "
            "divided by the specified dimensions in target_shape. Received: "
            f"input_shape={input_shape}, target_shape={target}"
        )
    return tuple(size // known if d == -1 else d for d in target)


class Reshape(Layer):
    """Reshapes each sample to `target_shape` (the batch axis is kept).

    Args:
        target_shape: the shape of each output sample (without the batch axis); one entry may be
            -1, inferred from the input size.
        **kwargs: base layer arguments (`name`, `dtype`, ...).

    Input shape:
        `(batch_size, ...)` with as many elements per sample as `target_shape`.

    Output shape:
        `(batch_size, *target_shape)`.

    Example:
        >>> keras.layers.Reshape((3, -1))(torch.ones(2, 12)).shape
        torch.Size([2, 3, 4])
    """

    def __init__(self, target_shape: Sequence[int], **kwargs: Any):
        target = _validate_target_shape(target_shape)
        super().__init__(**kwargs)
        self.target_shape = target

    def call(self, inputs: torch.Tensor) -> torch.Tensor:
        target = resolve_target_shape(inputs.shape[1:], self.target_shape)
        return inputs.reshape(inputs.shape[0], *target)

    def compute_output_shape(self, input_shape: tuple) -> tuple:
        return (input_shape[0], *resolve_target_shape(tuple(input_shape)[1:], self.target_shape))

    def get_config(self) -> dict[str, Any]:
        return {**super().get_config(), "target_shape": self.target_shape}
