"""`keras.ops.nn` convolutions and pooling on `torch.nn.functional`, with Keras' conventions.

Inputs are `(batch, *spatial, channels)` ("channels_last", the default) or
`(batch, channels, *spatial)`; kernels use Keras' layouts: `(*kernel, in // groups, out)` for `conv`,
`(*kernel, in, multiplier)` for `depthwise_conv` and `(*kernel, out, in)` for `conv_transpose`.
"same" padding puts the odd pixel at the end; max pooling pads with -inf and average pooling
leaves the padding out of the count.

Example:
    >>> x, k = np.ones((1, 5, 5, 2)), np.ones((3, 3, 2, 4))
    >>> keras.ops.conv(x, k, padding="same").shape
    torch.Size([1, 5, 5, 4])
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import torch
import torch.nn.functional as F

from torchkeras_lite.backend.config import standardize_data_format
from torchkeras_lite.ops.tensor_utils import binary, convert

_CONV = {1: F.conv1d, 2: F.conv2d, 3: F.conv3d}
_CONV_T = {1: F.conv_transpose1d, 2: F.conv_transpose2d, 3: F.conv_transpose3d}
_MAX = {1: F.max_pool1d, 2: F.max_pool2d, 3: F.max_pool3d}
_AVG = {1: F.avg_pool1d, 2: F.avg_pool2d, 3: F.avg_pool3d}
_ADAPTIVE_AVG = {1: F.adaptive_avg_pool1d, 2: F.adaptive_avg_pool2d, 3: F.adaptive_avg_pool3d}
_ADAPTIVE_MAX = {1: F.adaptive_max_pool1d, 2: F.adaptive_max_pool2d, 3: F.adaptive_max_pool3d}


def _tuple(value: int | Sequence[int], n: int, name: str) -> tuple[int, ...]:
    out = (int(value),) * n if isinstance(value, int) else tuple(int(v) for v in value)
    if len(out) != n:
        raise ValueError(f"`{name}` must have {n} values. Received: {name}={value}")
    return out


def _to_first(x: torch.Tensor, data_format: str | None) -> tuple[torch.Tensor, int, bool]:
    """`x` channels-first (a view), its number of spatial dims, and whether to move back."""
    if x.ndim not in (3, 4, 5):
        raise ValueError(
            "Inputs must have rank 3, 4 or 5 (1D, 2D or 3D with batch and channels). "
            f"Received: inputs.shape={tuple(x.shape)}"
        )
    last = standardize_data_format(data_format) == "channels_last"
    return (torch.movedim(x, -1, 1) if last else x), x.ndim - 2, last


def _from_first(y: torch.Tensor, last: bool) -> torch.Tensor:
    return torch.movedim(y, 1, -1) if last else y


def same_pads(size: Sequence[int], kernel, strides, dilation) -> list[tuple[int, int]]:
    pads = []
    for n, k, s, d in zip(size, kernel, strides, dilation):
        k_eff = (k - 1) * d + 1
        total = max((-(-n // s) - 1) * s + k_eff - n, 0)
        pads.append((total // 2, total - total // 2))
    return pads


def flat_pads(pads: list[tuple[int, int]]) -> list[int]:
    return [p for pair in reversed(pads) for p in pair]


def _padding(padding: str) -> str:
    padding = padding.lower()
    if padding not in ("valid", "same"):
        raise ValueError(f"`padding` must be 'valid' or 'same'. Received: padding={padding!r}")
    return padding


def _conv(x, weight, strides, padding, dilation, groups, rank) -> torch.Tensor:
    kernel = weight.shape[2:]
    if _padding(padding) == "same":
        x = F.pad(x, flat_pads(same_pads(x.shape[2:], kernel, strides, dilation)))
    return _CONV[rank](x, weight, None, strides, 0, dilation, groups)


def conv(
    inputs: Any, kernel: Any, strides=1, padding: str = "valid", data_format=None, dilation_rate=1
) -> torch.Tensor:
    """N-D convolution (grouped when `in_channels` is a multiple of the kernel's input channels)."""
    x, kernel = binary(inputs, kernel)
    x, rank, last = _to_first(x, data_format)
    weight = torch.movedim(kernel, (-1, -2), (0, 1))  # (out, in // groups, *kernel)
    if x.shape[1] % weight.shape[1]:
        raise ValueError(
            "The input channels must be a multiple of the kernel's input channels. "
            f"Received: input channels={x.shape[1]}, kernel.shape={tuple(kernel.shape)}"
        )
    groups = x.shape[1] // weight.shape[1]
    strides, dilation = (
        _tuple(strides, rank, "strides"),
        _tuple(dilation_rate, rank, "dilation_rate"),
    )
    return _from_first(_conv(x, weight, strides, padding, dilation, groups, rank), last)


def depthwise_conv(
    inputs: Any, kernel: Any, strides=1, padding: str = "valid", data_format=None, dilation_rate=1
) -> torch.Tensor:
    """Per-channel convolution with a `(*kernel, in, multiplier)` kernel: `in * multiplier` outputs."""
    x, kernel = binary(inputs, kernel)
    x, rank, last = _to_first(x, data_format)
    channels = kernel.shape[-2]
    weight = torch.movedim(kernel.reshape(*kernel.shape[:-2], 1, -1), (-1, -2), (0, 1))
    strides, dilation = (
        _tuple(strides, rank, "strides"),
        _tuple(dilation_rate, rank, "dilation_rate"),
    )
    return _from_first(_conv(x, weight, strides, padding, dilation, channels, rank), last)


def separable_conv(
    inputs: Any,
    depthwise_kernel: Any,
    pointwise_kernel: Any,
    strides=1,
    padding: str = "valid",
    data_format=None,
    dilation_rate=1,
) -> torch.Tensor:
    """A depthwise convolution followed by a 1x1 (pointwise) convolution."""
    mid = depthwise_conv(inputs, depthwise_kernel, strides, padding, data_format, dilation_rate)
    return conv(mid, pointwise_kernel, 1, "valid", data_format, 1)


def conv_transpose(
    inputs: Any,
    kernel: Any,
    strides=1,
    padding: str = "valid",
    output_padding=None,
    data_format=None,
    dilation_rate=1,
) -> torch.Tensor:
    """Transposed convolution with a `(*kernel, out, in)` kernel and Keras' output sizes."""
    x, kernel = binary(inputs, kernel)
    x, rank, last = _to_first(x, data_format)
    padding = _padding(padding)
    strides, dilation = (
        _tuple(strides, rank, "strides"),
        _tuple(dilation_rate, rank, "dilation_rate"),
    )
    out_pad = (
        [None] * rank if output_padding is None else _tuple(output_padding, rank, "output_padding")
    )
    weight = torch.movedim(kernel, (-1, -2), (0, 1))  # (in, out, *kernel)
    y = _CONV_T[rank](x, weight, None, strides, 0, 0, 1, dilation)  # the full transposed conv
    pads = []
    for k, s, d, op in zip(kernel.shape[:-2], strides, dilation, out_pad):
        k_eff = (k - 1) * d + 1
        if padding == "valid":
            left, right = k_eff - 1, k_eff - 1 + (max(k_eff, s) - k_eff if op is None else op)
        else:
            total = s + k_eff - 2 if op is None else k_eff + k_eff % 2 - 2 + op
            left = min(total // 2 + total % 2, k_eff - 1)
            right = total - left
        pads.append((left - (k_eff - 1), right - (k_eff - 1)))  # negative values crop
    return _from_first(F.pad(y, flat_pads(pads)), last)


def _pool(inputs, pool_size, strides, padding, data_format, average: bool) -> torch.Tensor:
    x, rank, last = _to_first(convert(inputs), data_format)
    size = _tuple(pool_size, rank, "pool_size")
    strides = size if strides is None else _tuple(strides, rank, "strides")
    pads = [(0, 0)] * rank
    if _padding(padding) == "same":
        pads = same_pads(x.shape[2:], size, strides, (1,) * rank)
    if not average:
        x = F.pad(x, flat_pads(pads), value=float("-inf")) if any(map(any, pads)) else x
        return _from_first(_MAX[rank](x, size, strides), last)
    if not any(map(any, pads)):
        return _from_first(_AVG[rank](x, size, strides), last)
    flat = flat_pads(pads)
    padded, ones = F.pad(x, flat), F.pad(torch.ones_like(x[:1, :1]), flat)
    if rank == 1:  # avg_pool1d has no divisor_override: pool 1 x k windows in 2D
        padded, ones = padded.unsqueeze(-2), ones.unsqueeze(-2)
        size, strides = (1, *size), (1, *strides)
    pool = _AVG[max(rank, 2)]
    out = pool(padded, size, strides, divisor_override=1) / pool(
        ones, size, strides, divisor_override=1
    )
    return _from_first(out.squeeze(-2) if rank == 1 else out, last)


def max_pool(inputs: Any, pool_size, strides=None, padding: str = "valid", data_format=None):
    """Max pooling over `pool_size` windows (stride defaults to the pool size)."""
    return _pool(inputs, pool_size, strides, padding, data_format, average=False)


def average_pool(inputs: Any, pool_size, strides=None, padding: str = "valid", data_format=None):
    """Average pooling over `pool_size` windows (padding left out of the averages)."""
    return _pool(inputs, pool_size, strides, padding, data_format, average=True)


def _adaptive(table, inputs, output_size, data_format) -> torch.Tensor:
    x, rank, last = _to_first(convert(inputs), data_format)
    size = _tuple(output_size, rank, "output_size")
    y = table[rank](x, size)
    return _from_first(y[0] if isinstance(y, tuple) else y, last)


def adaptive_average_pool(inputs: Any, output_size, data_format=None) -> torch.Tensor:
    """Average pooling to a fixed `output_size`, whatever the input size."""
    return _adaptive(_ADAPTIVE_AVG, inputs, output_size, data_format)


def adaptive_max_pool(inputs: Any, output_size, data_format=None) -> torch.Tensor:
    """Max pooling to a fixed `output_size`, whatever the input size."""
    return _adaptive(_ADAPTIVE_MAX, inputs, output_size, data_format)
