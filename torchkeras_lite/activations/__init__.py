"""Activations: functions on torch tensors with Keras' names, signatures and defaults.

`get` resolves what layers accept as `activation=...`: None (`linear`), a name (`"relu"`,
`"swish"`), a serialized config, or any callable.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from typing import Any

from torchkeras_lite.activations.base_activation import REGISTRY
from torchkeras_lite.activations.relu_activations import (
    celu,
    elu,
    hard_shrink,
    hard_tanh,
    leaky_relu,
    relu,
    relu6,
    selu,
    soft_shrink,
    tanh_shrink,
    threshold,
)
from torchkeras_lite.activations.smooth_activations import (
    exponential,
    gelu,
    hard_sigmoid,
    hard_silu,
    linear,
    log_sigmoid,
    mish,
    sigmoid,
    silu,
    softplus,
    softsign,
    sparse_plus,
    sparse_sigmoid,
    squareplus,
    tanh,
)
from torchkeras_lite.activations.softmax_activations import glu, log_softmax, softmax, sparsemax

swish = silu
hard_swish = hard_silu

__all__ = [
    "celu",
    "elu",
    "exponential",
    "gelu",
    "glu",
    "hard_shrink",
    "hard_sigmoid",
    "hard_silu",
    "hard_swish",
    "hard_tanh",
    "leaky_relu",
    "linear",
    "log_sigmoid",
    "log_softmax",
    "mish",
    "relu",
    "relu6",
    "selu",
    "sigmoid",
    "silu",
    "soft_shrink",
    "softmax",
    "softplus",
    "softsign",
    "sparse_plus",
    "sparse_sigmoid",
    "sparsemax",
    "squareplus",
    "swish",
    "tanh",
    "tanh_shrink",
    "threshold",
    "get",
    "serialize",
    "deserialize",
    "REGISTRY",
]


def serialize(activation: Any) -> Any:
    """The name of a built-in or registered activation; a config dict for callable objects.

    Args:
        activation: an activation function, or an object with `get_config`.

    Example:
        >>> serialize(swish)
        'silu'
    """
    if getattr(activation, "__name__", None) == "<lambda>":
        raise ValueError(
            "Cannot serialize a lambda activation: it has no name to look it up by. Use a named "
            "function registered with `keras.saving.register_keras_serializable()`. "
            f"Received: activation={activation!r}"
        )
    return REGISTRY.serialize(activation)


def deserialize(config: Any, custom_objects: dict | None = None) -> Callable | None:
    """The activation a name or config (as written by `serialize` or by Keras) refers to.

    Args:
        config: a name (`"relu"`), `{"class_name": "function", "config": "relu", ...}` as Keras
            writes functions, or a class config dict for activation objects.
        custom_objects: extra `{name: function}` entries searched first.

    Example:
        >>> deserialize("swish") is silu
        True
    """
    if isinstance(config, dict) and config.get("class_name") == "function":
        name = config.get("registered_name")
        name = config.get("config") if name in (None, "function") else name
        return REGISTRY.lookup(name, custom_objects)
    return REGISTRY.deserialize(config, custom_objects)


def get(identifier: Any, custom_objects: dict | None = None) -> Callable:
    """Resolves an activation identifier; None gives `linear`.

    Args:
        identifier: None, a registered name, a config dict, or any callable (returned as-is;
            a class is returned uninstantiated).
        custom_objects: extra `{name: function}` entries searched first.

    Example:
        >>> get("relu") is relu
        True
    """
    if identifier is None:
        return linear
    if isinstance(identifier, dict):
        return deserialize(identifier, custom_objects)
    if isinstance(identifier, str) or callable(identifier) or inspect.isclass(identifier):
        return REGISTRY.get(identifier, custom_objects)
    raise ValueError(
        "Could not interpret activation function identifier. Expected None, a string, a dict "
        f"config or a callable. Received: activation={identifier!r}"
    )
