"""Image ops: resizing, cropping boxes and affine warps on torch's own kernels, with Keras' semantics.

Stateless functions that image layers call. Images are 3D (unbatched) or 4D (batched), in
`"channels_last"` (`(N, H, W, C)`) or `"channels_first"` (`(N, C, H, W)`) layout. A channels-last
batch is handed to torch as the NCHW *view* `x.permute(0, 3, 1, 2)` (torch's `channels_last`
memory format), so no copy is made on the way in or out.

Affine transforms use Keras' 8-number form `[a0, a1, a2, b0, b1, b2, c0, c1]`, which maps an output
pixel `(x, y)` to the input point `((a0 x + a1 y + a2) / k, (b0 x + b1 y + b2) / k)` with
`k = c0 x + c1 y + 1`, in pixel coordinates.
"""

from __future__ import annotations

import functools
import math

import torch
import torch.nn.functional as F

RESIZE_INTERPOLATIONS = {"bilinear": "bilinear", "nearest": "nearest-exact", "bicubic": "bicubic"}
AFFINE_INTERPOLATIONS = ("nearest", "bilinear")
AFFINE_FILL_MODES = ("constant", "nearest", "wrap", "mirror", "reflect")
_INT_DTYPES = (torch.uint8, torch.int8, torch.int16, torch.int32, torch.int64)


def to_nchw(images: torch.Tensor, data_format: str) -> tuple[torch.Tensor, bool]:
    """A 4D NCHW view of 3D/4D images in `data_format`, and whether a batch axis was added."""
    unbatched = images.dim() == 3
    if unbatched:
        images = images.unsqueeze(0)
    if data_format == "channels_last":
        images = images.permute(0, 3, 1, 2)
    return images, unbatched


def from_nchw(images: torch.Tensor, data_format: str, unbatched: bool) -> torch.Tensor:
    """The inverse of `to_nchw`."""
    if data_format == "channels_last":
        images = images.permute(0, 2, 3, 1)
    return images.squeeze(0) if unbatched else images


def spatial_axes(ndim: int, data_format: str) -> tuple[int, int]:
    """The (height, width) axes of an image tensor of rank `ndim` (3 or 4)."""
    return (ndim - 3, ndim - 2) if data_format == "channels_last" else (ndim - 2, ndim - 1)


@functools.lru_cache(maxsize=256)
def aspect_ratio_crop_box(
    height: int, width: int, target_height: int, target_width: int
) -> tuple[int, int, int, int]:
    """`(top, left, crop_height, crop_width)`: the largest centred window with the target's aspect."""
    crop_height = max(min(height, int(float(width * target_height) / target_width)), 1)
    crop_width = max(min(width, int(float(height * target_width) / target_height)), 1)
    top = int(float(height - crop_height) / 2)
    left = int(float(width - crop_width) / 2)
    return top, left, crop_height, crop_width


@functools.lru_cache(maxsize=256)
def aspect_ratio_pad(
    height: int, width: int, target_height: int, target_width: int
) -> tuple[int, int]:
    """`(pad_rows, pad_cols)` added on *each* side to reach the target's aspect (Keras' rule)."""
    pad_height = max(height, int(float(width * target_height) / target_width))
    pad_width = max(width, int(float(height * target_width) / target_height))
    return int(float(pad_height - height) / 2), int(float(pad_width - width) / 2)


def crop(
    images: torch.Tensor, top: int, left: int, height: int, width: int, data_format: str
) -> torch.Tensor:
    """A view of the `height x width` window at `(top, left)` of 3D/4D images."""
    h_axis, w_axis = spatial_axes(images.dim(), data_format)
    return images.narrow(h_axis, top, height).narrow(w_axis, left, width)


