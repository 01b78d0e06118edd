"""`BaseGlobalPooling`: the reduction over all spatial axes behind the global pooling layers."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from torchkeras_lite.layers.convolutional import conv_utils
from torchkeras_lite.layers.input_spec import InputSpec
from torchkeras_lite.layers.layer import Layer
from torchkeras_lite.ops import pooling as pool_ops


class BaseGlobalPooling(Layer):
    """Reduces every spatial axis of a `(pool_dimensions + 2)`-D input (see subclasses)."""

    def __init__(
        self,
        pool_dimensions: int,
        data_format: str | None = None,
        keepdims: bool = False,
        **kwargs: Any,
    ):
        if not isinstance(keepdims, bool):
            raise ValueError(f"`keepdims` must be a boolean. Received: keepdims={keepdims!r}")
        data_format = conv_utils.standardize_data_format(data_format)
        super().__init__(**kwargs)
        self.data_format = data_format
        self.keepdims = keepdims
        self.rank = pool_dimensions
        self.input_spec = InputSpec(ndim=pool_dimensions + 2)
        self._axes = pool_ops.spatial_axes(pool_dimensions, data_format)

    def compute_output_shape(self, input_shape: Sequence[int | None]) -> tuple[int | None, ...]:
        input_shape = tuple(input_shape)
        ones = (1,) * self.rank if self.keepdims else ()
        if self.data_format == "channels_last":
            return (input_shape[0], *ones, input_shape[-1])
        return (input_shape[0], input_shape[1], *ones)

    def get_config(self) -> dict[str, Any]:
        return {**super().get_config(), "data_format": self.data_format, "keepdims": self.keepdims}
