"""Optimizers (`keras.optimizers`): torch optimizers with Keras' constructors, rules and API."""

from __future__ import annotations

from typing import Any

from torchkeras_lite.optimizers import schedules
from torchkeras_lite.optimizers.adadelta import Adadelta
from torchkeras_lite.optimizers.adafactor import Adafactor
from torchkeras_lite.optimizers.adagrad import Adagrad
from torchkeras_lite.optimizers.adam import Adam
from torchkeras_lite.optimizers.adamax import Adamax
from torchkeras_lite.optimizers.adamw import AdamW
from torchkeras_lite.optimizers.base_optimizer import OPTIMIZERS, Optimizer
from torchkeras_lite.optimizers.lion import Lion
from torchkeras_lite.optimizers.loss_scale_optimizer import LossScaleOptimizer
from torchkeras_lite.optimizers.nadam import Nadam
from torchkeras_lite.optimizers.rmsprop import RMSprop
from torchkeras_lite.optimizers.sgd import SGD

_LOWERCASE = {name.lower(): name for name in OPTIMIZERS.names()}


def _canonical(name: str) -> str:
    return name if name in OPTIMIZERS.objects() else _LOWERCASE.get(name.lower(), name)


def serialize(optimizer: Optimizer) -> dict[str, Any]:
    """The optimizer's configuration as a `{"class_name", "config", ...}` dict.

    Args:
        optimizer: an `Optimizer` instance.

    Example:
        >>> serialize(Adam(1e-3))["config"]["learning_rate"]
        0.001
    """
    return OPTIMIZERS.serialize(optimizer)


def deserialize(config: dict[str, Any], custom_objects: dict | None = None) -> Optimizer:
    """Rebuilds an optimizer from `serialize`'s output (class names are case-insensitive).

    Args:
        config: a `{"class_name", "config"}` dict.
        custom_objects: extra classes by name.

    Example:
        >>> deserialize({"class_name": "adam", "config": {"learning_rate": 0.01}}).learning_rate
        0.01
    """
    if isinstance(config, dict) and isinstance(config.get("class_name"), str):
        config = dict(config, class_name=_canonical(config["class_name"]))
    return OPTIMIZERS.deserialize(config, custom_objects)


def get(identifier: Any) -> Optimizer | None:
    """An optimizer from a name (`"adam"`, `"Adam"`), a config dict, a class or an instance.

    Args:
        identifier: the identifier; None gives None.

    Example:
        >>> get("rmsprop").rho
        0.9
    """
    if identifier is None or isinstance(identifier, Optimizer):
        return identifier
    if isinstance(identifier, str):
        obj = OPTIMIZERS.get(_canonical(identifier))
    elif isinstance(identifier, dict):
        obj = deserialize(identifier)
    elif isinstance(identifier, type) and issubclass(identifier, Optimizer):
        obj = identifier()
    else:
        obj = None
    if not isinstance(obj, Optimizer):
        raise ValueError(
            "Could not interpret optimizer identifier. Expected a name, a config dict or an "
            f"Optimizer instance. Received: identifier={identifier!r}"
        )
    return obj


__all__ = [
    "SGD",
    "Adadelta",
    "Adafactor",
    "Adagrad",
    "Adam",
    "AdamW",
    "Adamax",
    "Lion",
    "LossScaleOptimizer",
    "Nadam",
    "Optimizer",
    "RMSprop",
    "deserialize",
    "get",
    "schedules",
    "serialize",
]
