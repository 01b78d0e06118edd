"""`IndexLookup`: the vocabulary, adapt and encoding logic shared by StringLookup and IntegerLookup.

Index layout (Keras'): in `"int"` mode with a mask token, index 0 is the mask; then come the
`num_oov_indices` OOV indices, then the vocabulary in order. In the other modes the mask token is
dropped from the encodings and the OOV indices come first.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from torchkeras_lite.layers.preprocessing.base_preprocessing_layer import (
    PreprocessingLayer,
    check_sparse,
    validate_string_arg,
)
from torchkeras_lite.layers.preprocessing.vocabulary import VocabularyMixin
from torchkeras_lite.ops.categorical import encode_categorical

OUTPUT_MODES = ("int", "one_hot", "multi_hot", "count", "tf_idf")


class IndexLookup(VocabularyMixin, PreprocessingLayer):
    """Base of the lookup layers (see `StringLookup` for the arguments); not used directly.

    Subclasses define `_to_token`, `_build_tables`, `_batch_rows` (see `VocabularyMixin`),
    `_lookup(inputs)` (int64 indices, masked tokens as 0 in "int" mode and -1 otherwise) and
    `_invert(indices)`.
    """

    def __init__(
        self,
        max_tokens: int | None,
        num_oov_indices: int,
        mask_token: Any,
        oov_token: Any,
        vocabulary: Any = None,
        idf_weights: Any = None,
        invert: bool = False,
        output_mode: str = "int",
        sparse: bool = False,
        pad_to_max_tokens: bool = False,
        salt: Any = None,
        **kwargs: Any,
    ):
        frozen_size = kwargs.pop("vocabulary_size", None)
        has_vocabulary = kwargs.pop("has_input_vocabulary", vocabulary is not None)
        kwargs.pop("vocabulary_dtype", None)
        super().__init__(**kwargs)
        name = type(self).__name__
        if max_tokens is not None and max_tokens <= 1:
            raise ValueError(
                f"If set, `max_tokens` must be greater than 1. Received: max_tokens={max_tokens}"
            )
        if pad_to_max_tokens and max_tokens is None:
            raise ValueError(
                f"If pad_to_max_tokens is True, must set `max_tokens`. Received: max_tokens={max_tokens}"
            )
        if not isinstance(num_oov_indices, int) or num_oov_indices < 0:
            raise ValueError(
                "`num_oov_indices` must be greater than or equal to 0. "
                f"Received: num_oov_indices={num_oov_indices}"
            )
        output_mode = {"binary": "multi_hot", "tf-idf": "tf_idf"}.get(output_mode, output_mode)
        validate_string_arg(output_mode, OUTPUT_MODES, name, "output_mode")
        if invert and output_mode != "int":
            raise ValueError(
                f"`output_mode` must be `'int'` when `invert` is true. Received: output_mode={output_mode}"
            )
        check_sparse(sparse)
        if idf_weights is not None and output_mode != "tf_idf":
            raise ValueError(
                "`idf_weights` should only be set if `output_mode` is `'tf_idf'`. Received: "
                f"idf_weights={idf_weights} and output_mode={output_mode}"
            )
        if output_mode == "tf_idf" and vocabulary is not None and idf_weights is None:
            raise ValueError(
                "When specifying the `vocabulary` argument, in TF-IDF output mode, the "
                f"`idf_weights` argument must also be provided. Received: idf_weights={idf_weights}"
            )
        if salt is not None:
            if isinstance(salt, (tuple, list)) and len(salt) == 2:
                salt = [int(s) for s in salt]
            elif isinstance(salt, int) and not isinstance(salt, bool):
                salt = [salt, salt]
            else:
                raise ValueError(
                    f"The `salt` argument for `{name}` can only be a tuple of 2 integers, or a "
                    f"single integer. Received: salt={salt!r}."
                )
        self.max_tokens = max_tokens
        self.num_oov_indices = num_oov_indices
        self.mask_token = mask_token
        self.oov_token = oov_token
        self.invert = bool(invert)
        self.output_mode = output_mode
        self.sparse = sparse
        self.pad_to_max_tokens = bool(pad_to_max_tokens)
        self.salt = salt
        self._frozen_vocab_size = frozen_size
        self._has_input_vocabulary = bool(has_vocabulary)
        self._vocab: list[Any] = []
        self._idf: np.ndarray | None = None
        self.reset_state()
        self._build_tables()
        if vocabulary is not None:
            self.set_vocabulary(vocabulary, idf_weights)

    # ------------------------------------------------------------------------------------------
    # Calling.
    def _depth(self) -> int:
        return self.max_tokens if self.pad_to_max_tokens else self.vocabulary_size()

    def call(self, inputs: Any) -> Any:
        if self.invert:
            return self._invert(inputs)
        if self.output_mode != "int" and not self.pad_to_max_tokens and not self._vocab:
            raise RuntimeError(
                f"When using `output_mode={self.output_mode}` and `pad_to_max_tokens=False`, you "
                "must set the layer's vocabulary before calling it. Either pass a `vocabulary` "
                "argument to the layer, or call `adapt` with some sample data."
            )
        indices = self._lookup(inputs)
        if self.output_mode == "int":
            return indices
        dtype = self.dtype_policy.compute_torch_dtype
        mode = "count" if self.output_mode == "tf_idf" else self.output_mode
        out = encode_categorical(indices, mode, self._depth(), dtype)
        if self.output_mode == "tf_idf":
            weights = self._buffers.get("_idf_weights")
            if weights is None:
                raise ValueError(
                    "When `output_mode` is `'tf_idf'`, `idf_weights` must be provided (or "
                    f"learned with `adapt`). Received: idf_weights={weights}"
                )
            out = out * weights.to(device=out.device, dtype=dtype)
        return out

    def compute_output_shape(self, input_shape: Any) -> Any:
        input_shape = tuple(input_shape)
        if self.output_mode == "int":
            return input_shape
        depth = self._depth()
        if self.output_mode == "one_hot":
            if len(input_shape) > 1 and input_shape[-1] == 1:
                return input_shape[:-1] + (depth,)
            return input_shape + (depth,)
        return input_shape[:-1] + (depth,)

    def get_config(self) -> dict[str, Any]:
        vocabulary = self.get_vocabulary() if self._vocab else None
        idf = self._idf.tolist() if self._idf is not None and vocabulary is not None else None
        return {
            **super().get_config(),
            "invert": self.invert,
            "max_tokens": self.max_tokens,
            "num_oov_indices": self.num_oov_indices,
            "oov_token": self.oov_token,
            "mask_token": self.mask_token,
            "output_mode": self.output_mode,
            "sparse": self.sparse,
            "pad_to_max_tokens": self.pad_to_max_tokens,
            "idf_weights": idf,
            "vocabulary": vocabulary,
            "vocabulary_size": self._frozen_vocab_size,
            "salt": self.salt,
            "has_input_vocabulary": self._has_input_vocabulary,
        }
