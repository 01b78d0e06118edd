"""`Permute`: permutes the non-batch axes."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import torch

from torchkeras_lite.layers.input_spec import InputSpec
from torchkeras_lite.layers.layer import Layer


class Permute(Layer):
    """Permutes the axes of each sample (the batch axis stays first); e.g. to connect RNNs and
    convnets. Returns a view, as `torch.permute` does.

    Args:
        dims: the permutation of the non-batch axes, indexed from 1: `(2, 1)` swaps the first
            and second non-batch axes.
        **kwargs: base layer arguments (`name`, `dtype`, ...).

    Input shape:
        `(batch_size, *dims)`-ranked tensor.

    Output shape:
        the input shape with its non-batch axes reordered by `dims`.

    Example:
        >>> keras.layers.Permute((2, 1))(torch.ones(2, 10, 64)).shape
        torch.Size([2, 64, 10])
    """

    def __init__(self, dims: Sequence[int], **kwargs: Any):
        dims = tuple(dims)
        if sorted(dims) != list(range(1, len(dims) + 1)):
            raise ValueError(
                "Invalid permutation argument `dims` for Permute Layer. The set of indices in "
                f"`dims` must be consecutive and start from 1. Received: dims={dims}"
            )
        super().__init__(**kwargs)
        self.dims = dims
        self.input_spec = InputSpec(ndim=len(dims) + 1)

    def call(self, inputs: torch.Tensor) -> torch.Tensor:
        return inputs.permute(0, *self.dims)

    def compute_output_shape(self, input_shape: tuple) -> tuple:
        return (input_shape[0], *(input_shape[d] for d in self.dims))

    def get_config(self) -> dict[str, Any]:
        return {**super().get_config(), "dims": self.dims}
