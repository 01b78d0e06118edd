"""`Merge`: the base of the layers that merge a list of tensors element-wise (Add, Multiply, ...)."""

from __future__ import annotations

from typing import Any

import torch

from torchkeras_lite.layers.layer import Layer
from torchkeras_lite.ops import merging as merging_ops


def broadcast_shapes(shape1: tuple | None, shape2: tuple | None) -> tuple | None:
    """The shape of an element-wise op on two (batch-less) shapes; None dimensions stay None."""
    if shape1 is None or shape2 is None:
        return None
    if len(shape1) < len(shape2):
        shape1, shape2 = shape2, shape1
    if not shape2:
        return tuple(shape1)
    out = list(shape1[: len(shape1) - len(shape2)])
    for i, j in zip(shape1[len(shape1) - len(shape2) :], shape2):
        if i is None or j is None:
            out.append(None)
        elif i == 1 or j == 1:
            out.append(j if i == 1 else i)
        elif i != j:
            raise ValueError(
                "Inputs have incompatible shapes for an element-wise merge. "
                f"Received: shapes={tuple(shape1)} and {tuple(shape2)}"
            )
        else:
            out.append(i)
    return tuple(out)


class Merge(Layer):
    """Base class of element-wise merge layers, called on a list of tensors.

    Inputs of lower rank are expanded at axis 1 until all ranks agree (then broadcast). The output
    mask is the OR of the inputs' masks when every input has one (else None). Subclasses define
    `_merge_function(inputs, masks)`.

    Args:
        **kwargs: base layer arguments (`name`, `dtype`, ...).

    Input shape:
        a list of tensors of broadcast-compatible shapes (batch axis first).

    Output shape:
        the broadcast shape.

    Example:
        >>> keras.layers.Add()([torch.ones(2, 3), torch.ones(2, 3)]).sum().item()
        12.0
    """

    _min_inputs = 1
    _max_inputs: int | None = None

    def __init__(self, **kwargs: Any):
        super().__init__(**kwargs)
        self.supports_masking = True
        self._expansions: tuple[int, ...] | None = None

    def _check_list(self, input_shape: Any) -> list:
        if not isinstance(input_shape, (list, tuple)) or not all(
            isinstance(s, (list, tuple, torch.Size)) or s is None for s in input_shape
        ):
            raise ValueError(
                f"A `{type(self).__name__}` layer should be called on a list of inputs. "
                f"Received: input_shape={input_shape}"
            )
        n = len(input_shape)
        if n < self._min_inputs or (self._max_inputs is not None and n > self._max_inputs):
            expected = (
                f"exactly {self._min_inputs}"
                if self._min_inputs == self._max_inputs
                else f"at least {self._min_inputs}"
            )
            raise ValueError(
                f"A `{type(self).__name__}` layer should be called on {expected} input(s). "
                f"Received: input_shape={list(input_shape)}"
            )
        return [tuple(s) if s is not None else None for s in input_shape]

    def _batchless_output_shape(self, shapes: list) -> tuple | None:
        batch_sizes = {s[0] for s in shapes if s} - {None}
        if len(batch_sizes) > 1:
            raise ValueError(
                f"Cannot merge tensors with different batch sizes. Received: input_shape={shapes}"
            )
        out = shapes[0][1:] if shapes[0] is not None else None
        for s in shapes[1:]:
            out = broadcast_shapes(out, s[1:] if s is not None else None)
        return out

    def build(self, input_shape: list) -> None:
        shapes = self._check_list(input_shape)
        self._batchless_output_shape(shapes)
        ranks = [len(s) for s in shapes]
        top = max(ranks)
        self._expansions = tuple(top - r for r in ranks) if len(set(ranks)) > 1 else None

    def call(
        self, inputs: list[torch.Tensor], mask: list[torch.Tensor | None] | None = None
    ) -> torch.Tensor:
        if not isinstance(inputs, (list, tuple)):
            raise ValueError(
                f"A merge layer should be called on a list of inputs. Received: inputs={inputs!r}"
            )
        if self._expansions is not None:
            inputs = [x.reshape(x.shape[0], *([1] * n), *x.shape[1:]) for x, n in
                      zip(inputs, self._expansions)]  # fmt: skip
        return self._merge_function(inputs, mask)

    def _merge_function(
        self, inputs: list[torch.Tensor], masks: list[torch.Tensor | None] | None
    ) -> torch.Tensor:
        raise TypeError(f"{type(self).__name__} does not define `_merge_function`.")

    def compute_output_shape(self, input_shape: list) -> tuple:
        shapes = self._check_list(input_shape)
        out = self._batchless_output_shape(shapes)
        batch_sizes = {s[0] for s in shapes if s} - {None}
        batch = next(iter(batch_sizes)) if batch_sizes else None
        return (batch, *out) if out is not None else None

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
        return merging_ops.or_masks(mask)
