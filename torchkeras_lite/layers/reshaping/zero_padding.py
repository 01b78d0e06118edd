"""ZeroPadding1D/2D/3D: add rows/columns/planes of zeros at the borders (torch's `F.pad`)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import torch
import torch.nn.functional as F

from torchkeras_lite.layers.convolutional import conv_utils
from torchkeras_lite.layers.input_spec import InputSpec
from torchkeras_lite.layers.layer import Layer


class BaseZeroPadding(Layer):
    """Pads `(before, after)` zeros on each spatial axis (an `F.pad` spec fixed at construction)."""

    def _init_padding(self, padding: tuple[tuple[int, int], ...], data_format: str) -> None:
        rank = len(padding)
        self.data_format = data_format
        self.input_spec = InputSpec(ndim=rank + 2)
        first = 1 if data_format == "channels_last" else 2
        self._axes = tuple(range(first, first + rank))
        self._pairs = padding
        flat = [0, 0] if data_format == "channels_last" else []  # F.pad starts at the last axis
        for a, b in reversed(padding):
            flat += [a, b]
        self._pad = tuple(flat)

    def call(self, inputs: torch.Tensor) -> torch.Tensor:
        return F.pad(inputs, self._pad)

    def compute_output_shape(self, input_shape: Sequence[int | None]) -> tuple[int | None, ...]:
        out = list(input_shape)
        for axis, (a, b) in zip(self._axes, self._pairs):
            out[axis] = None if out[axis] is None else out[axis] + a + b
        return tuple(out)

    def get_config(self) -> dict[str, Any]:
        return {**super().get_config(), "padding": self.padding, "data_format": self.data_format}


class ZeroPadding1D(BaseZeroPadding):
    """Zero-padding layer for 1D input (e.g. temporal sequence).

    Args:
        padding: an int (the same at both ends) or a tuple `(left_pad, right_pad)` of ints.
        data_format: `"channels_last"` or `"channels_first"`; default
            `keras.config.image_data_format()`.
        **kwargs: base `Layer` arguments (`name`, `dtype`, ...).

    Input shape:
        3D tensor; `"channels_last"`: `(batch, axis_to_pad, features)`;
        `"channels_first"`: `(batch, features, axis_to_pad)`.

    Output shape:
        3D tensor with the padded axis longer by `left_pad + right_pad`.

    Example:
        >>> keras.layers.ZeroPadding1D(2)(torch.ones(2, 3, 4)).shape
        torch.Size([2, 7, 4])
    """

    def __init__(
        self, padding: int | Sequence[int] = 1, data_format: str | None = None, **kwargs: Any
    ):
        pair = conv_utils.standardize_tuple(padding, 2, "padding", allow_zero=True)
        data_format = conv_utils.standardize_data_format(data_format)
        super().__init__(**kwargs)
        self.padding = pair
        self._init_padding((pair,), data_format)


class ZeroPadding2D(BaseZeroPadding):
    """Zero-padding layer for 2D input (e.g. pictures): adds rows and columns of zeros.

    Args:
        padding: an int (the same everywhere), a tuple of 2 ints `(symmetric_height_pad,
            symmetric_width_pad)`, or a tuple of 2 tuples of 2 ints
            `((top_pad, bottom_pad), (left_pad, right_pad))`.
        data_format: `"channels_last"` or `"channels_first"`; default
            `keras.config.image_data_format()`.
        **kwargs: base `Layer` arguments (`name`, `dtype`, ...).

    Input shape:
        4D tensor; `"channels_last"`: `(batch, rows, cols, channels)`;
        `"channels_first"`: `(batch, channels, rows, cols)`.

    Output shape:
        4D tensor with the padded rows and cols.

    Example:
        >>> keras.layers.ZeroPadding2D(((1, 0), (2, 2)))(torch.ones(2, 3, 3, 4)).shape
        torch.Size([2, 4, 7, 4])
    """

    def __init__(
        self,
        padding: int | Sequence[Any] = (1, 1),
        data_format: str | None = None,
        **kwargs: Any,
    ):
        pairs = conv_utils.pair_spec(padding, 2, "padding")
        data_format = conv_utils.standardize_data_format(data_format)
        super().__init__(**kwargs)
        self.padding = pairs
        self._init_padding(pairs, data_format)


class ZeroPadding3D(BaseZeroPadding):
    """Zero-padding layer for 3D data (spatial or spatio-temporal).

    Args:
        padding: an int (the same everywhere), a tuple of 3 ints (symmetric pads of each
            dimension), or a tuple of 3 tuples of 2 ints
            `((left_dim1_pad, right_dim1_pad), (left_dim2_pad, right_dim2_pad),
            (left_dim3_pad, right_dim3_pad))`.
        data_format: `"channels_last"` or `"channels_first"`; default
            `keras.config.image_data_format()`.
        **kwargs: base `Layer` arguments (`name`, `dtype`, ...).

    Input shape:
        5D tensor; `"channels_last"`: `(batch, dim1, dim2, dim3, channels)`;
        `"channels_first"`: `(batch, channels, dim1, dim2, dim3)`.

    Output shape:
        5D tensor with the padded spatial dimensions.

    Example:
        >>> keras.layers.ZeroPadding3D(1)(torch.ones(2, 3, 3, 3, 4)).shape
        torch.Size([2, 5, 5, 5, 4])
    """

    def __init__(
        self,
        padding: int | Sequence[Any] = ((1, 1), (1, 1), (1, 1)),
        data_format: str | None = None,
        **kwargs: Any,
    ):
        pairs = conv_utils.pair_spec(padding, 3, "padding")
        data_format = conv_utils.standardize_data_format(data_format)
        super().__init__(**kwargs)
        self.padding = pairs
        self._init_padding(pairs, data_format)
