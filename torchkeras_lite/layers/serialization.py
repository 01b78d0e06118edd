"""Layers to and from configs: `serialize`, `deserialize` and `get`.

Classes are found among the layers and models exported by `torchkeras_lite.layers` and
`torchkeras_lite.models`, then custom objects (`custom_objects=`, `keras.saving.custom_object_scope`,
or `@keras.saving.register_keras_serializable()`).
"""

from __future__ import annotations

from typing import Any

from torch import nn

from torchkeras_lite.saving import object_registration
from torchkeras_lite.saving.object_registration import CustomObjectScope
from torchkeras_lite.saving.registry import serialize_keras_object


def _module_objects() -> dict[str, type]:
    """Every `nn.Module` class exported by `torchkeras_lite.layers` and `torchkeras_lite.models`."""
    from torchkeras_lite import layers, models

    objects: dict[str, type] = {}
    for module in (layers, models):
        for name, obj in vars(module).items():
            if isinstance(obj, type) and issubclass(obj, nn.Module):
                objects.setdefault(name, obj)
    return objects


def _as_shape(x: Any) -> Any:
    """JSON lists back to shape tuples (lists of shapes stay lists)."""
    if isinstance(x, list) and all(d is None or isinstance(d, int) for d in x):
        return tuple(x)
    if isinstance(x, list):
        return [_as_shape(e) for e in x]
    if isinstance(x, dict):
        return {k: _as_shape(v) for k, v in x.items()}
    return x


def _as_json_shape(x: Any) -> Any:
    if isinstance(x, (tuple, list)):
        return [_as_json_shape(e) for e in x]
    if isinstance(x, dict):
        return {k: _as_json_shape(v) for k, v in x.items()}
    return x


def serialize(layer: Any) -> dict[str, Any]:
    """A layer's JSON-ready description: `{"module", "class_name", "config", "registered_name"}`.

    Built layers also record `build_config` (their input shape), so `deserialize` can rebuild the
    weights before weights are loaded.

    Example:
        >>> config = keras.layers.serialize(keras.layers.Dense(3))
        >>> layer = keras.layers.deserialize(config)
    """
    if not hasattr(layer, "get_config"):
        raise ValueError(
            f"Cannot serialize {type(layer).__name__}: it is not a keras Layer (it has no `get_config()`). "
            f"Received: layer={layer!r}"
        )
    config = serialize_keras_object(layer)
    shape = layer.__dict__.get("_build_input_shape")
    if layer.__dict__.get("built") and shape is not None:
        config["build_config"] = {"input_shape": _as_json_shape(shape)}
    return config


def deserialize(config: dict[str, Any], custom_objects: dict[str, Any] | None = None) -> Any:
    """Rebuilds a layer (or model) from `serialize`'s output.

    Args:
        config: a dict with `class_name` and `config` (and optionally `registered_name`).
        custom_objects: custom classes by name, for layers that are not built in.
    """
    if not isinstance(config, dict) or "class_name" not in config:
        raise ValueError(
            f"Could not deserialize layer: expected a dict with 'class_name' and 'config'. Received: config={config!r}"
        )
    class_name = config["class_name"]
    module_objects = _module_objects()
    with CustomObjectScope(custom_objects or {}):
        cls = None
        for name in (config.get("registered_name"), class_name):
            if name:
                cls = object_registration.get_registered_object(
                    name, custom_objects, module_objects
                )
                if cls is not None:
                    break
        if cls is None:
            raise ValueError(
                f"Could not locate class '{class_name}'. Make sure custom classes are decorated with "
                "`@keras.saving.register_keras_serializable()` or passed in "
                f"`custom_objects={{'{class_name}': {class_name}}}`. Received: config={config!r}"
            )
        inner = config.get("config") or {}
        layer = cls.from_config(inner) if hasattr(cls, "from_config") else cls(**inner)
        build_config = config.get("build_config")
        if build_config and not layer.built and build_config.get("input_shape") is not None:
            layer.build(_as_shape(build_config["input_shape"]))
    return layer


def get(identifier: Any, custom_objects: dict[str, Any] | None = None) -> Any:
    """Resolves a layer: None, a Layer instance, a config dict, a class, or a class name (made with no arguments)."""
    if identifier is None or isinstance(identifier, nn.Module):
        return identifier
    if isinstance(identifier, dict):
        return deserialize(identifier, custom_objects)
    if isinstance(identifier, type) and issubclass(identifier, nn.Module):
        return identifier()
    if isinstance(identifier, str):
        return deserialize({"class_name": identifier, "config": {}}, custom_objects)
    raise ValueError(
        "Could not interpret layer identifier. Expected a Layer, a class, a class name or a config dict. "
        f"Received: identifier={identifier!r}"
    )
