"""`InputLayer` and `Input()`: the entry points of a functional model."""

from __future__ import annotations

from typing import Any

from torchkeras_lite.backend import dtypes
from torchkeras_lite.layers.layer import Layer
from torchkeras_lite.models.keras_tensor import KerasTensor
from torchkeras_lite.models.node import Node


def _standardize_shape(shape: Any, what: str) -> tuple:
    try:
        return tuple(None if d is None else int(d) for d in shape)
    except TypeError:
        raise ValueError(
            f"Cannot convert '{shape}' to a shape. Received: {what}={shape!r}"
        ) from None


class InputLayer(Layer):
    """The layer behind `keras.Input`: it has no weights and outputs one `KerasTensor`.

    Args:
        shape: the shape without the batch dimension, e.g. `(16,)`; `None` for unknown sizes.
        batch_size: an optional fixed batch size.
        dtype: the input dtype (default: `keras.config.floatx()`).
        batch_shape: the full shape including the batch dimension (instead of `shape`).
        input_tensor: an existing KerasTensor to use as this layer's output.
        optional: whether the input may be None.
        name: the layer's (and tensor's) name.

    Example:
        >>> layer = keras.layers.InputLayer(shape=(16,))
        >>> layer.output.shape
        (None, 16)
    """

    def __init__(
        self,
        shape: Any = None,
        batch_size: int | None = None,
        dtype: Any = None,
        sparse: bool | None = None,
        ragged: bool | None = None,
        batch_shape: Any = None,
        input_tensor: KerasTensor | None = None,
        optional: bool = False,
        name: str | None = None,
        **kwargs: Any,
    ):
        if "input_shape" in kwargs:
            shape = kwargs.pop("input_shape")
        if "batch_input_shape" in kwargs:
            batch_shape = kwargs.pop("batch_input_shape")
        super().__init__(name=name or None, **kwargs)
        if sparse or ragged:
            raise ValueError(
                f"`sparse=True` and `ragged=True` are not supported by the torch backend. "
                f"Received: sparse={sparse}, ragged={ragged}"
            )
        if input_tensor is not None:
            if type(input_tensor) is not KerasTensor:
                raise ValueError(
                    "Argument `input_tensor` must be a KerasTensor. Received invalid type: "
                    f"input_tensor={input_tensor!r} (of type {type(input_tensor)})"
                )
            batch_shape = input_tensor.__dict__["_keras_shape"]
            dtype = input_tensor.keras_dtype
        elif shape is not None and batch_shape is not None:
            raise ValueError("You cannot pass both `shape` and `batch_shape` at the same time.")
        elif batch_size is not None and batch_shape is not None:
            raise ValueError(
                "You cannot pass both `batch_size` and `batch_shape` at the same time."
            )
        elif shape is None and batch_shape is None:
            raise ValueError("You must pass a `shape` argument.")
        elif shape is not None:
            if isinstance(shape, int):
                shape = (shape,)
            batch_shape = (batch_size, *_standardize_shape(shape, "shape"))
        self._batch_shape = _standardize_shape(batch_shape, "batch_shape")
        self._input_dtype = dtypes.dtype_name(dtype)
        self.sparse = False
        self.ragged = False
        self.optional = bool(optional)
        if input_tensor is None:
            input_tensor = KerasTensor(self._batch_shape, self._input_dtype, name=self.name)
        self._input_tensor = input_tensor
        Node(self, (), {}, input_tensor)
        self.built = True

    def call(self) -> None:
        return None

    @property
    def batch_shape(self) -> tuple:
        return self._batch_shape

    @property
    def dtype(self) -> str:
        return self._input_dtype

    def get_config(self) -> dict[str, Any]:
        return {
            "batch_shape": list(self._batch_shape),
            "dtype": self._input_dtype,
            "sparse": False,
            "ragged": False,
            "name": self.name,
            "optional": self.optional,
        }

    @classmethod
    def from_config(cls, config: dict[str, Any]) -> InputLayer:
        return cls(**config)


def Input(  # noqa: N802  (Keras' name)
    shape: Any = None,
    batch_size: int | None = None,
    dtype: Any = None,
    sparse: bool | None = None,
    ragged: bool | None = None,
    batch_shape: Any = None,
    name: str | None = None,
    tensor: KerasTensor | None = None,
    optional: bool = False,
) -> KerasTensor:
    """A symbolic input of a functional model: a `KerasTensor` of shape `(batch_size, *shape)`.

    Args:
        shape: the shape without the batch dimension, e.g. `(32,)` or `(None, 8)`.
        batch_size: an optional fixed batch size (default: unknown, `None`).
        dtype: the dtype the model expects (default: `keras.config.floatx()`).
        batch_shape: the full shape including the batch dimension (instead of `shape`).
        name: a unique name; dict inputs of a model are matched by this name.
        tensor: an existing KerasTensor to wrap.
        optional: whether the input may be None.

    Example:
        >>> x = keras.Input(shape=(16,), name="features")
        >>> x.shape
        (None, 16)
    """
    layer = InputLayer(
        shape=shape,
        batch_size=batch_size,
        dtype=dtype,
        sparse=sparse,
        ragged=ragged,
        batch_shape=batch_shape,
        input_tensor=tensor,
        optional=optional,
        name=name,
    )
    return layer.output
