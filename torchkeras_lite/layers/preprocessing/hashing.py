"""`Hashing`: hashes strings or integers into a fixed number of bins, with Keras' hash values."""

from __future__ import annotations

from typing import Any

import numpy as np
import torch

from torchkeras_lite.layers.preprocessing.base_preprocessing_layer import (
    PreprocessingLayer,
    StringArray,
    check_sparse,
    is_string_like,
    to_string_array,
    to_tensor,
)
from torchkeras_lite.layers.preprocessing.fingerprint import hash_bucket
from torchkeras_lite.layers.preprocessing.fingerprint_tensor import hash_integer_buckets
from torchkeras_lite.ops.categorical import encode_categorical


class Hashing(PreprocessingLayer):
    """Maps each string or integer to a bin in `[0, num_bins)` with a stable hash.

    The bins equal Keras' (TensorFlow's): FarmHash64 Fingerprint64 of the value's string form
    (integers as decimal strings, floats truncated to integers first) modulo the number of bins,
    or SipHash-2-4 keyed by `salt`. Strings (a str, lists or numpy arrays) are hashed in Python.
    Integer tensors on an accelerator are hashed there by a vectorized FarmHash/SipHash (no host
    sync); on the CPU each distinct value is hashed once in Python.

    Args:
        num_bins: the number of bins, including the mask bin when `mask_value` is set.
        mask_value: a value mapped to bin 0 (the other values hash into `[1, num_bins)`); None.
        salt: an int or a pair of ints: hash with SipHash64 keyed by it.
        output_mode: `"int"` (default: bin indices in the layer's int dtype, `"int64"` unless
            `dtype="int32"`), `"one_hot"`, `"multi_hot"` or `"count"` (float encodings).
        sparse: must be False (sparse outputs are TensorFlow-only).
        **kwargs: base layer arguments (`name`, `dtype`, ...).

    Input shape:
        any shape of strings or numbers.

    Output shape:
        "int": the input shape; "one_hot": a bin axis added (replacing a trailing axis of size 1);
        "multi_hot"/"count": the last axis replaced by the bin axis.

    Example:
        >>> layer = keras.layers.Hashing(num_bins=3)
        >>> layer([["A"], ["B"], ["C"], ["D"], ["E"]])
        tensor([[1],
                [0],
                [1],
                [1],
                [2]])
    """

    def __init__(
        self,
        num_bins: int,
        mask_value: Any = None,
        salt: Any = None,
        output_mode: str = "int",
        sparse: bool = False,
        **kwargs: Any,
    ):
        if kwargs.get("dtype") is None:
            kwargs["dtype"] = "int64" if output_mode == "int" else None
        super().__init__(**kwargs)
        if num_bins is None or isinstance(num_bins, bool) or num_bins <= 0:
            raise ValueError(
                "The `num_bins` for `Hashing` cannot be `None` or non-positive values. "
                f"Received: num_bins={num_bins}."
            )
        if output_mode == "int" and self.dtype_policy.name not in ("int32", "int64"):
            raise ValueError(
                "When `output_mode=\"int\"`, `dtype` should be an integer type, 'int32' or "
                f"'int64'. Received: dtype={kwargs['dtype']}"
            )
        modes = ("int", "one_hot", "multi_hot", "count")
        if output_mode not in modes:
            raise ValueError(
                "Invalid value for argument `output_mode`. Expected one of "
                f"{modes}. Received: output_mode={output_mode}"
            )
        check_sparse(sparse)
        if salt is not None:
            if isinstance(salt, (tuple, list)) and len(salt) == 2:
                salt = [int(s) for s in salt]
            elif isinstance(salt, int) and not isinstance(salt, bool):
                salt = [salt, salt]
            else:
                raise ValueError(
                    "The `salt` argument for `Hashing` can only be a tuple of size 2 integers, "
                    f"or a single integer. Received: salt={salt}."
                )
        self.num_bins = num_bins
        self.mask_value = mask_value
        self.salt = salt
        self.strong_hash = salt is not None
        self.output_mode = output_mode
        self.sparse = sparse

    def _convert_inputs(self, inputs: Any) -> Any:
        if is_string_like(inputs):
            return StringArray(to_string_array(inputs))
        return to_tensor(inputs)

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        if args and isinstance(args[0], (str, bytes)):
            args = (StringArray(to_string_array(args[0])), *args[1:])
        return super().__call__(*args, **kwargs)

    def _bins(self) -> tuple[int, int]:
        """`(hash_bins, offset)`: a mask value reserves bin 0."""
        if self.mask_value is not None and self.num_bins > 1:
            return self.num_bins - 1, 1
        return self.num_bins, 0

    def _hash_strings(self, values: np.ndarray) -> torch.Tensor:
        n, offset = self._bins()
        flat = values.reshape(-1)
        mask = self.mask_value if offset else object()
        out = np.fromiter(
            (0 if v == mask else hash_bucket(v.encode(), n, self.salt) + offset for v in flat),
            dtype=np.int64,
            count=flat.size,
        )
        return torch.from_numpy(out.reshape(values.shape))

    def _hash_numbers(self, values: torch.Tensor) -> torch.Tensor:
        n, offset = self._bins()
        ints = values.to(torch.int64) if values.is_floating_point() else values
        out = hash_integer_buckets(ints.detach(), n, self.salt) + offset
        if offset and isinstance(self.mask_value, (int, float)):
            out = torch.where(values == self.mask_value, 0, out)
        return out

    def call(self, inputs: Any) -> torch.Tensor:
        if isinstance(inputs, StringArray):
            indices = self._hash_strings(inputs.array)
        else:
            indices = self._hash_numbers(inputs)
        if self.output_mode == "one_hot" and indices.dim() and indices.shape[-1] == 1:
            indices = indices.squeeze(-1)
        dtype = self.dtype_policy.compute_torch_dtype
        return encode_categorical(indices, self.output_mode, self.num_bins, dtype)

    def compute_output_shape(self, input_shape: Any) -> Any:
        input_shape = tuple(input_shape)
        if self.output_mode == "int":
            return input_shape
        if not input_shape:
            return (self.num_bins,)
        if self.output_mode == "one_hot" and input_shape[-1] != 1:
            return input_shape + (self.num_bins,)
        return input_shape[:-1] + (self.num_bins,)

    def get_config(self) -> dict[str, Any]:
        return {
            **super().get_config(),
            "num_bins": self.num_bins,
            "salt": self.salt,
            "mask_value": self.mask_value,
            "output_mode": self.output_mode,
            "sparse": self.sparse,
        }
