"""`keras.ops.image`: resizing, affine warps, color conversions, padding, cropping and patches.

Images are 3D (one image) or 4D (a batch), channels-last unless `data_format` (or
`keras.config.image_data_format()`) says "channels_first". Resizing and warping run on the
image-preprocessing kernels of `torchkeras_lite.ops.image` (`F.interpolate`, `F.grid_sample`);
`map_coordinates` is in `image_sampling`.

Example:
    >>> keras.ops.image.resize(np.zeros((2, 8, 8, 3)), (4, 4)).shape
    torch.Size([2, 4, 4, 3])
"""

from __future__ import annotations

from typing import Any

import torch
import torch.nn.functional as F

from torchkeras_lite.backend.config import standardize_data_format
from torchkeras_lite.ops import image as image_kernels
from torchkeras_lite.ops.image_patches import check_images, extract_patches, extract_patches_3d
from torchkeras_lite.ops.image_sampling import map_coordinates
from torchkeras_lite.ops.tensor_utils import convert

__all__ = [
    "affine_transform",
    "crop_images",
    "extract_patches",
    "extract_patches_3d",
    "hsv_to_rgb",
    "map_coordinates",
    "pad_images",
    "resize",
    "rgb_to_grayscale",
    "rgb_to_hsv",
]


def resize(
    images: Any,
    size: tuple[int, int],
    interpolation: str = "bilinear",
    antialias: bool = False,
    crop_to_aspect_ratio: bool = False,
    pad_to_aspect_ratio: bool = False,
    fill_mode: str = "constant",
    fill_value: float = 0.0,
    data_format: str | None = None,
) -> torch.Tensor:
    """Resizes images to `size = (height, width)` ("bilinear", "nearest" or "bicubic")."""
    if interpolation not in image_kernels.RESIZE_INTERPOLATIONS:
        raise ValueError(
            f"`interpolation` must be one of {sorted(image_kernels.RESIZE_INTERPOLATIONS)}. "
            f"Received: interpolation={interpolation!r}"
        )
    if fill_mode != "constant":
        raise ValueError(
            f"Only fill_mode='constant' is supported. Received: fill_mode={fill_mode!r}"
        )
    if crop_to_aspect_ratio and pad_to_aspect_ratio:
        raise ValueError(
            "Only one of `crop_to_aspect_ratio` and `pad_to_aspect_ratio` can be True. "
            "Received: both True"
        )
    if len(size) != 2:
        raise ValueError(f"`size` must be `(height, width)`. Received: size={size}")
    return image_kernels.resize(
        check_images(images),
        tuple(size),
        interpolation,
        antialias,
        crop_to_aspect_ratio,
        pad_to_aspect_ratio,
        fill_value,
        standardize_data_format(data_format),
    )


def affine_transform(
    images: Any,
    transform: Any,
    interpolation: str = "bilinear",
    fill_mode: str = "constant",
    fill_value: float = 0,
    data_format: str | None = None,
) -> torch.Tensor:
    """Warps images by `(8,)` or `(batch, 8)` transforms `[a0, a1, a2, b0, b1, b2, c0, c1]`.

    An output pixel `(x, y)` samples the input at `((a0 x + a1 y + a2) / k, (b0 x + b1 y + b2) / k)`
    with `k = c0 x + c1 y + 1`. `fill_mode`: "constant", "nearest", "wrap", "mirror" or "reflect".
    """
    if interpolation not in image_kernels.AFFINE_INTERPOLATIONS:
        raise ValueError(
            f"`interpolation` must be one of {image_kernels.AFFINE_INTERPOLATIONS}. "
            f"Received: interpolation={interpolation!r}"
        )
    if fill_mode not in image_kernels.AFFINE_FILL_MODES:
        raise ValueError(
            f"`fill_mode` must be one of {image_kernels.AFFINE_FILL_MODES}. "
            f"Received: fill_mode={fill_mode!r}"
        )
    x = check_images(images)
    t = convert(transform, device=x.device)
    if t.ndim not in (1, 2) or t.shape[-1] != 8:
        raise ValueError(
            "`transform` must have shape (8,) or (batch, 8). "
            f"Received: transform.shape={tuple(t.shape)}"
        )
    return image_kernels.affine_transform(
        x, t, interpolation, fill_mode, fill_value, standardize_data_format(data_format)
    )


def _channel_axis(data_format: str | None) -> int:
    return -1 if standardize_data_format(data_format) == "channels_last" else -3


def rgb_to_grayscale(images: Any, data_format: str | None = None) -> torch.Tensor:
    """Luma `0.2989 R + 0.587 G + 0.114 B`, keeping a channel axis of size 1."""
    x = check_images(images)
    axis = _channel_axis(data_format)
    if x.shape[axis] not in (1, 3):
        raise ValueError(
            f"Expected 3 (RGB) or 1 (grayscale) channels. Received: images.shape={tuple(x.shape)}"
        )
    if x.shape[axis] == 1:
        return x.clone()
    r, g, b = x.unbind(dim=axis)
    return (0.2989 * r + 0.587 * g + 0.114 * b).to(x.dtype).unsqueeze(axis)


