"""Categorical ops: bucketizing and one-hot / multi-hot / count encodings, without host syncs.

Encodings scatter into one extra "dropped" column that absorbs out-of-range indices (negative,
`>= depth`, or a lookup layer's masked tokens) and is sliced away, so no value check ever has
to read the data back to the host.
"""

from __future__ import annotations

import torch

ENCODING_MODES = ("int", "one_hot", "multi_hot", "count")


def digitize(x: torch.Tensor, boundaries: torch.Tensor) -> torch.Tensor:
    """The bucket of each value: `i` such that `boundaries[i-1] <= x < boundaries[i]` (int64).

    Example:
        >>> digitize(torch.tensor([-1.0, 0.0, 1.5, 9.0]), torch.tensor([0.0, 1.0, 2.0]))
        tensor([0, 1, 2, 3])
    """
    if x.dtype == torch.bool:
        x = x.to(torch.uint8)
    if x.dtype != boundaries.dtype:
        dtype = torch.promote_types(x.dtype, boundaries.dtype)
        x, boundaries = x.to(dtype), boundaries.to(dtype)
    return torch.bucketize(x, boundaries, right=True)


def _safe_index(indices: torch.Tensor, depth: int) -> torch.Tensor:
    """int64 indices with every value outside `[0, depth)` replaced by `depth` (the dropped column)."""
    idx = indices.long()
    return torch.where((idx >= 0) & (idx < depth), idx, depth)


def one_hot(indices: torch.Tensor, depth: int, dtype: torch.dtype = torch.float32) -> torch.Tensor:
    """`indices.shape + (depth,)` with a 1 at each index; out-of-range indices encode as zeros."""
    idx = _safe_index(indices, depth).unsqueeze(-1)
    out = torch.zeros((*indices.shape, depth + 1), dtype=dtype, device=indices.device)
    return out.scatter_(-1, idx, 1)[..., :depth]


def multi_hot(
    indices: torch.Tensor, depth: int, dtype: torch.dtype = torch.float32
) -> torch.Tensor:
    """Reduces the last axis: a 1 for every index present in a sample, `shape[:-1] + (depth,)`."""
    idx = _safe_index(indices, depth)
    out = torch.zeros((*indices.shape[:-1], depth + 1), dtype=dtype, device=indices.device)
    return out.scatter_(-1, idx, 1)[..., :depth]


def bincount(
    indices: torch.Tensor,
    depth: int,
    dtype: torch.dtype = torch.float32,
    weights: torch.Tensor | None = None,
) -> torch.Tensor:
    """Counts (or sums `weights`) per index over the last axis: `shape[:-1] + (depth,)`."""
    idx = _safe_index(indices, depth)
    if weights is None:
        src = torch.ones(idx.shape, dtype=dtype, device=idx.device)
    else:
        dtype = weights.dtype
        src = weights.expand(idx.shape)
    out = torch.zeros((*indices.shape[:-1], depth + 1), dtype=dtype, device=indices.device)
    return out.scatter_add(-1, idx, src)[..., :depth]


def encode_categorical(
    indices: torch.Tensor,
    output_mode: str,
    depth: int,
    dtype: torch.dtype = torch.float32,
    count_weights: torch.Tensor | None = None,
) -> torch.Tensor:
    """Keras' categorical encodings of integer `indices` with `depth` classes.

    "int" casts to `dtype`; "one_hot" appends a `depth` axis (replacing a trailing axis of size
    1); "multi_hot" and "count" reduce the last (sample) axis. Scalars are treated as one sample.

    Example:
        >>> encode_categorical(torch.tensor([[0, 1], [3, 3]]), "count", 4)
        tensor([[1., 1., 0., 0.],
                [0., 0., 0., 2.]])
    """
    if output_mode == "int":
        return indices if indices.dtype == dtype else indices.to(dtype)
    if indices.dim() == 0:
        indices = indices.unsqueeze(0)
        if count_weights is not None:
            count_weights = count_weights.reshape(1)
    if output_mode == "one_hot":
        if indices.dim() > 1 and indices.shape[-1] == 1:
            indices = indices.squeeze(-1)
        return one_hot(indices, depth, dtype)
    if output_mode == "multi_hot":
        return multi_hot(indices, depth, dtype)
    return bincount(indices, depth, dtype, count_weights)
