"""Convolution ops with Keras' layouts and padding rules, on torch's own conv kernels.

Kernels stay in Keras' layouts (`(*kernel_size, in // groups, out)`; transposed:
`(*kernel_size, out, in)`; depthwise: `(*kernel_size, in, depth_multiplier)`) and are permuted to
torch's layout per call (a view). Channels-last inputs are permuted to channels-first *views*:
for 2D/3D that is exactly torch's `channels_last` memory format, which the conv kernels run
natively, and the output permuted back is again a view; channels-last 1D inputs are lifted to 2D
for the same reason. Everything that depends only on the configuration (padding split,
permutations, torch arguments) is resolved once into a `ConvPlan`; `conv_apply` runs it.

(Named `convolution` because `ops.conv` is the `keras.ops.conv` function.)

Example:
    >>> plan = conv_plan(2, (3, 3), (2, 2), "same", (1, 1), spatial_shape=(8, 8))
    >>> conv_apply(torch.ones(1, 8, 8, 2), torch.ones(3, 3, 2, 4), None, plan).shape
    torch.Size([1, 4, 4, 4])
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import NamedTuple

import torch
import torch.nn.functional as F

_CONV = {1: F.conv1d, 2: F.conv2d, 3: F.conv3d}
_CONV_T = {1: F.conv_transpose1d, 2: F.conv_transpose2d, 3: F.conv_transpose3d}


def same_padding(length: int, kernel: int, stride: int = 1, dilation: int = 1) -> tuple[int, int]:
    """Keras' "same" padding of one dimension as `(before, after)`; the odd pixel goes after.

    Example:
        >>> same_padding(8, 3, 2)  # stride 2 on an even input pads only at the end
        (0, 1)
    """
    k = (kernel - 1) * dilation + 1
    total = k - 1 if stride == 1 else max(0, (-(-length // stride) - 1) * stride + k - length)
    return total // 2, total - total // 2


def conv_paddings(
    spatial_shape: Sequence[int | None],
    kernel_size: Sequence[int],
    strides: Sequence[int],
    dilation_rate: Sequence[int],
    padding: str,
) -> tuple[tuple[int, int], ...]:
    """`(before, after)` zero padding per spatial dimension for "valid", "same" or "causal"."""
    if padding == "valid":
        return tuple((0, 0) for _ in kernel_size)
    if padding == "causal":
        return tuple(((k - 1) * d, 0) for k, d in zip(kernel_size, dilation_rate))
    return tuple(
        same_padding(n or 0, k, s, d)
        for n, k, s, d in zip(spatial_shape, kernel_size, strides, dilation_rate)
    )


def transpose_crops(
    kernel_size: Sequence[int],
    strides: Sequence[int],
    padding: str,
    output_padding: Sequence[int] | None,
    dilation_rate: Sequence[int],
) -> tuple[tuple[int, int], ...]:
    """How much Keras (as TF/JAX) crops from each end of the full transposed convolution.

    The full transposed convolution of a size-`n` input has size `(n - 1) * s + k_eff`; the
    crops depend only on the configuration. A negative end crop extends the output (zeros).
    """
    crops = []
    for i, (k, s, d) in enumerate(zip(kernel_size, strides, dilation_rate)):
        k_eff = (k - 1) * d + 1
        op = None if output_padding is None else output_padding[i]
        if padding == "valid":
            left = k_eff - 1
            right = k_eff - 1 + (max(k_eff, s) - k_eff if op is None else op)
        else:
            total = s + k_eff - 2 if op is None else k_eff + k_eff % 2 - 2 + op
            left = min(total // 2 + total % 2, k_eff - 1)
            right = total - left
        crops.append((k_eff - 1 - left, k_eff - 1 - right))
    return tuple(crops)


class ConvPlan(NamedTuple):
    """Torch arguments for one convolution configuration, resolved once."""

    torch_rank: int  # the rank of the torch kernel run (2 for a lifted 1D convolution)
    stride: tuple[int, ...]
    padding: tuple[int, ...]
    dilation: tuple[int, ...]
    groups: int
    pad: tuple[int, ...] | None  # F.pad of the input in its own layout (asymmetric padding)
    lift: int | None  # a channels-last 1D input is lifted to 2D by unsqueezing this axis
    to_cf: tuple[int, ...] | None  # input -> channels-first view (None: already)
    to_cl: tuple[int, ...] | None  # output -> channels-last view
    kernel_view: tuple[int, ...] | None  # reshape of the Keras kernel (depthwise)
    kernel_perm: tuple[int, ...]  # Keras kernel -> torch weight
    output_padding: tuple[int, ...] | None = None  # transposed convolutions only
    crop: tuple[slice, ...] | None = None  # transposed: a slice of the torch-layout output


def _assemble(rank: int, data_format: str, strides, padding, dilation, **fields) -> ConvPlan:
    channels_last = data_format == "channels_last"
    lift = 1 if rank == 1 and channels_last else None
    torch_rank = 2 if lift else rank
    one, zero = ((1,), (0,)) if lift else ((), ())
    if fields.get("output_padding") is not None:
        fields["output_padding"] = zero + tuple(fields["output_padding"])
    return ConvPlan(
        torch_rank=torch_rank,
        stride=one + tuple(strides),
        padding=zero + tuple(padding),
        dilation=one + tuple(dilation),
        lift=lift,
        to_cf=(0, torch_rank + 1, *range(1, torch_rank + 1)) if channels_last else None,
        to_cl=(0, *range(2, torch_rank + 2), 1) if channels_last else None,
        kernel_perm=(rank + 1, rank, *range(rank)),
        **fields,
    )


def conv_plan(
    rank: int,
    kernel_size: Sequence[int],
    strides: Sequence[int],
    padding: str,
    dilation_rate: Sequence[int],
    groups: int = 1,
    data_format: str = "channels_last",
    spatial_shape: Sequence[int | None] | None = None,
    depthwise: tuple[int, int] | None = None,
) -> ConvPlan:
    """Resolves a Keras convolution ("valid", "same" or "causal") into torch arguments.

    Symmetric padding goes to torch's `padding`; asymmetric padding (Keras puts the odd pixel at
    the end; causal pads only the start) is an `F.pad` of the input. `spatial_shape` matters
    only for "same" with strides > 1. `depthwise=(in_channels, depth_multiplier)` reads the
    kernel as depthwise (`groups = in_channels`).
    """
    pairs = conv_paddings(
        spatial_shape or (None,) * rank, kernel_size, strides, dilation_rate, padding
    )
    pad = None
    if any(a != b for a, b in pairs):
        flat = [0, 0] if data_format == "channels_last" else []  # the channel axis is last
        for a, b in reversed(pairs):
            flat += [a, b]
        pad, pairs = tuple(flat), ((0, 0),) * rank
    kernel_view = None
    if depthwise is not None:
        kernel_view, groups = (*kernel_size, 1, depthwise[0] * depthwise[1]), depthwise[0]
    return _assemble(
        rank,
        data_format,
        strides,
        tuple(a for a, _ in pairs),
        dilation_rate,
        groups=groups,
        pad=pad,
        kernel_view=kernel_view,
    )


def conv_transpose_plan(
    rank: int,
    kernel_size: Sequence[int],
    strides: Sequence[int],
    padding: str,
    output_padding: Sequence[int] | None,
    dilation_rate: Sequence[int],
    data_format: str = "channels_last",
) -> ConvPlan:
    """Resolves a Keras transposed convolution into torch's `padding`/`output_padding` + a crop.

    Torch crops `padding` from both ends and extends the end by `output_padding`. Keras' window
    `(crop_left, crop_right)` is `padding=crop_left` plus `output_padding=crop_left-crop_right`
    when the end is longer (always below the stride for configurations Keras accepts), or a
    slice of the output when the end is cropped more.
    """
    crops = transpose_crops(kernel_size, strides, padding, output_padding, dilation_rate)
    crop = None
    if any(right > left for left, right in crops):
        head = (slice(None),) * (3 if rank == 1 and data_format == "channels_last" else 2)
        crop = head + tuple(slice(0, left - right) if right > left else slice(None) for left, right in crops)  # fmt: skip
    return _assemble(
        rank,
        data_format,
        strides,
        tuple(left for left, _ in crops),
        dilation_rate,
        groups=1,
        pad=None,
        kernel_view=None,
        output_padding=tuple(max(0, left - right) for left, right in crops),
        crop=crop,
    )


def torch_weight(kernel: torch.Tensor, plan: ConvPlan) -> torch.Tensor:
    """The Keras-layout kernel as torch's weight: a permuted view (no copy)."""
    if plan.kernel_view is not None:
        kernel = kernel.reshape(plan.kernel_view)
    weight = kernel.permute(plan.kernel_perm)
    return weight.unsqueeze(2) if plan.lift is not None else weight


