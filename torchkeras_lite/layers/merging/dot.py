"""`Dot`: per-sample dot product of two tensors along given axes (and its functional form `dot`)."""

from __future__ import annotations

from typing import Any

import torch

from torchkeras_lite.layers.merging.base_merge import Merge
from torchkeras_lite.ops import merging as merging_ops


class Dot(Merge):
    """Computes the dot product of two tensors' samples along `axes` (Keras' `batch_dot`).

    With `normalize=True` both inputs are L2-normalized along the dot axes first, giving the
    cosine similarity. The output has no mask.

    Args:
        axes: an int (the same axis of both inputs) or a pair `(axis_of_x, axis_of_y)`; the batch
            axis 0 cannot be used.
        normalize: L2-normalize the samples along the dot axes before the product.
        **kwargs: base layer arguments (`name`, `dtype`, ...).

    Input shape:
        two tensors `x`, `y` with `x.shape[axes[0]] == y.shape[axes[1]]`.

    Output shape:
        `x`'s shape without `axes[0]`, then `y`'s without its batch axis and `axes[1]`; at least
        `(batch, 1)`.

    Example:
        >>> x = torch.arange(10.0).reshape(1, 5, 2)
        >>> y = torch.arange(10.0, 20.0).reshape(1, 2, 5)
        >>> keras.layers.Dot(axes=(1, 2))([x, y]).shape
        torch.Size([1, 2, 2])
    """

    _min_inputs = 2
    _max_inputs = 2

    def __init__(self, axes: int | tuple[int, int], normalize: bool = False, **kwargs: Any):
        if not isinstance(axes, int):
            if not isinstance(axes, (list, tuple)):
                raise TypeError(
                    "Invalid type for argument `axes`: it should be a list or an int. "
                    f"Received: axes={axes!r}"
                )
            if len(axes) != 2:
                raise ValueError(
                    "Invalid format for argument `axes`: it should contain two elements. "
                    f"Received: axes={axes!r}"
                )
            if not all(isinstance(a, int) for a in axes):
                raise ValueError(
                    "Invalid format for argument `axes`: list elements should be integers. "
                    f"Received: axes={axes!r}"
                )
        super().__init__(**kwargs)
        self.axes = axes
        self.normalize = bool(normalize)
        self._axes: tuple[int, int] | None = None

    def _resolve_axes(self, shape1: tuple, shape2: tuple) -> tuple[int, int]:
        pair = (self.axes, self.axes) if isinstance(self.axes, int) else tuple(self.axes)
        a0, a1 = pair[0] % len(shape1), pair[1] % len(shape2)
        if a0 == 0 or a1 == 0:
            raise ValueError(
                "Cannot perform a Dot product over the batch axis 0. "
                f"Received: axes={self.axes}, input_shape={[shape1, shape2]}"
            )
        return a0, a1

    def build(self, input_shape: list) -> None:
        shape1, shape2 = (tuple(s) for s in self._check_list(input_shape))
        if len(shape1) < 2 or len(shape2) < 2:
            raise ValueError(
                "A `Dot` layer needs inputs of rank >= 2 (batch axis included). "
                f"Received: input_shape={[shape1, shape2]}"
            )
        a0, a1 = self._resolve_axes(shape1, shape2)
        if shape1[a0] is not None and shape2[a1] is not None and shape1[a0] != shape2[a1]:
            raise ValueError(
                f"Incompatible input shapes: axis values {shape1[a0]} (at axis {a0}) != "
                f"{shape2[a1]} (at axis {a1}). Received: input_shape={[shape1, shape2]}"
            )
        self._axes = (a0, a1)

    def call(self, inputs: list[torch.Tensor]) -> torch.Tensor:
        x, y = inputs
        a0, a1 = self._axes
        if self.normalize:
            x = merging_ops.l2_normalize(x, a0)
            y = merging_ops.l2_normalize(y, a1)
        return merging_ops.batch_dot(x, y, (a0, a1))

    def compute_output_shape(self, input_shape: list) -> tuple:
        shape1, shape2 = (list(s) for s in self._check_list(input_shape))
        a0, a1 = self._resolve_axes(tuple(shape1), tuple(shape2))
        shape1.pop(a0)
        shape2.pop(a1)
        out = shape1 + shape2[1:]
        return tuple(out + [1] if len(out) == 1 else out)

    def compute_mask(self, inputs: Any, mask: Any = None) -> None:
        return None

    def get_config(self) -> dict[str, Any]:
        axes = list(self.axes) if isinstance(self.axes, tuple) else self.axes
        return {**super().get_config(), "axes": axes, "normalize": self.normalize}


def dot(
    inputs: list[torch.Tensor], axes: int | tuple[int, int] = -1, **kwargs: Any
) -> torch.Tensor:
    """Functional interface to the `Dot` layer: `Dot(axes, **kwargs)(inputs)`.

    Args:
        inputs: a list of two input tensors.
        axes: the dot axis (an int) or a pair of axes, one per input.
        **kwargs: `normalize` and base layer arguments.

    Example:
        >>> keras.layers.dot([torch.ones(2, 3), torch.ones(2, 3)], axes=1).tolist()
        [[3.0], [3.0]]
    """
    return Dot(axes=axes, **kwargs)(inputs)
