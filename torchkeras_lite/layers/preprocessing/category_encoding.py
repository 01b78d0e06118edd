"""`CategoryEncoding`: one-hot, multi-hot or count encodings of integer features."""

from __future__ import annotations

from typing import Any

import torch

from torchkeras_lite.layers.preprocessing.base_preprocessing_layer import (
    PreprocessingLayer,
    check_sparse,
    to_tensor,
    validate_string_arg,
)
from torchkeras_lite.ops.categorical import encode_categorical


class CategoryEncoding(PreprocessingLayer):
    """Encodes integer features `0 <= value < num_tokens` as dense float vectors.

    Out-of-range values encode as all zeros (checking them would cost a host sync per call;
    Keras raises instead).

    Args:
        num_tokens: the number of distinct tokens (the size of the encoded axis).
        output_mode: `"one_hot"` (each value to its own vector; a trailing axis of size 1 is
            replaced), `"multi_hot"` (a 1 for every token present in the last axis) or `"count"`
            (how often each token appears in the last axis). Default `"multi_hot"`.
        sparse: must be False (sparse outputs are TensorFlow-only).
        **kwargs: base layer arguments (`name`, `dtype`, ...).

    Call arguments:
        inputs: an integer tensor (or list / numpy array), usually 1D or 2D.
        count_weights: same shape as `inputs`; in `"count"` mode each occurrence adds its weight.

    Input shape:
        `(..., sample_length)`, or a scalar.

    Output shape:
        "one_hot": `input_shape + (num_tokens,)` (the trailing 1 replaced); "multi_hot"/"count":
        `input_shape[:-1] + (num_tokens,)`.

    Example:
        >>> layer = keras.layers.CategoryEncoding(num_tokens=4, output_mode="multi_hot")
        >>> layer([[0, 1], [0, 0], [1, 2], [3, 1]])
        tensor([[1., 1., 0., 0.],
                [1., 0., 0., 0.],
                [0., 1., 1., 0.],
                [0., 1., 0., 1.]])
    """

    def __init__(
        self,
        num_tokens: int | None = None,
        output_mode: str = "multi_hot",
        sparse: bool = False,
        **kwargs: Any,
    ):
        super().__init__(**kwargs)
        if output_mode == "binary":  # Keras' deprecated name
            output_mode = "multi_hot"
        validate_string_arg(
            output_mode, ("count", "one_hot", "multi_hot"), "CategoryEncoding", "output_mode"
        )
        check_sparse(sparse)
        if num_tokens is None:
            raise ValueError(
                "num_tokens must be set to use this layer. If the number of tokens is not known "
                f"beforehand, use the IntegerLookup layer instead. Received: num_tokens={num_tokens}"
            )
        if isinstance(num_tokens, bool) or not isinstance(num_tokens, int) or num_tokens < 1:
            raise ValueError(f"`num_tokens` must be >= 1. Received: num_tokens={num_tokens}.")
        self.num_tokens = num_tokens
        self.output_mode = output_mode
        self.sparse = sparse

    def _convert_inputs(self, inputs: Any) -> torch.Tensor:
        return to_tensor(inputs, torch.int64)

    def call(self, inputs: torch.Tensor, count_weights: Any = None) -> torch.Tensor:
        dtype = self.dtype_policy.compute_torch_dtype
        if count_weights is not None:
            if self.output_mode != "count":
                raise ValueError(
                    "`count_weights` is not used when `output_mode` is not `'count'`. "
                    f"Received `count_weights={count_weights}`."
                )
            count_weights = to_tensor(count_weights, dtype).to(inputs.device)
        return encode_categorical(inputs, self.output_mode, self.num_tokens, dtype, count_weights)

    def compute_output_shape(self, input_shape: Any) -> Any:
        input_shape = tuple(input_shape)
        if not input_shape:  # a scalar is one sample (one_hot keeps its axis of size 1)
            return (1, self.num_tokens) if self.output_mode == "one_hot" else (self.num_tokens,)
        if self.output_mode == "one_hot" and (input_shape[-1] != 1 or len(input_shape) == 1):
            return input_shape + (self.num_tokens,)
        return input_shape[:-1] + (self.num_tokens,)

    def get_config(self) -> dict[str, Any]:
        return {
            **super().get_config(),
            "num_tokens": self.num_tokens,
            "output_mode": self.output_mode,
            "sparse": self.sparse,
        }