def _float_planes(images: Any, data_format) -> tuple[torch.Tensor, int]:
    x = check_images(images)
    if not x.is_floating_point():
        raise ValueError(f"Expected float images. Received: images.dtype={x.dtype}")
    return x, _channel_axis(data_format)


def rgb_to_hsv(images: Any, data_format: str | None = None) -> torch.Tensor:
    """RGB in [0, 1] to HSV (hue in [0, 1))."""
    x, axis = _float_planes(images, data_format)
    x = torch.where(x.abs() < torch.finfo(x.dtype).eps, torch.zeros_like(x), x)
    r, g, b = x.unbind(dim=axis)
    value = torch.maximum(torch.maximum(r, g), b)
    spread = value - torch.minimum(torch.minimum(r, g), b)
    one = torch.ones_like(value)
    saturation = torch.where(value > 0, spread / torch.where(value > 0, value, one), 0 * one)
    norm = 1.0 / (6.0 * torch.where(spread > 0, spread, one))
    hue = torch.where(value == g, norm * (b - r) + 2.0 / 6.0, norm * (r - g) + 4.0 / 6.0)
    hue = torch.where(value == r, norm * (g - b), hue)
    hue = torch.where(spread > 0, hue, 0 * one) + (hue < 0).to(hue.dtype)
    return torch.stack([hue, saturation, value], dim=axis)


def hsv_to_rgb(images: Any, data_format: str | None = None) -> torch.Tensor:
    """HSV (hue in [0, 1)) to RGB in [0, 1]."""
    x, axis = _float_planes(images, data_format)
    hue, saturation, value = x.unbind(dim=axis)
    dh = torch.remainder(hue, 1.0) * 6.0
    weights = (
        torch.clamp(torch.abs(dh - 3.0) - 1.0, 0.0, 1.0),
        torch.clamp(2.0 - torch.abs(dh - 2.0), 0.0, 1.0),
        torch.clamp(2.0 - torch.abs(dh - 4.0), 0.0, 1.0),
    )
    return torch.stack([value * (1.0 - saturation + saturation * w) for w in weights], dim=axis)


def _resolve(name: str, first, second, target, size: int, sign: int) -> tuple[int, int]:
    if target is None:
        if first is None or second is None:
            raise ValueError(
                f"Give both {name} amounts or a target size. Received: {first}, {second}"
            )
        return int(first), int(second)
    if first is None and second is None:
        raise ValueError(f"With a target size, give one of the {name} amounts. Received: none")
    rest = sign * (int(target) - size)
    first = rest - int(second) if first is None else int(first)
    second = rest - first if second is None else int(second)
    if first < 0 or second < 0:
        raise ValueError(
            f"The {name} amounts must be >= 0. Received: {first}, {second} (target={target}, size={size})"
        )
    return first, second


def _spatial(x: torch.Tensor, data_format) -> tuple[int, int]:
    last = standardize_data_format(data_format) == "channels_last"
    return (-3, -2) if last else (-2, -1)


def pad_images(
    images: Any,
    top_padding: int | None = None,
    left_padding: int | None = None,
    bottom_padding: int | None = None,
    right_padding: int | None = None,
    target_height: int | None = None,
    target_width: int | None = None,
    data_format: str | None = None,
) -> torch.Tensor:
    """Zero-pads images by the given amounts, or to `target_height` x `target_width`."""
    x = check_images(images)
    h_axis, w_axis = _spatial(x, data_format)
    top, bottom = _resolve(
        "padding", top_padding, bottom_padding, target_height, x.shape[h_axis], 1
    )
    left, right = _resolve("padding", left_padding, right_padding, target_width, x.shape[w_axis], 1)
    pads = [0, 0, left, right, top, bottom] if w_axis == -2 else [left, right, top, bottom]
    return F.pad(x, pads)


def crop_images(
    images: Any,
    top_cropping: int | None = None,
    left_cropping: int | None = None,
    bottom_cropping: int | None = None,
    right_cropping: int | None = None,
    target_height: int | None = None,
    target_width: int | None = None,
    data_format: str | None = None,
) -> torch.Tensor:
    """Crops images by the given amounts, or to `target_height` x `target_width`."""
    x = check_images(images)
    h_axis, w_axis = _spatial(x, data_format)
    height, width = x.shape[h_axis], x.shape[w_axis]
    top, bottom = _resolve("cropping", top_cropping, bottom_cropping, target_height, height, -1)
    left, right = _resolve("cropping", left_cropping, right_cropping, target_width, width, -1)
    x = x.narrow(h_axis, top, height - top - bottom)
    return x.narrow(w_axis, left, width - left - right)
