"""Cropping1D/2D/3D: remove rows/columns/planes at the borders (a view, no copy)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import torch

from torchkeras_lite.layers.convolutional import conv_utils
from torchkeras_lite.layers.input_spec import InputSpec
from torchkeras_lite.layers.layer import Layer


class BaseCropping(Layer):
    """Crops `(before, after)` from each spatial axis; the slices are fixed at construction."""

    def _init_cropping(
        self, cropping: tuple[tuple[int, int], ...], data_format: str, rank: int
    ) -> None:
        self.data_format = data_format
        self.input_spec = InputSpec(ndim=rank + 2)
        first = 1 if data_format == "channels_last" else 2
        self._axes = tuple(range(first, first + rank))
        self._pairs = cropping
        index: list[slice] = [slice(None)] * (rank + 2)
        for axis, (a, b) in zip(self._axes, cropping):
            index[axis] = slice(a, -b if b else None)
        self._index = tuple(index)

    def _check(self, shape: Sequence[int | None], what: str) -> None:
        for axis, (a, b) in zip(self._axes, self._pairs):
            if shape[axis] is not None and a + b >= shape[axis]:
                raise ValueError(
                    f"Values in `cropping` argument should be smaller than the corresponding "
                    f"spatial dimension of the input. Received: {what}={tuple(shape)}, "
                    f"cropping={self.cropping}"
                )

    def call(self, inputs: torch.Tensor) -> torch.Tensor:
        self._check(inputs.shape, "inputs.shape")
        return inputs[self._index]

    def compute_output_shape(self, input_shape: Sequence[int | None]) -> tuple[int | None, ...]:
        self._check(input_shape, "input_shape")
        out = list(input_shape)
        for axis, (a, b) in zip(self._axes, self._pairs):
            out[axis] = None if out[axis] is None else out[axis] - a - b
        return tuple(out)


class Cropping1D(BaseCropping):
    """Cropping layer for 1D input (e.g. temporal sequence): crops along the time axis.

    Args:
        cropping: an int (the same at both ends) or a tuple `(start, end)` of ints: how many
            steps to remove at the beginning and at the end.
        **kwargs: base `Layer` arguments (`name`, `dtype`, ...).

    Input shape:
        `(batch, axis_to_crop, features)`.

    Output shape:
        `(batch, cropped_axis, features)`.

    Example:
        >>> keras.layers.Cropping1D((1, 2))(torch.ones(2, 6, 3)).shape
        torch.Size([2, 3, 3])
    """

    def __init__(self, cropping: int | Sequence[int] = (1, 1), **kwargs: Any):
        pair = conv_utils.standardize_tuple(cropping, 2, "cropping", allow_zero=True)
        super().__init__(**kwargs)
        self.cropping = pair
        self._init_cropping((pair,), "channels_last", 1)

    def get_config(self) -> dict[str, Any]:
        return {**super().get_config(), "cropping": self.cropping}


class Cropping2D(BaseCropping):
    """Cropping layer for 2D input (e.g. pictures): crops along height and width.

    Args:
        cropping: an int (the same everywhere), a tuple of 2 ints `(symmetric_height_crop,
            symmetric_width_crop)`, or a tuple of 2 tuples of 2 ints
            `((top_crop, bottom_crop), (left_crop, right_crop))`.
        data_format: `"channels_last"` or `"channels_first"`; default
            `keras.config.image_data_format()`.
        **kwargs: base `Layer` arguments (`name`, `dtype`, ...).

    Input shape:
        4D tensor; `"channels_last"`: `(batch, height, width, channels)`;
        `"channels_first"`: `(batch, channels, height, width)`.

    Output shape:
        4D tensor with the cropped height and width.

    Example:
        >>> keras.layers.Cropping2D(((2, 2), (4, 4)))(torch.ones(2, 28, 28, 3)).shape
        torch.Size([2, 24, 20, 3])
    """

    def __init__(
        self,
        cropping: int | Sequence[Any] = ((0, 0), (0, 0)),
        data_format: str | None = None,
        **kwargs: Any,
    ):
        pairs = conv_utils.pair_spec(cropping, 2, "cropping")
        data_format = conv_utils.standardize_data_format(data_format)
        super().__init__(**kwargs)
        self.cropping = pairs
        self._init_cropping(pairs, data_format, 2)

    def get_config(self) -> dict[str, Any]:
        return {**super().get_config(), "cropping": self.cropping, "data_format": self.data_format}


class Cropping3D(BaseCropping):
    """Cropping layer for 3D data (e.g. spatial or spatio-temporal volumes).

    Args:
        cropping: an int (the same everywhere), a tuple of 3 ints (symmetric crops of each
            dimension), or a tuple of 3 tuples of 2 ints
            `((left_dim1_crop, right_dim1_crop), (left_dim2_crop, right_dim2_crop),
            (left_dim3_crop, right_dim3_crop))`.
        data_format: `"channels_last"` or `"channels_first"`; default
            `keras.config.image_data_format()`.
        **kwargs: base `Layer` arguments (`name`, `dtype`, ...).

    Input shape:
        5D tensor; `"channels_last"`: `(batch, dim1, dim2, dim3, channels)`;
        `"channels_first"`: `(batch, channels, dim1, dim2, dim3)`.

    Output shape:
        5D tensor with the cropped spatial dimensions.

    Example:
        >>> keras.layers.Cropping3D(1)(torch.ones(2, 6, 6, 6, 3)).shape
        torch.Size([2, 4, 4, 4, 3])
    """

    def __init__(
        self,
        cropping: int | Sequence[Any] = ((1, 1), (1, 1), (1, 1)),
        data_format: str | None = None,
        **kwargs: Any,
    ):
        pairs = conv_utils.pair_spec(cropping, 3, "cropping")
        data_format = conv_utils.standardize_data_format(data_format)
        super().__init__(**kwargs)
        self.cropping = pairs
        self._init_cropping(pairs, data_format, 3)

    def get_config(self) -> dict[str, Any]:
        return {**super().get_config(), "cropping": self.cropping, "data_format": self.data_format}
