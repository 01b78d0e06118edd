"""Regularizers: penalties `(x) -> 0-d tensor` that layers add to the loss for weights or outputs.

`get` resolves what layers accept as `kernel_regularizer=...`: a name (`"l2"`, `"L2"`), a config
dict, a class, an instance or any callable.
"""

from __future__ import annotations

from typing import Any

from torchkeras_lite.regularizers.base_regularizer import (
    REGISTRY,
    Regularizer,
    validate_float_arg,
)
from torchkeras_lite.regularizers.regularizers import L1, L1L2, L2, OrthogonalRegularizer

# Keras' lowercase aliases are the classes themselves.
l1 = L1
l2 = L2
l1_l2 = L1L2
orthogonal_regularizer = OrthogonalRegularizer

__all__ = [
    "Regularizer",
    "L1",
    "L2",
    "L1L2",
    "OrthogonalRegularizer",
    "l1",
    "l2",
    "l1_l2",
    "orthogonal_regularizer",
    "validate_float_arg",
    "get",
    "serialize",
    "deserialize",
    "REGISTRY",
]


def get(identifier: Any, custom_objects: dict | None = None) -> Any:
    """Resolves a regularizer identifier.

    Args:
        identifier: None (returns None), a registered name (an instance with default factors), a
            `{"class_name", "config"}` dict, a class (instantiated), an instance or any callable.
        custom_objects: extra `{name: class}` entries searched first.

    Example:
        >>> get("l2")
        L2(l2=0.01)
    """
    return REGISTRY.get(identifier, custom_objects)


def serialize(regularizer: Any) -> Any:
    """A JSON-ready `{"module", "class_name", "config", "registered_name"}` dict (None for None).

    Example:
        >>> serialize(L1(0.5))["config"]
        {'l1': 0.5}
    """
    return REGISTRY.serialize(regularizer)


def deserialize(config: Any, custom_objects: dict | None = None) -> Any:
    """Rebuilds a regularizer from `serialize`'s output (or a registered name).

    Example:
        >>> deserialize({"class_name": "L2", "config": {"l2": 0.1}})
        L2(l2=0.1)
    """
    return REGISTRY.deserialize(config, custom_objects)
