"""numpy-style shape manipulation (`keras.ops.reshape`, `concatenate`, `split`, `pad`, `take`, ...).

Example:
    >>> keras.ops.concatenate([np.zeros((1, 2)), np.ones((1, 2))], axis=0).shape
    torch.Size([2, 2])
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import torch

from torchkeras_lite.ops.tensor_utils import axes, convert, convert_all, torch_dtype


def reshape(x: Any, newshape: int | Sequence[int]) -> torch.Tensor:
    """`x` with a new shape (one dimension may be -1)."""
    shape = (newshape,) if isinstance(newshape, int) else tuple(newshape)
    return torch.reshape(convert(x), shape)


def ravel(x: Any) -> torch.Tensor:
    """`x` flattened to one dimension."""
    return torch.ravel(convert(x))


def transpose(x: Any, axes: Sequence[int] | None = None) -> torch.Tensor:
    """Permutes the axes (reverses them when `axes` is None)."""
    x = convert(x)
    return x.permute(*range(x.ndim - 1, -1, -1)) if axes is None else x.permute(*axes)


def swapaxes(x: Any, axis1: int, axis2: int) -> torch.Tensor:
    """Exchanges two axes."""
    return torch.swapaxes(convert(x), axis1, axis2)


def moveaxis(x: Any, source, destination) -> torch.Tensor:
    """Moves axes `source` to positions `destination`."""
    return torch.movedim(convert(x), source, destination)


def expand_dims(x: Any, axis: int | Sequence[int]) -> torch.Tensor:
    """Inserts size-1 axes at positions `axis` (of the result)."""
    x = convert(x)
    positions = (axis,) if isinstance(axis, int) else tuple(axis)
    for a in sorted(axes(positions, x.ndim + len(positions))):
        x = x.unsqueeze(a)
    return x


def squeeze(x: Any, axis: int | Sequence[int] | None = None) -> torch.Tensor:
    """Removes size-1 axes (only those in `axis` when given; they must have size 1)."""
    x = convert(x)
    if axis is None:
        return torch.squeeze(x)
    dims = axes(axis, x.ndim)
    for d in dims:
        if x.shape[d] != 1:
            raise ValueError(
                f"Cannot squeeze axis {d}: its size is {x.shape[d]}, not 1. Received: axis={axis}"
            )
    return torch.squeeze(x, dim=dims)


def broadcast_to(x: Any, shape: Sequence[int]) -> torch.Tensor:
    """`x` broadcast to `shape`."""
    return torch.broadcast_to(convert(x), tuple(shape))


def concatenate(xs: Sequence[Any], axis: int | None = 0) -> torch.Tensor:
    """Joins tensors along an existing axis (flattening them first when `axis` is None)."""
    xs = convert_all(*xs)
    if axis is None:
        return torch.cat([x.reshape(-1) for x in xs])
    return torch.cat(xs, dim=axis)


def append(x1: Any, x2: Any, axis: int | None = None) -> torch.Tensor:
    """`x2` appended to `x1` along `axis` (both flattened when None)."""
    return concatenate([x1, x2], axis=axis)


def stack(x: Sequence[Any], axis: int = 0) -> torch.Tensor:
    """Joins tensors along a new axis."""
    return torch.stack(convert_all(*x), dim=axis)


def hstack(xs: Sequence[Any]) -> torch.Tensor:
    """Stacks column-wise (along axis 1; axis 0 for 1-D inputs)."""
    return torch.hstack(convert_all(*xs))


def vstack(xs: Sequence[Any]) -> torch.Tensor:
    """Stacks row-wise (along axis 0, 1-D inputs becoming rows)."""
    return torch.vstack(convert_all(*xs))


def dstack(xs: Sequence[Any]) -> torch.Tensor:
    """Stacks depth-wise (along axis 2)."""
    return torch.dstack(convert_all(*xs))


def _sections(indices_or_sections):
    if isinstance(indices_or_sections, int):
        return indices_or_sections
    return [int(i) for i in convert(indices_or_sections).reshape(-1).tolist()]


def split(x: Any, indices_or_sections, axis: int = 0) -> list[torch.Tensor]:
    """Splits into equal sections (an int that must divide the size) or at the given indices."""
    x = convert(x)
    if isinstance(indices_or_sections, int) and x.shape[axis] % indices_or_sections:
        raise ValueError(
            f"The size of axis {axis} ({x.shape[axis]}) is not divisible by the number of "
            f"sections. Received: indices_or_sections={indices_or_sections}"
        )
    return list(torch.tensor_split(x, _sections(indices_or_sections), dim=axis))


def array_split(x: Any, indices_or_sections, axis: int = 0) -> list[torch.Tensor]:
    """Like `split`, but the sections may be unequal."""
    return list(torch.tensor_split(convert(x), _sections(indices_or_sections), dim=axis))


def hsplit(x: Any, indices_or_sections) -> list[torch.Tensor]:
    """`split` along axis 1 (axis 0 for 1-D inputs)."""
    return list(torch.hsplit(convert(x), _sections(indices_or_sections)))


def vsplit(x: Any, indices_or_sections) -> list[torch.Tensor]:
    """`split` along axis 0."""
    return list(torch.vsplit(convert(x), _sections(indices_or_sections)))


def dsplit(x: Any, indices_or_sections) -> list[torch.Tensor]:
    """`split` along axis 2."""
    return list(torch.dsplit(convert(x), _sections(indices_or_sections)))


def unstack(x: Any, num: int | None = None, axis: int = 0) -> list[torch.Tensor]:
    """The slices of `x` along `axis`, as a list."""
    return list(torch.unbind(convert(x), dim=axis))


def tile(x: Any, repeats) -> torch.Tensor:
    """`x` repeated `repeats` times along each axis."""
    reps = (repeats,) if isinstance(repeats, int) else tuple(int(r) for r in repeats)
    return torch.tile(convert(x), reps)


def repeat(x: Any, repeats, axis: int | None = None) -> torch.Tensor:
    """Repeats each element `repeats` times along `axis` (of the flattened input when None)."""
    x = convert(x)
    if not isinstance(repeats, int):
        repeats = convert(repeats, "int64", x.device)
    return torch.repeat_interleave(x, repeats, dim=axis)


def flip(x: Any, axis: int | Sequence[int] | None = None) -> torch.Tensor:
    """Reverses the order of elements along `axis` (all axes when None)."""
    x = convert(x)
    return torch.flip(x, dims=axes(axis, x.ndim) or tuple(range(x.ndim)))


def fliplr(x: Any) -> torch.Tensor:
    """Reverses axis 1."""
    return torch.fliplr(convert(x))


def flipud(x: Any) -> torch.Tensor:
    """Reverses axis 0."""
    return torch.flipud(convert(x))


def roll(x: Any, shift, axis=None) -> torch.Tensor:
    """Shifts elements cyclically along `axis` (of the flattened input when None)."""
    return torch.roll(convert(x), shift, dims=axis)


def rot90(array: Any, k: int = 1, axes: tuple[int, int] = (0, 1)) -> torch.Tensor:
    """Rotates by 90 degrees `k` times in the plane of `axes`."""
    x = convert(array)
    if x.ndim < 2:
        raise ValueError(f"`rot90` needs at least 2 dimensions. Received: array.ndim={x.ndim}")
    return torch.rot90(x, k=k, dims=axes)


def tril(x: Any, k: int = 0) -> torch.Tensor:
    """The lower triangle (at and below diagonal `k`) of the last two axes."""
    return torch.tril(convert(x), diagonal=k)


def triu(x: Any, k: int = 0) -> torch.Tensor:
    """The upper triangle (at and above diagonal `k`) of the last two axes."""
    return torch.triu(convert(x), diagonal=k)


def diagonal(x: Any, offset: int = 0, axis1: int = 0, axis2: int = 1) -> torch.Tensor:
    """The diagonal of the `(axis1, axis2)` planes, as the last axis."""
    return torch.diagonal(convert(x), offset=offset, dim1=axis1, dim2=axis2)


def trace(x: Any, offset: int = 0, axis1: int = 0, axis2: int = 1) -> torch.Tensor:
    """The sum along the diagonal; bool and small integer inputs give int32."""
    x = convert(x)
    dtype = (
        torch.int32 if x.dtype in (torch.bool, torch.int8, torch.int16, torch.uint8) else x.dtype
    )
    return torch.sum(torch.diagonal(x, offset, axis1, axis2), dim=-1, dtype=dtype)


def view(x: Any, dtype=None) -> torch.Tensor:
    """The bytes of `x` reinterpreted as `dtype`."""
    return convert(x).view(torch_dtype(dtype))


def ndim(x: Any) -> int:
    """The number of dimensions."""
    return convert(x).ndim


def size(x: Any) -> torch.Tensor:
    """The number of elements, as an int64 scalar tensor."""
    return torch.tensor(convert(x).numel())
