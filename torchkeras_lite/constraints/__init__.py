"""Constraints: projections `(w) -> w'` the optimizer applies to a weight after each update.

`get` resolves what layers accept as `kernel_constraint=...`: a name (`"max_norm"`, `"MaxNorm"`),
a config dict, a class, an instance or any callable.
"""

from __future__ import annotations

from typing import Any

from torchkeras_lite.constraints.base_constraint import REGISTRY, Constraint
from torchkeras_lite.constraints.constraints import MaxNorm, MinMaxNorm, NonNeg, UnitNorm

# Keras' lowercase aliases are the classes themselves.
max_norm = MaxNorm
min_max_norm = MinMaxNorm
non_neg = NonNeg
unit_norm = UnitNorm

__all__ = [
    "Constraint",
    "MaxNorm",
    "MinMaxNorm",
    "NonNeg",
    "UnitNorm",
    "max_norm",
    "min_max_norm",
    "non_neg",
    "unit_norm",
    "get",
    "serialize",
    "deserialize",
    "REGISTRY",
]


def get(identifier: Any, custom_objects: dict | None = None) -> Any:
    """Resolves a constraint identifier.

    Args:
        identifier: None (returns None), a registered name (an instance with default arguments),
            a `{"class_name", "config"}` dict, a class (instantiated), an instance or any callable.
        custom_objects: extra `{name: class}` entries searched first.

    Example:
        >>> get("non_neg")
        NonNeg()
    """
    return REGISTRY.get(identifier, custom_objects)


def serialize(constraint: Any) -> Any:
    """A JSON-ready `{"module", "class_name", "config", "registered_name"}` dict (None for None).

    Example:
        >>> serialize(MaxNorm(3))["config"]
        {'max_value': 3, 'axis': 0}
    """
    return REGISTRY.serialize(constraint)


def deserialize(config: Any, custom_objects: dict | None = None) -> Any:
    """Rebuilds a constraint from `serialize`'s output (or a registered name).

    Example:
        >>> deserialize({"class_name": "UnitNorm", "config": {"axis": 1}})
        UnitNorm(axis=1)
    """
    return REGISTRY.deserialize(config, custom_objects)
