"""UpSampling1D/2D/3D: repeat steps/pixels/voxels (nearest) or interpolate (2D bilinear/bicubic)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import torch
import torch.nn.functional as F

from torchkeras_lite.layers.convolutional import conv_utils
from torchkeras_lite.layers.input_spec import InputSpec
from torchkeras_lite.layers.layer import Layer

_INTERPOLATIONS = ("nearest", "bilinear", "bicubic")


def repeat_nearest(x: torch.Tensor, sizes: Sequence[int], axes: Sequence[int]) -> torch.Tensor:
    """Repeats each entry of `x` `sizes[i]` times along `axes[i]` (ascending): one copy, exact.

    Example:
        >>> repeat_nearest(torch.tensor([[1, 2]]), (2,), (1,))
        tensor([[1, 1, 2, 2]])
    """
    view, expand, out = [], [], []
    factors = dict(zip(axes, sizes))
    for axis, n in enumerate(x.shape):
        s = factors.get(axis)
        view += [n] if s is None else [n, 1]
        expand += [n] if s is None else [n, s]
        out.append(n if s is None else n * s)
    return x.reshape(view).expand(expand).reshape(out)


def interpolate(
    x: torch.Tensor, sizes: Sequence[int], mode: str, channels_last: bool
) -> torch.Tensor:
    """Bilinear/bicubic 2D upsampling by integer factors (half-pixel centers, as Keras' resize).

    A channels-last input goes to torch as a channels-first view (torch's `channels_last`
    memory format), so neither direction copies.
    """
    if channels_last:
        x = x.permute(0, 3, 1, 2)
    y = F.interpolate(
        x, scale_factor=tuple(float(s) for s in sizes), mode=mode, align_corners=False
    )
    return y.permute(0, 2, 3, 1) if channels_last else y


class BaseUpSampling(Layer):
    """Scales each spatial axis by an integer factor (see the subclasses)."""

    def _init_upsampling(self, size: tuple[int, ...], data_format: str) -> None:
        rank = len(size)
        self.size = size
        self.data_format = data_format
        self.input_spec = InputSpec(ndim=rank + 2)
        first = 1 if data_format == "channels_last" else 2
        self._axes = tuple(range(first, first + rank))

    def call(self, inputs: torch.Tensor) -> torch.Tensor:
        return repeat_nearest(inputs, self.size, self._axes)

    def compute_output_shape(self, input_shape: Sequence[int | None]) -> tuple[int | None, ...]:
        out = list(input_shape)
        for axis, s in zip(self._axes, self.size):
            out[axis] = None if out[axis] is None else out[axis] * s
        return tuple(out)


class UpSampling1D(BaseUpSampling):
    """Upsampling layer for 1D inputs: repeats each temporal step `size` times.

    Args:
        size: a positive int, the upsampling factor.
        **kwargs: base `Layer` arguments (`name`, `dtype`, ...).

    Input shape:
        `(batch, steps, features)`.

    Output shape:
        `(batch, upsampled_steps, features)`.

    Example:
        >>> keras.layers.UpSampling1D(2)(torch.ones(2, 3, 4)).shape
        torch.Size([2, 6, 4])
    """

    def __init__(self, size: int = 2, **kwargs: Any):
        if not isinstance(size, int) or isinstance(size, bool):
            raise TypeError(f"Expected an integer value for `size`. Received: size={size!r}")
        size = conv_utils.check_positive_int(size, "size")
        super().__init__(**kwargs)
        self._init_upsampling((size,), "channels_last")
        self.size = size

    def call(self, inputs: torch.Tensor) -> torch.Tensor:
        return repeat_nearest(inputs, (self.size,), self._axes)

    def compute_output_shape(self, input_shape: Sequence[int | None]) -> tuple[int | None, ...]:
        steps = None if input_shape[1] is None else input_shape[1] * self.size
        return (input_shape[0], steps, input_shape[2])

    def get_config(self) -> dict[str, Any]:
        return {**super().get_config(), "size": self.size}


class UpSampling2D(BaseUpSampling):
    """Upsampling layer for 2D inputs: scales rows and columns by integer factors.

    Args:
        size: an int or a tuple of 2 ints `(rows_factor, cols_factor)`.
        data_format: `"channels_last"` or `"channels_first"`; default
            `keras.config.image_data_format()`.
        interpolation: `"nearest"` (repeats pixels), `"bilinear"` or `"bicubic"` (torch's
            interpolation with half-pixel centers, as Keras' `ops.image.resize`).
        **kwargs: base `Layer` arguments (`name`, `dtype`, ...).

    Input shape:
        4D tensor; `"channels_last"`: `(batch, rows, cols, channels)`;
        `"channels_first"`: `(batch, channels, rows, cols)`.

    Output shape:
        4D tensor with `rows * size[0]` rows and `cols * size[1]` columns.

    Example:
        >>> layer = keras.layers.UpSampling2D((2, 3), interpolation="bilinear")
        >>> layer(torch.ones(1, 2, 2, 3)).shape
        torch.Size([1, 4, 6, 3])
    """

    def __init__(
        self,
        size: int | Sequence[int] = (2, 2),
        data_format: str | None = None,
        interpolation: str = "nearest",
        **kwargs: Any,
    ):
        size = conv_utils.standardize_tuple(size, 2, "size")
        data_format = conv_utils.standardize_data_format(data_format)
        mode = interpolation.lower() if isinstance(interpolation, str) else interpolation
        if mode not in _INTERPOLATIONS:
            raise ValueError(
                f"`interpolation` must be one of {_INTERPOLATIONS} (Lanczos is not supported on "
                f"torch). Received: interpolation={interpolation!r}"
            )
        super().__init__(**kwargs)
        self._init_upsampling(size, data_format)
        self.interpolation = mode

    def call(self, inputs: torch.Tensor) -> torch.Tensor:
        if self.interpolation == "nearest":
            return repeat_nearest(inputs, self.size, self._axes)
        return interpolate(
            inputs, self.size, self.interpolation, self.data_format == "channels_last"
        )

    def get_config(self) -> dict[str, Any]:
        return {
            **super().get_config(),
            "size": self.size,
            "data_format": self.data_format,
            "interpolation": self.interpolation,
        }


class UpSampling3D(BaseUpSampling):
    """Upsampling layer for 3D inputs: repeats each voxel `size[i]` times along each dimension.

    Args:
        size: an int or a tuple of 3 ints `(dim1_factor, dim2_factor, dim3_factor)`.
        data_format: `"channels_last"` or `"channels_first"`; default
            `keras.config.image_data_format()`.
        **kwargs: base `Layer` arguments (`name`, `dtype`, ...).

    Input shape:
        5D tensor; `"channels_last"`: `(batch, dim1, dim2, dim3, channels)`;
        `"channels_first"`: `(batch, channels, dim1, dim2, dim3)`.

    Output shape:
        5D tensor with each spatial dimension multiplied by its factor.

    Example:
        >>> keras.layers.UpSampling3D(2)(torch.ones(1, 2, 2, 2, 3)).shape
        torch.Size([1, 4, 4, 4, 3])
    """

    def __init__(
        self, size: int | Sequence[int] = (2, 2, 2), data_format: str | None = None, **kwargs: Any
    ):
        size = conv_utils.standardize_tuple(size, 3, "size")
        data_format = conv_utils.standardize_data_format(data_format)
        super().__init__(**kwargs)
        self._init_upsampling(size, data_format)

    def get_config(self) -> dict[str, Any]:
        return {**super().get_config(), "size": self.size, "data_format": self.data_format}
