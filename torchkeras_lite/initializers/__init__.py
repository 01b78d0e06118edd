"""Initializers: callables `(shape, dtype=None) -> torch.Tensor` that give weights their first values.

`get` resolves what layers accept as `kernel_initializer=...`: a name (`"glorot_uniform"`,
`"GlorotUniform"`), a config dict, a class, an instance, any callable, or a tensor/array of the
weight's exact shape.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import torch

from torchkeras_lite.backend import dtypes
from torchkeras_lite.initializers.base_initializer import (
    REGISTRY,
    Initializer,
    RandomInitializer,
    compute_fans,
    standardize_shape,
)
from torchkeras_lite.initializers.constant_initializers import Constant, Identity, Ones, Zeros
from torchkeras_lite.initializers.random_initializers import (
    Orthogonal,
    RandomNormal,
    RandomUniform,
    TruncatedNormal,
)
from torchkeras_lite.initializers.variance_scaling import (
    GlorotNormal,
    GlorotUniform,
    HeNormal,
    HeUniform,
    LecunNormal,
    LecunUniform,
    VarianceScaling,
)

# Keras' lowercase aliases are the classes themselves.
zeros = Zeros
ones = Ones
constant = Constant
identity = Identity
random_normal = RandomNormal
random_uniform = RandomUniform
truncated_normal = TruncatedNormal
orthogonal = Orthogonal
variance_scaling = VarianceScaling
glorot_uniform = GlorotUniform
glorot_normal = GlorotNormal
he_uniform = HeUniform
he_normal = HeNormal
lecun_uniform = LecunUniform
lecun_normal = LecunNormal

__all__ = [
    "Initializer",
    "RandomInitializer",
    "Zeros",
    "Ones",
    "Constant",
    "Identity",
    "RandomNormal",
    "RandomUniform",
    "TruncatedNormal",
    "Orthogonal",
    "VarianceScaling",
    "GlorotUniform",
    "GlorotNormal",
    "HeUniform",
    "HeNormal",
    "LecunUniform",
    "LecunNormal",
    "zeros",
    "ones",
    "constant",
    "identity",
    "random_normal",
    "random_uniform",
    "truncated_normal",
    "orthogonal",
    "variance_scaling",
    "glorot_uniform",
    "glorot_normal",
    "he_uniform",
    "he_normal",
    "lecun_uniform",
    "lecun_normal",
    "compute_fans",
    "get",
    "serialize",
    "deserialize",
    "REGISTRY",
]


def _from_value(value: torch.Tensor | np.ndarray):
    """An initializer returning a copy of `value`, cast to the requested dtype."""
    tensor = torch.as_tensor(value).detach().clone()

    def initialize_fn(shape, dtype=None) -> torch.Tensor:
        if standardize_shape(shape) != tuple(tensor.shape):
            raise ValueError(
                f"Expected `shape` to be {tuple(tensor.shape)} for a tensor used as initializer. "
                f"Received: shape={shape}"
            )
        return tensor.to(dtypes.to_torch_dtype(dtype)).clone()

    return initialize_fn


def get(identifier: Any, custom_objects: dict | None = None) -> Any:
    """Resolves an initializer identifier.

    Args:
        identifier: None (returns None), a registered name, a `{"class_name", "config"}` dict, an
            initializer class (instantiated with defaults), an instance or any callable (returned
            as-is), or a tensor/array whose values are used directly.
        custom_objects: extra `{name: class}` entries searched first.

    Example:
        >>> get("glorot_uniform")
        GlorotUniform(seed=None, input_axes=None, output_axes=None)
    """
    if isinstance(identifier, (torch.Tensor, np.ndarray, np.generic)):
        return _from_value(identifier)
    return REGISTRY.get(identifier, custom_objects)


def serialize(initializer: Any) -> Any:
    """A JSON-ready `{"module", "class_name", "config", "registered_name"}` dict (None for None).

    Example:
        >>> serialize(Constant(2.0))["config"]
        {'value': 2.0}
    """
    return REGISTRY.serialize(initializer)


def deserialize(config: Any, custom_objects: dict | None = None) -> Any:
    """Rebuilds an initializer from `serialize`'s output (or a registered name).

    Example:
        >>> deserialize({"class_name": "Ones", "config": {}})
        Ones()
    """
    return REGISTRY.deserialize(config, custom_objects)
