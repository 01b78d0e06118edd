"""`IntegerLookup`: maps integer tokens to vocabulary indices (or encodings), and back."""

from __future__ import annotations

from typing import Any

import numpy as np
import torch

from torchkeras_lite.layers.preprocessing.base_preprocessing_layer import (
    strip_targets,
    to_tensor,
    validate_string_arg,
)
from torchkeras_lite.layers.preprocessing.fingerprint_tensor import hash_integer_buckets
from torchkeras_lite.layers.preprocessing.index_lookup import IndexLookup


class IntegerLookup(IndexLookup):
    """Maps arbitrary integer tokens to contiguous indices through a vocabulary, on the device.

    The lookup is a `torch.searchsorted` into the sorted vocabulary (no host sync, except with
    `num_oov_indices=0`, where OOV inputs must raise; `oov_method="farmhash"` hashes on the
    device on accelerators, in Python on the CPU). Outputs are int64 in `"int"` mode, floats
    otherwise.

    Args:
        max_tokens: the maximum vocabulary size (including mask and OOV indices) for `adapt`,
            or the encoding width with `pad_to_max_tokens`.
        num_oov_indices: the number of OOV indices (default 1); 0 makes OOV inputs an error.
        mask_token: an int mapped to index 0 in `"int"` mode and dropped from the other
            encodings; None (default) for no mask.
        oov_token: the int returned for OOV indices with `invert=True` (default -1).
        vocabulary: a list / 1D array / tensor of ints, or a path to a file with one per line.
        vocabulary_dtype: must be `"int64"`.
        idf_weights: the IDF weights for `"tf_idf"` mode, one per vocabulary term.
        invert: map indices to tokens instead (only with `output_mode="int"`).
        output_mode: `"int"` (default), `"one_hot"`, `"multi_hot"`, `"count"` or `"tf_idf"`.
        sparse: must be False (sparse outputs are TensorFlow-only).
        pad_to_max_tokens: pad the encodings to `max_tokens` wide.
        oov_method: with several OOV indices, `"floormod"` (default: `token % num_oov_indices`) or
            `"farmhash"` (FarmHash64 of the decimal string, as Keras).
        salt: with `oov_method="farmhash"`, hash with SipHash64 keyed by it instead.
        **kwargs: base layer arguments (`name`, ...).

    Input shape:
        any shape of integers.

    Output shape:
        as `StringLookup`.

    Example:
        >>> layer = keras.layers.IntegerLookup(vocabulary=[12, 36, 1138, 42])
        >>> layer(torch.tensor([[12, 1138, 42], [42, 1000, 36]]))
        tensor([[1, 3, 4],
                [4, 0, 2]])
    """

    def __init__(
        self,
        max_tokens: int | None = None,
        num_oov_indices: int = 1,
        mask_token: int | None = None,
        oov_token: int = -1,
        vocabulary: Any = None,
        vocabulary_dtype: str = "int64",
        idf_weights: Any = None,
        invert: bool = False,
        output_mode: str = "int",
        sparse: bool = False,
        pad_to_max_tokens: bool = False,
        oov_method: str = "floormod",
        salt: Any = None,
        **kwargs: Any,
    ):
        if vocabulary_dtype != "int64":
            raise ValueError(
                "Only `vocabulary_dtype='int64'` is supported at this time. Received: "
                f"vocabulary_dtype={vocabulary_dtype}"
            )
        validate_string_arg(oov_method, ("floormod", "farmhash"), "IntegerLookup", "oov_method")
        if salt is not None and oov_method != "farmhash":
            raise ValueError(
                f"`salt` can only be used when `oov_method='farmhash'`. Received: oov_method={oov_method}"
            )
        self.oov_method = oov_method
        self.vocabulary_dtype = vocabulary_dtype
        super().__init__(
            max_tokens=max_tokens,
            num_oov_indices=num_oov_indices,
            mask_token=None if mask_token is None else int(mask_token),
            oov_token=None if oov_token is None else int(oov_token),
            vocabulary=vocabulary,
            idf_weights=idf_weights,
            invert=invert,
            output_mode=output_mode,
            sparse=sparse,
            pad_to_max_tokens=pad_to_max_tokens,
            salt=salt,
            **kwargs,
        )

    def _to_token(self, value: Any) -> Any:
        return int(value)

    def _build_tables(self) -> None:
        start = self._token_start_index()
        device = self._buffers["_keys"].device if "_keys" in self._buffers else None
        vocab = torch.tensor(self._vocab, dtype=torch.int64, device=device)
        keys, order = torch.sort(vocab)
        self.register_buffer("_keys", keys, persistent=False)
        self.register_buffer("_key_index", order + start, persistent=False)
        fallback = -1 if self.oov_token is None else self.oov_token
        table = torch.tensor([fallback] * start + self._vocab, dtype=torch.int64, device=device)
        if self._oov_start_index():
            table[0] = self.mask_token
        self.register_buffer("_inverse_table", table, persistent=False)

    def _batch_rows(self, batch: Any) -> list[list[Any]]:
        batch = strip_targets(batch)
        t = batch.detach().cpu() if isinstance(batch, torch.Tensor) else batch
        arr = np.asarray(t, dtype=np.int64)
        if arr.ndim < 2:
            arr = arr.reshape(1, -1)
        return arr.reshape(arr.shape[0], -1).tolist()

    def _convert_inputs(self, inputs: Any) -> torch.Tensor:
        return to_tensor(inputs, torch.int64)

    def _oov_indices(self, x: torch.Tensor) -> torch.Tensor:
        start, n = self._oov_start_index(), self.num_oov_indices
        if n == 1:
            return torch.full_like(x, start)
        if self.oov_method == "floormod":
            return torch.remainder(x, n) + start
        return hash_integer_buckets(x.detach(), n, self.salt) + start

    def _lookup(self, inputs: torch.Tensor) -> torch.Tensor:
        x = inputs.to(torch.int64) if inputs.dtype != torch.int64 else inputs
        keys = self._keys
        if keys.numel():
            pos = torch.searchsorted(keys, x).clamp_max_(keys.numel() - 1)
            found = keys[pos] == x
            ids = self._key_index[pos]
        else:
            found = torch.zeros(x.shape, dtype=torch.bool, device=x.device)
            ids = torch.zeros_like(x)
        if self.mask_token is not None:
            is_mask = x == self.mask_token
            found = found | is_mask
            ids = torch.where(is_mask, 0 if self.output_mode == "int" else -1, ids)
        if self.num_oov_indices == 0:
            if not bool(found.all()):
                raise ValueError(
                    "When `num_oov_indices=0` all inputs should be in vocabulary, found OOV "
                    f"values {torch.unique(x[~found]).tolist()}, consider setting "
                    "`num_oov_indices=1`."
                )
            return ids
        return torch.where(found, ids, self._oov_indices(x))

    def _invert(self, inputs: torch.Tensor) -> torch.Tensor:
        idx = inputs.to(torch.int64) if inputs.dtype != torch.int64 else inputs
        table = self._inverse_table
        size = table.numel()
        fallback = -1 if self.oov_token is None else self.oov_token
        if size == 0:
            return torch.full_like(idx, fallback)
        valid = (idx >= 0) & (idx < size)
        return torch.where(valid, table[idx.clamp(0, size - 1)], fallback)

    def get_config(self) -> dict[str, Any]:
        return {
            **super().get_config(),
            "vocabulary_dtype": self.vocabulary_dtype,
            "oov_method": self.oov_method,
        }
