"""`Embedding`: turns non-negative integer indices into dense vectors of fixed size."""

from __future__ import annotations

import warnings
from typing import Any

import torch

from torchkeras_lite import constraints, initializers, regularizers
from torchkeras_lite.layers.layer import Layer
from torchkeras_lite.ops.nn import embedding


def _check_positive(name: str, value: Any) -> None:
    if not isinstance(value, int) or isinstance(value, bool) or value <= 0:
        raise ValueError(
            f"`{name}` must be a positive integer. Received: {name}={value!r} "
            f"(of type {type(value).__name__})."
        )


class Embedding(Layer):
    """Maps integer indices to rows of an `(input_dim, output_dim)` embedding matrix.

    Runs `torch.nn.functional.embedding`. With `mask_zero=True` the index 0 is reserved for
    padding: the layer emits the mask `inputs != 0` that later layers (RNNs, attention) use.

    Args:
        input_dim: size of the vocabulary, i.e. the maximum index + 1.
        output_dim: dimension of the dense embedding.
        embeddings_initializer: initializer for the embeddings matrix (default `"uniform"`,
            i.e. uniform in [-0.05, 0.05]).
        embeddings_regularizer: regularizer applied to the embeddings matrix.
        embeddings_constraint: constraint applied to the embeddings matrix.
        mask_zero: whether index 0 is a padding value to be masked out.
        weights: optional initial embeddings, an `(input_dim, output_dim)` array (or a list
            holding one); the layer is then built at once.
        **kwargs: base layer arguments (`name`, `dtype`, `activity_regularizer`, ...).
            `input_length` is accepted and ignored, with a warning, as in Keras 3.

    Input shape:
        integer tensor of any shape `(batch_size, ...)`.

    Output shape:
        `(batch_size, ..., output_dim)`.

    Example:
        >>> layer = keras.layers.Embedding(1000, 64, mask_zero=True)
        >>> out = layer(torch.tensor([[4, 2, 0]]))
        >>> out.shape, out._keras_mask.tolist()
        (torch.Size([1, 3, 64]), [[True, True, False]])
    """

    def __init__(
        self,
        input_dim: int,
        output_dim: int,
        embeddings_initializer: Any = "uniform",
        embeddings_regularizer: Any = None,
        embeddings_constraint: Any = None,
        mask_zero: bool = False,
        weights: Any = None,
        **kwargs: Any,
    ):
        _check_positive("input_dim", input_dim)
        _check_positive("output_dim", output_dim)
        if kwargs.pop("input_length", None) is not None:
            warnings.warn("Argument `input_length` is deprecated. Just remove it.", stacklevel=2)
        super().__init__(**kwargs)
        self.input_dim = input_dim
        self.output_dim = output_dim
        self.embeddings_initializer = initializers.get(embeddings_initializer)
        self.embeddings_regularizer = regularizers.get(embeddings_regularizer)
        self.embeddings_constraint = constraints.get(embeddings_constraint)
        self.mask_zero = bool(mask_zero)
        self.supports_masking = self.mask_zero
        self.autocast = False
        if weights is not None:
            self.build()
            if not (isinstance(weights, list) and len(weights) == 1):
                weights = [weights]
            self.set_weights(weights)

    def build(self, input_shape: Any = None) -> None:
        if self.built:
            return
        self.embeddings = self.add_weight(
            name="embeddings",
            shape=(self.input_dim, self.output_dim),
            initializer=self.embeddings_initializer,
            regularizer=self.embeddings_regularizer,
            constraint=self.embeddings_constraint,
        )

    def call(self, inputs: torch.Tensor) -> torch.Tensor:
        return embedding(inputs, self.embeddings)

    def compute_mask(self, inputs: Any, previous_mask: Any = None) -> Any:
        if not self.mask_zero:
            return None
        return inputs != 0

    def compute_output_shape(self, input_shape: tuple) -> tuple:
        return (*tuple(input_shape), self.output_dim)

    def get_config(self) -> dict[str, Any]:
        return {
            **super().get_config(),
            "input_dim": self.input_dim,
            "output_dim": self.output_dim,
            "embeddings_initializer": initializers.serialize(self.embeddings_initializer),
            "embeddings_regularizer": regularizers.serialize(self.embeddings_regularizer),
            "embeddings_constraint": constraints.serialize(self.embeddings_constraint),
            "mask_zero": self.mask_zero,
        }
