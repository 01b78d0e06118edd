"""`Concatenate`: joins a list of tensors along an axis (and its functional form `concatenate`)."""

from __future__ import annotations

from typing import Any

import torch

from torchkeras_lite.layers.merging.base_merge import Merge
from torchkeras_lite.ops import merging as merging_ops


class Concatenate(Merge):
    """Concatenates a list of tensors along `axis`; all other dimensions must match.

    Masks: unmasked inputs count as fully valid; the masks are concatenated like the inputs
    (reduced over the last axis when concatenating features).

    Args:
        axis: the concatenation axis.
        **kwargs: base layer arguments (`name`, `dtype`, ...).

    Input shape:
        a list of tensors of equal rank whose shapes agree except along `axis`.

    Output shape:
        the common shape, with the sum of the sizes along `axis`.

    Example:
        >>> x1, x2 = torch.zeros(2, 3), torch.ones(2, 4)
        >>> keras.layers.Concatenate()([x1, x2]).shape
        torch.Size([2, 7])
    """

    def __init__(self, axis: int = -1, **kwargs: Any):
        if not isinstance(axis, int) or isinstance(axis, bool):
            raise ValueError(
                f"Argument `axis` of Concatenate must be an integer. Received: axis={axis!r}"
            )
        super().__init__(**kwargs)
        self.axis = axis

    def _check_shapes(self, input_shape: Any) -> list:
        if (
            not isinstance(input_shape, (list, tuple))
            or not input_shape
            or not all(isinstance(s, (list, tuple, torch.Size)) for s in input_shape)
        ):
            raise ValueError(
                "A `Concatenate` layer should be called on a list of at least 1 input. "
                f"Received: input_shape={input_shape}"
            )
        shapes = [tuple(s) for s in input_shape]
        rank = len(shapes[0])
        if any(len(s) != rank for s in shapes) or not -rank <= self.axis < rank:
            raise ValueError(
                "A `Concatenate` layer requires inputs of the same rank, with `axis` within it. "
                f"Received: input_shape={shapes}, axis={self.axis}"
            )
        axis = self.axis % rank
        for d in range(rank):
            sizes = {s[d] for s in shapes} - {None}
            if d != axis and len(sizes) > 1:
                raise ValueError(
                    "A `Concatenate` layer requires inputs with matching shapes except for the "
                    f"concatenation axis {self.axis}; they differ at axis {d}. "
                    f"Received: input_shape={shapes}"
                )
        return shapes

    def build(self, input_shape: list) -> None:
        self._check_shapes(input_shape)

    def call(self, inputs: list[torch.Tensor]) -> torch.Tensor:
        return torch.cat(list(inputs), dim=self.axis)

    def compute_output_shape(self, input_shape: list) -> tuple:
        shapes = self._check_shapes(input_shape)
        out = [
            next((s[d] for s in shapes if s[d] is not None), None) for d in range(len(shapes[0]))
        ]
        sizes = [s[self.axis] for s in shapes]
        out[self.axis] = None if None in sizes else sum(sizes)
        return tuple(out)

    def compute_mask(self, inputs: Any, mask: Any = None) -> torch.Tensor | None:
        if mask is None:
            return None
        if not isinstance(mask, (list, tuple)):
            raise ValueError(f"`mask` should be a list. Received: mask={mask!r}")
        if not isinstance(inputs, (list, tuple)) or len(mask) != len(inputs):
            raise ValueError(
                "The lists `inputs` and `mask` should have the same length. "
                f"Received: len(mask)={len(mask)}"
            )
        return merging_ops.concatenate_masks(inputs, mask, self.axis)

    def get_config(self) -> dict[str, Any]:
        return {**super().get_config(), "axis": self.axis}


def concatenate(inputs: list[torch.Tensor], axis: int = -1, **kwargs: Any) -> torch.Tensor:
    """Functional interface to the `Concatenate` layer: `Concatenate(axis, **kwargs)(inputs)`.

    Args:
        inputs: a list of input tensors.
        axis: the concatenation axis.
        **kwargs: base layer arguments.

    Example:
        >>> keras.layers.concatenate([torch.zeros(2, 3), torch.ones(2, 4)]).shape
        torch.Size([2, 7])
    """
    return Concatenate(axis=axis, **kwargs)(inputs)