def weight_memory_format(plan: ConvPlan) -> torch.memory_format:
    """The weight layout torch's kernels want for the plan's inputs (to cache a weight in)."""
    if plan.to_cf is None:
        return torch.contiguous_format
    return torch.channels_last if plan.torch_rank == 2 else torch.channels_last_3d


def conv_apply(
    x: torch.Tensor,
    kernel: torch.Tensor,
    bias: torch.Tensor | None,
    plan: ConvPlan,
    weight: torch.Tensor | None = None,
) -> torch.Tensor:
    """Runs a planned (transposed) convolution on `x` (in the plan's data format).

    `weight`, when given, is the kernel already in torch's layout (e.g. a cached copy) and
    `kernel` is not read.
    """
    if plan.pad is not None:
        x = F.pad(x, plan.pad)
    if plan.lift is not None:
        x = x.unsqueeze(plan.lift)
    if plan.to_cf is not None:
        x = x.permute(plan.to_cf)
    if weight is None:
        weight = torch_weight(kernel, plan)
    if plan.output_padding is None:
        fn = _CONV[plan.torch_rank]
        y = fn(x, weight, bias, plan.stride, plan.padding, plan.dilation, plan.groups)
    else:
        fn = _CONV_T[plan.torch_rank]
        late_bias = bias if plan.crop is not None else None  # see below
        if late_bias is not None:
            bias = None
        y = fn(x, weight, bias, plan.stride, plan.padding, plan.output_padding, 1, plan.dilation)
        if plan.crop is not None:
            y = y[plan.crop]
        if late_bias is not None:
            # Added after the crop: torch's fused bias on the uncropped odd-sized output runs
            # ~1.5x slower (forward+backward, CPU) than this add.
            y = y + late_bias.view(-1, *(1,) * plan.torch_rank)
    if plan.to_cl is not None:
        y = y.permute(plan.to_cl)
    return y.squeeze(plan.lift) if plan.lift is not None else y
