"""`Softmax`: the softmax activation as a layer, with masks giving exactly 0."""

from __future__ import annotations

from typing import Any

import torch

from torchkeras_lite.layers.layer import Layer
from torchkeras_lite.ops import attention as attention_ops


class Softmax(Layer):
    """Softmax over `axis`; with a mask, masked positions get exactly 0.

    Masked logits are replaced by a large negative number before the softmax and the masked
    outputs are zeroed after it, so a fully masked row is all zeros. The mask (from the call or
    the input's `_keras_mask`) must broadcast to the input; values > 0.5 count as True.

    Args:
        axis: an int, or a tuple of axes normalized jointly.
        **kwargs: base layer arguments (`name`, `dtype`, ...).

    Call arguments:
        inputs: the logits.
        mask: a mask broadcastable to `inputs`; True (or 1) where values are kept.

    Input shape:
        any.

    Output shape:
        the input shape.

    Example:
        >>> x = torch.tensor([[1.0, 1.0, 5.0]])
        >>> keras.layers.Softmax()(x, mask=torch.tensor([[True, True, False]])).tolist()
        [[0.5, 0.5, 0.0]]
    """

    def __init__(self, axis: int | tuple[int, ...] = -1, **kwargs: Any):
        if not isinstance(axis, int) and not (
            isinstance(axis, (list, tuple)) and axis and all(isinstance(a, int) for a in axis)
        ):
            raise ValueError(
                f"Argument `axis` of Softmax must be an int or a tuple of ints. Received: axis={axis!r}"
            )
        super().__init__(**kwargs)
        self.axis = axis
        self.supports_masking = True
        self._axis = axis if isinstance(axis, int) else (axis[0] if len(axis) == 1 else tuple(axis))

    def call(self, inputs: torch.Tensor, mask: torch.Tensor | None = None) -> torch.Tensor:
        if mask is not None:
            if mask.dim() > inputs.dim() or any(
                m != 1 and m != i for m, i in zip(reversed(mask.shape), reversed(inputs.shape))
            ):
                raise ValueError(
                    "The `mask` must be broadcastable to `inputs`: each of its dimensions must be 1 "
                    "or match the input's, and it must not have more dimensions. Received: "
                    f"inputs.shape={tuple(inputs.shape)}, mask.shape={tuple(mask.shape)}"
                )
        return attention_ops.masked_softmax(inputs, mask, self._axis)

    def compute_output_shape(self, input_shape: Any) -> Any:
        return input_shape

    def get_config(self) -> dict[str, Any]:
        axis = list(self.axis) if isinstance(self.axis, tuple) else self.axis
        return {**super().get_config(), "axis": axis}