def resize(
    images: torch.Tensor,
    size: tuple[int, int],
    interpolation: str = "bilinear",
    antialias: bool = False,
    crop_to_aspect_ratio: bool = False,
    pad_to_aspect_ratio: bool = False,
    fill_value: float = 0.0,
    data_format: str = "channels_last",
) -> torch.Tensor:
    """Resizes 3D/4D images to `size = (height, width)` with `F.interpolate`, as `keras.ops.image.resize`.

    Integer images are resized in float32, rounded and cast back. `crop_to_aspect_ratio` first takes
    the largest centred window with the target's aspect ratio; `pad_to_aspect_ratio` first pads
    the short side evenly with `fill_value`.

    Example:
        >>> resize(torch.rand(2, 8, 8, 3), (4, 6)).shape
        torch.Size([2, 4, 6, 3])
    """
    x, unbatched = to_nchw(images, data_format)
    out_dtype = x.dtype
    if out_dtype not in (torch.float32, torch.float64):
        x = x.to(torch.float32)
    target_h, target_w = int(size[0]), int(size[1])
    height, width = x.shape[-2], x.shape[-1]
    if crop_to_aspect_ratio:
        top, left, ch, cw = aspect_ratio_crop_box(height, width, target_h, target_w)
        x = x[:, :, top : top + ch, left : left + cw]
    elif pad_to_aspect_ratio:
        pad_rows, pad_cols = aspect_ratio_pad(height, width, target_h, target_w)
        if pad_rows or pad_cols:
            x = F.pad(x, (pad_cols, pad_cols, pad_rows, pad_rows), value=float(fill_value))
    if x.shape[-2] == target_h and x.shape[-1] == target_w and interpolation != "bicubic":
        out = x  # bilinear / nearest-exact at scale 1 are the identity
    else:
        mode = RESIZE_INTERPOLATIONS[interpolation]
        aligned = False if mode in ("bilinear", "bicubic") else None
        out = F.interpolate(
            x,
            size=(target_h, target_w),
            mode=mode,
            align_corners=aligned,
            antialias=antialias and mode in ("bilinear", "bicubic"),
        )
    if out_dtype != out.dtype:
        if out_dtype == torch.uint8 and interpolation == "bicubic":
            out = out.clamp(0, 255)
        if out_dtype in _INT_DTYPES:
            out = torch.round(out)
        out = out.to(out_dtype)
    return from_nchw(out, data_format, unbatched)


def smart_resize(
    images: torch.Tensor,
    size: tuple[int, int],
    interpolation: str = "bilinear",
    data_format: str = "channels_last",
) -> torch.Tensor:
    """Crops the largest centred window with the target's aspect ratio, then resizes to `size`."""
    h_axis, w_axis = spatial_axes(images.dim(), data_format)
    top, left, ch, cw = aspect_ratio_crop_box(
        images.shape[h_axis], images.shape[w_axis], int(size[0]), int(size[1])
    )
    images = crop(images, top, left, ch, cw, data_format)
    return resize(images, size, interpolation=interpolation, data_format=data_format)


# ----------------------------------------------------------------------------------------------
# Affine transforms.
def rotation_transform(angles: torch.Tensor, height: int, width: int) -> torch.Tensor:
    """Keras' `(N, 8)` transforms rotating by `angles` (degrees) about the image centre."""
    theta = angles * (math.pi / 180.0)
    cos, sin = torch.cos(theta), torch.sin(theta)
    cx, cy = 0.5 * (width - 1), 0.5 * (height - 1)
    zeros = torch.zeros_like(theta)
    a2 = cx - cx * cos + cy * sin
    b2 = cy - cx * sin - cy * cos
    return torch.stack([cos, -sin, a2, sin, cos, b2, zeros, zeros], dim=-1)


def zoom_transform(width_zoom: torch.Tensor, height_zoom: torch.Tensor, height: int, width: int):
    """Keras' `(N, 8)` transforms scaling the sampling grid by the zooms about the image centre."""
    zeros = torch.zeros_like(width_zoom)
    x_offset = (width - 1.0) / 2.0 * (1.0 - width_zoom)
    y_offset = (height - 1.0) / 2.0 * (1.0 - height_zoom)
    return torch.stack(
        [width_zoom, zeros, x_offset, zeros, height_zoom, y_offset, zeros, zeros], dim=-1
    )


def translation_transform(dx: torch.Tensor, dy: torch.Tensor) -> torch.Tensor:
    """Keras' `(N, 8)` transforms shifting images by `(dx, dy)` pixels (right and down)."""
    zeros, ones = torch.zeros_like(dx), torch.ones_like(dx)
    return torch.stack([ones, zeros, -dx, zeros, ones, -dy, zeros, zeros], dim=-1)


