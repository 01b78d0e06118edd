"""`StringLookup`: maps strings to vocabulary indices (or encodings), and back with `invert`."""

from __future__ import annotations

from typing import Any

import numpy as np
import torch

from torchkeras_lite.layers.preprocessing.base_preprocessing_layer import (
    StringArray,
    is_string_like,
    strip_targets,
    to_string_array,
    to_tensor,
)
from torchkeras_lite.layers.preprocessing.fingerprint import hash_bucket
from torchkeras_lite.layers.preprocessing.index_lookup import IndexLookup


class StringLookup(IndexLookup):
    """Maps strings to integer indices through a vocabulary, in Python, then encodes them in torch.

    Strings cannot live in tensors: inputs are a str, a (nested) list of str, or a numpy array of
    str/bytes; the indices come back as an int64 tensor (CPU). Tokens outside the vocabulary go to
    the OOV indices (hashed with FarmHash64, or SipHash64 with `salt`, over `num_oov_indices`
    buckets, as Keras). `invert=True` maps indices back to a numpy array of str.

    Args:
        max_tokens: the maximum vocabulary size (including mask and OOV indices) for `adapt`,
            or the encoding width with `pad_to_max_tokens`.
        num_oov_indices: the number of OOV indices (default 1); 0 makes OOV inputs an error.
        mask_token: a token mapped to index 0 in `"int"` mode and dropped from the other encodings;
            None (default) for no mask.
        oov_token: the token returned for OOV indices with `invert=True` (default `"[UNK]"`).
        vocabulary: a list / 1D array of strings, or a path to a file with one token per line.
        idf_weights: the IDF weights for `"tf_idf"` mode, one per vocabulary term.
        invert: map indices to strings instead (only with `output_mode="int"`).
        output_mode: `"int"` (default), `"one_hot"`, `"multi_hot"`, `"count"` or `"tf_idf"`.
        pad_to_max_tokens: pad the encodings to `max_tokens` wide.
        sparse: must be False (sparse outputs are TensorFlow-only).
        encoding: the text encoding of bytes inputs (default `"utf-8"`).
        salt: an int or a pair of ints: hash OOV tokens with SipHash64 keyed by it.
        **kwargs: base layer arguments (`name`, ...).

    Input shape:
        any shape of strings (ints with `invert=True`).

    Output shape:
        "int": the input shape; "one_hot": the input shape plus a vocabulary axis (replacing a
        trailing axis of size 1); other modes: the last axis replaced by the vocabulary axis.

    Example:
        >>> layer = keras.layers.StringLookup(vocabulary=["a", "b", "c", "d"])
        >>> layer([["a", "c", "d"], ["d", "z", "b"]])
        tensor([[1, 3, 4],
                [4, 0, 2]])
    """

    def __init__(
        self,
        max_tokens: int | None = None,
        num_oov_indices: int = 1,
        mask_token: str | None = None,
        oov_token: str = "[UNK]",
        vocabulary: Any = None,
        idf_weights: Any = None,
        invert: bool = False,
        output_mode: str = "int",
        pad_to_max_tokens: bool = False,
        sparse: bool = False,
        encoding: str = "utf-8",
        salt: Any = None,
        **kwargs: Any,
    ):
        self.encoding = encoding
        super().__init__(
            max_tokens=max_tokens,
            num_oov_indices=num_oov_indices,
            mask_token=mask_token,
            oov_token=oov_token,
            vocabulary=vocabulary,
            idf_weights=idf_weights,
            invert=invert,
            output_mode=output_mode,
            pad_to_max_tokens=pad_to_max_tokens,
            sparse=sparse,
            salt=salt,
            **kwargs,
        )

    def _to_token(self, value: Any) -> Any:
        if isinstance(value, bytes):
            return value.decode(self.encoding)
        return value if value is None else str(value)

    def _build_tables(self) -> None:
        start = self._token_start_index()
        table = {token: start + i for i, token in enumerate(self._vocab)}
        if self.mask_token is not None:
            table[self.mask_token] = 0 if self.output_mode == "int" else -1  # -1: dropped
        self._table = table
        self._inverse = np.array(self.get_vocabulary(), dtype=object)

    def _batch_rows(self, batch: Any) -> list[list[Any]]:
        arr = to_string_array(strip_targets(batch), self.encoding)
        if arr.ndim < 2:
            arr = arr.reshape(1, -1)
        return [list(row) for row in arr.reshape(arr.shape[0], -1)]

    def _convert_inputs(self, inputs: Any) -> Any:
        if self.invert or not is_string_like(inputs):
            return to_tensor(inputs, torch.int64)
        return StringArray(to_string_array(inputs, self.encoding))

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        if args and isinstance(args[0], (str, bytes)):
            args = (StringArray(to_string_array(args[0], self.encoding)), *args[1:])
        return super().__call__(*args, **kwargs)

    def _lookup(self, inputs: Any) -> torch.Tensor:
        if not isinstance(inputs, StringArray):
            raise TypeError(
                "StringLookup expects string inputs: a str, a list of str or a numpy array of "
                f"str. Received: inputs of type {type(inputs).__name__}"
            )
        arr = inputs.array
        get, miss = self._table.get, -2
        flat = arr.reshape(-1)
        ids = np.fromiter((get(t, miss) for t in flat), dtype=np.int64, count=flat.size)
        oov = np.flatnonzero(ids == miss)
        if oov.size:
            if self.num_oov_indices == 0:
                raise ValueError(
                    "When `num_oov_indices=0` all inputs should be in vocabulary, found OOV "
                    f"values {sorted(set(flat[oov].tolist()))}, consider setting `num_oov_indices=1`."
                )
            start = self._oov_start_index()
            if self.num_oov_indices == 1:
                ids[oov] = start
            else:
                n, salt, enc = self.num_oov_indices, self.salt, self.encoding
                ids[oov] = [start + hash_bucket(flat[i].encode(enc), n, salt) for i in oov]
        return torch.from_numpy(ids.reshape(arr.shape))

    def _invert(self, inputs: torch.Tensor) -> np.ndarray:
        idx = inputs.detach().cpu().numpy().astype(np.int64)
        table = np.append(self._inverse, self.oov_token)  # the last slot answers out-of-range
        size = len(self._inverse)
        return table[np.where((idx >= 0) & (idx < size), idx, size)].astype(str)

    def get_config(self) -> dict[str, Any]:
        return {**super().get_config(), "encoding": self.encoding}
