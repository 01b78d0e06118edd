"""`keras.utils.pad_sequences` (also `keras.preprocessing.sequence.pad_sequences`)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np


def pad_sequences(
    sequences: Sequence[Sequence[Any]],
    maxlen: int | None = None,
    dtype: str = "int32",
    padding: str = "pre",
    truncating: str = "pre",
    value: Any = 0.0,
) -> np.ndarray:
    """Pads (or truncates) sequences to one length: a numpy array `(len(sequences), maxlen)`.

    Args:
        sequences: a list of sequences (lists or arrays; items may themselves be arrays).
        maxlen: the length (default: the longest sequence).
        dtype: the output dtype (`"object"` or a string dtype allows string items).
        padding: "pre" or "post": where padding values go.
        truncating: "pre" or "post": which end of a longer sequence is cut.
        value: the padding value.

    Example:
        >>> keras.utils.pad_sequences([[1, 2, 3], [4]], maxlen=2)
        array([[2, 3],
               [0, 4]], dtype=int32)
    """
    if not hasattr(sequences, "__len__"):
        raise ValueError(f"`sequences` must be iterable. Received: sequences={sequences!r}")
    if padding not in ("pre", "post"):
        raise ValueError(f'`padding` must be "pre" or "post". Received: padding={padding!r}')
    if truncating not in ("pre", "post"):
        raise ValueError(
            f'`truncating` must be "pre" or "post". Received: truncating={truncating!r}'
        )
    lengths, sample_shape = [], ()
    for seq in sequences:
        if not hasattr(seq, "__len__"):
            raise ValueError(
                f"`sequences` must be a list of iterables. Found a non-iterable: {seq!r}"
            )
        lengths.append(len(seq))
        if not sample_shape and len(seq):
            sample_shape = np.asarray(seq).shape[1:]
    if maxlen is None:
        maxlen = max(lengths, default=0)
    is_text = np.dtype(dtype).kind in "OUS"
    if isinstance(value, str) and not is_text:
        raise ValueError(
            f"`dtype` {dtype} is not compatible with the string padding value. Use "
            f"dtype='object'. Received: value={value!r}"
        )
    out = np.full((len(sequences), maxlen, *sample_shape), value, dtype=dtype)
    for i, seq in enumerate(sequences):
        if not len(seq) or not maxlen:
            continue
        kept = np.asarray(seq[-maxlen:] if truncating == "pre" else seq[:maxlen], dtype=dtype)
        if kept.shape[1:] != sample_shape:
            raise ValueError(
                f"Item {i} has shape {kept.shape[1:]} per step, unlike the first sequence's "
                f"{sample_shape}. Received: sequences[{i}]"
            )
        if padding == "post":
            out[i, : len(kept)] = kept
        else:
            out[i, -len(kept) :] = kept
    return out
