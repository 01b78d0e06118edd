"""`keras.ops.image.extract_patches` / `extract_patches_3d`: patches as channels of a grid.

Each patch is laid out `(*window, channels)` (Keras' order), built with `Tensor.unfold`.

Example:
    >>> keras.ops.image.extract_patches(np.zeros((1, 8, 8, 3)), 4).shape
    torch.Size([1, 2, 2, 48])
"""

from __future__ import annotations

from typing import Any

import torch
import torch.nn.functional as F

from torchkeras_lite.backend.config import standardize_data_format
from torchkeras_lite.ops.nn_conv import flat_pads, same_pads
from torchkeras_lite.ops.tensor_utils import convert


def check_images(images: Any) -> torch.Tensor:
    """`images` as a tensor, checked to be one image (3D) or a batch (4D)."""
    x = convert(images)
    if x.ndim not in (3, 4):
        raise ValueError(
            "Expected images of rank 3 (one image) or 4 (a batch). "
            f"Received: images.shape={tuple(x.shape)}"
        )
    return x


def _patches(x: torch.Tensor, size, strides, dilation_rate, padding, data_format, rank: int):
    size = (size,) * rank if isinstance(size, int) else tuple(size)
    strides = size if not strides else strides
    strides = (strides,) * rank if isinstance(strides, int) else tuple(strides)
    dilation = (dilation_rate,) * rank if isinstance(dilation_rate, int) else tuple(dilation_rate)
    last = standardize_data_format(data_format) == "channels_last"
    batched = x if x.ndim == rank + 2 else x[None]
    channels_last = batched if last else batched.movedim(1, -1)
    if padding == "same":
        pads = same_pads(channels_last.shape[1:-1], size, strides, dilation)
        channels_last = F.pad(channels_last, [0, 0, *flat_pads(pads)])
    out = channels_last
    for axis, (k, s, d) in enumerate(zip(size, strides, dilation), start=1):
        out = out.unfold(axis, (k - 1) * d + 1, s)[..., ::d]  # window axis appended last
    # (n, *grid, c, *window) -> (n, *grid, *window, c): Keras orders each patch (*window, c)
    out = out.movedim(rank + 1, -1)
    out = out.reshape(*out.shape[: rank + 1], -1)
    out = out if last else out.movedim(-1, 1)
    return out if x.ndim == rank + 2 else out[0]


def extract_patches(
    images: Any, size, strides=None, dilation_rate=1, padding: str = "valid", data_format=None
) -> torch.Tensor:
    """Patches of `size` as the channels of a grid: `(batch, rows, cols, ph * pw * channels)`.

    A 3-element `size` extracts 3D patches from volumes (see `extract_patches_3d`).
    """
    if not isinstance(size, int) and len(size) == 3:
        return extract_patches_3d(images, size, strides, dilation_rate, padding, data_format)
    x = check_images(images)
    return _patches(x, size, strides, dilation_rate, padding, data_format, rank=2)


def extract_patches_3d(
    volumes: Any, size, strides=None, dilation_rate=1, padding: str = "valid", data_format=None
) -> torch.Tensor:
    """3D patches of volumes `(batch, d, h, w, c)`: `(batch, *grid, pd * ph * pw * c)`."""
    x = convert(volumes)
    if x.ndim not in (4, 5):
        raise ValueError(
            f"Expected volumes of rank 4 or 5. Received: volumes.shape={tuple(x.shape)}"
        )
    return _patches(x, size, strides, dilation_rate, padding, data_format, rank=3)