def _source_coordinates(
    transform: torch.Tensor, height: int, width: int, wrap: bool, nearest: bool
) -> tuple[torch.Tensor, torch.Tensor]:
    """The `(N, H, W)` source pixel coordinates `x` and `y` of every output pixel (wrapped into
    the image for `wrap`). For nearest sampling they are rounded (half to even, as Keras)
    *before* any wrapping or reflection, so ties resolve the same way as in Keras."""
    dtype, device = transform.dtype, transform.device
    ys = torch.arange(height, dtype=dtype, device=device).view(1, height, 1)
    xs = torch.arange(width, dtype=dtype, device=device).view(1, 1, width)
    t = transform.unsqueeze(-1).unsqueeze(-1)  # (N, 8, 1, 1)
    k = t[:, 6] * xs + t[:, 7] * ys + 1.0
    src_x = (t[:, 0] * xs + t[:, 1] * ys + t[:, 2]) / k
    src_y = (t[:, 3] * xs + t[:, 4] * ys + t[:, 5]) / k
    if nearest:
        src_x, src_y = torch.round(src_x), torch.round(src_y)
    if wrap:
        src_x, src_y = torch.remainder(src_x, width), torch.remainder(src_y, height)
    return src_x, src_y


def _grid(
    src_x: torch.Tensor, src_y: torch.Tensor, height: int, width: int, align_corners: bool
) -> torch.Tensor:
    """`F.grid_sample`'s `(N, H, W, 2)` grid in [-1, 1] (Python-scalar maths: no host copies)."""
    if align_corners:
        gx = src_x * (2.0 / max(width - 1, 1)) - 1.0
        gy = src_y * (2.0 / max(height - 1, 1)) - 1.0
    else:
        gx = (src_x * 2.0 + 1.0) / width - 1.0
        gy = (src_y * 2.0 + 1.0) / height - 1.0
    return torch.stack([gx, gy], dim=-1)


def affine_transform(
    images: torch.Tensor,
    transform: torch.Tensor,
    interpolation: str = "bilinear",
    fill_mode: str = "constant",
    fill_value: float = 0.0,
    data_format: str = "channels_last",
) -> torch.Tensor:
    """Warps 3D/4D images by Keras' `(N, 8)` (or `(8,)`) transforms with `F.grid_sample`.

    Matches `keras.ops.image.affine_transform`: "constant" fills with `fill_value`, "nearest"
    repeats the edge, "reflect" reflects about the pixel edge `(d c b a | a b c d)`, "mirror"
    about the edge pixel `(c b | a b c d)`, "wrap" tiles the image.

    Example:
        >>> t = torch.tensor([1.0, 0, 0, 0, 1, 0, 0, 0])  # the identity
        >>> x = torch.rand(5, 6, 3)
        >>> torch.allclose(affine_transform(x, t), x)
        True
    """
    x, unbatched = to_nchw(images, data_format)
    out_dtype = x.dtype
    if not x.is_floating_point():
        x = x.to(torch.float32)
    if transform.dim() == 1:
        transform = transform.unsqueeze(0)
    transform = transform.to(dtype=x.dtype, device=x.device).expand(x.shape[0], 8)
    height, width = x.shape[-2], x.shape[-1]
    wrap = fill_mode == "wrap"
    mode = "nearest" if interpolation == "nearest" else "bilinear"
    src_x, src_y = _source_coordinates(transform, height, width, wrap, mode == "nearest")
    fill = float(fill_value)
    if wrap:  # one extra row/column holding the first one, so the last pixel blends into it
        x = torch.cat([x, x[:, :, :1]], dim=2)
        x = torch.cat([x, x[:, :, :, :1]], dim=3)
        grid = _grid(src_x, src_y, height + 1, width + 1, align_corners=True)
        out = F.grid_sample(x, grid, mode=mode, padding_mode="zeros", align_corners=True)
    elif fill_mode == "constant":
        grid = _grid(src_x, src_y, height, width, align_corners=False)
        shifted = x - fill if fill else x
        out = F.grid_sample(shifted, grid, mode=mode, padding_mode="zeros", align_corners=False)
        if fill:
            out = out + fill
    else:
        aligned = fill_mode == "mirror"
        padding = "border" if fill_mode == "nearest" else "reflection"
        grid = _grid(src_x, src_y, height, width, align_corners=aligned)
        out = F.grid_sample(x, grid, mode=mode, padding_mode=padding, align_corners=aligned)
    if out_dtype != out.dtype:
        out = torch.round(out).to(out_dtype)
    return from_nchw(out, data_format, unbatched)


def adjust_contrast(
    images: torch.Tensor, factor: torch.Tensor, data_format: str = "channels_last"
) -> torch.Tensor:
    """`(x - mean) * factor + mean` per image and channel (`factor` broadcast over the image)."""
    h_axis, w_axis = spatial_axes(images.dim(), data_format)
    mean = images.mean(dim=(h_axis, w_axis), keepdim=True)
    return torch.addcmul(mean, images - mean, factor)
