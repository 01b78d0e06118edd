"""The `Initializer` base class, the family's registry and the shared shape/dtype/fan helpers."""

from __future__ import annotations

import abc
from collections.abc import Sequence
from typing import Any

import torch

from torchkeras_lite.backend import dtypes
from torchkeras_lite.backend.random import make_generator
from torchkeras_lite.saving.registry import Registry

REGISTRY = Registry("initializer")

ShapeLike = int | Sequence[int] | torch.Size


class Initializer(abc.ABC):
    """Base class of all initializers: a callable `(shape, dtype=None) -> torch.Tensor`.

    Subclasses implement `__call__`; those with constructor arguments also implement `get_config`
    (returning the arguments), which `from_config` feeds back to the constructor.

    Example:
        >>> class Fill(Initializer):
        ...     def __init__(self, value=1.0):
        ...         self.value = value
        ...     def __call__(self, shape, dtype=None):
        ...         return torch.full(standardize_shape(shape), self.value, dtype=to_torch_dtype(dtype))
        ...     def get_config(self):
        ...         return {"value": self.value}
        >>> Fill(2.0)((2, 2)).sum()
        tensor(8.)
    """

    @abc.abstractmethod
    def __call__(self, shape: ShapeLike, dtype: Any = None) -> torch.Tensor:
        """Returns a new tensor of the given shape and dtype (None: `keras.config.floatx()`)."""

    def get_config(self) -> dict:
        """The constructor arguments, as a JSON-ready dict."""
        return {}

    @classmethod
    def from_config(cls, config: dict) -> Initializer:
        """Rebuilds an initializer from the output of `get_config`."""
        return cls(**config)

    def clone(self) -> Initializer:
        """A new initializer with the same configuration."""
        return self.__class__.from_config(self.get_config())

    def __repr__(self) -> str:
        args = ", ".join(f"{k}={v!r}" for k, v in self.get_config().items())
        return f"{type(self).__name__}({args})"


def standardize_shape(shape: ShapeLike) -> tuple[int, ...]:
    """Turns an int, a list, a tuple or a `torch.Size` into a tuple of non-negative ints."""
    if isinstance(shape, int):
        shape = (shape,)
    try:
        dims = tuple(shape)
    except TypeError:
        raise ValueError(
            f"Expected `shape` to be an int or a sequence of ints. Received: shape={shape!r}"
        ) from None
    result = []
    for dim in dims:
        if dim is None or isinstance(dim, bool) or int(dim) != dim or int(dim) < 0:
            raise ValueError(
                "Every dimension of `shape` must be a non-negative integer (weights need fully "
                f"known shapes). Received: shape={shape!r}"
            )
        result.append(int(dim))
    return tuple(result)


def float_dtype(dtype: Any, initializer: object) -> torch.dtype:
    """The torch float dtype for `dtype` (None: floatx); a ValueError for integer/bool dtypes."""
    torch_dtype = dtypes.to_torch_dtype(dtype)
    if not torch_dtype.is_floating_point:
        raise ValueError(
            f"{type(initializer).__name__} draws random floats and needs a floating-point dtype "
            f"(float16, bfloat16, float32 or float64). Received: dtype={dtype!r}"
        )
    return torch_dtype


def sampling_dtype(torch_dtype: torch.dtype) -> torch.dtype:
    """The dtype random values are drawn in: float64 for float64, else float32 (then cast)."""
    return torch.float64 if torch_dtype == torch.float64 else torch.float32


def compute_fans(
    shape: Sequence[int],
    input_axes: Sequence[int] | None = None,
    output_axes: Sequence[int] | None = None,
) -> tuple[int, int]:
    """The `(fan_in, fan_out)` of a weight in Keras layout.

    Dense kernels are `(in, out)`; convolution kernels `(*spatial, in, out)`, whose fans are
    multiplied by the receptive field size. A vector has `fan_in = fan_out = len`; a scalar 1.

    Args:
        shape: the weight's shape.
        input_axes: optional axes whose product is `fan_in` (used together with `output_axes`).
        output_axes: optional axes whose product is `fan_out`.

    Example:
        >>> compute_fans((3, 3, 16, 32))
        (144, 288)
    """
    shape = tuple(shape)
    if input_axes is not None and output_axes is not None:
        fan_in = 1
        for axis in input_axes:
            fan_in *= shape[axis]
        fan_out = 1
        for axis in output_axes:
            fan_out *= shape[axis]
        return int(fan_in), int(fan_out)
    if len(shape) == 0:
        return 1, 1
    if len(shape) == 1:
        return int(shape[0]), int(shape[0])
    receptive_field = 1
    for dim in shape[:-2]:
        receptive_field *= dim
    return int(shape[-2] * receptive_field), int(shape[-1] * receptive_field)


class RandomInitializer(Initializer):
    """Base of the random initializers: holds the seed and makes the generator for each call.

    With an integer `seed` every call returns the same values (a fresh generator seeded with it);
    with `seed=None` values come from torch's global generator, so `keras.utils.set_random_seed`
    (or `torch.manual_seed`) makes them reproducible and successive calls differ.

    Args:
        seed: an integer, or None.
    """

    def __init__(self, seed: int | None = None):
        if seed is not None and (isinstance(seed, bool) or not isinstance(seed, int)):
            raise ValueError(
                f"`seed` argument should be an integer or None. Received: seed={seed!r}"
            )
        self.seed = seed

    def _generator(self) -> torch.Generator | None:
        return make_generator(self.seed)

    def get_config(self) -> dict:
        return {"seed": self.seed}
