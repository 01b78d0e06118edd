"""A model's description in `config.json`: its config, how to build it, and its compile arguments.

`model_config` / `rebuild` go through `layers.serialization` (`serialize` / `deserialize`) when
present, else through `serialize_keras_object` / `deserialize_keras_object`. Every failure to
rebuild becomes a `SavingError` naming the file; code stored in the config (a Lambda's bytecode)
is refused in safe mode before anything is deserialized.
"""

from __future__ import annotations

import inspect
from typing import Any

import torch

from torchkeras_lite.saving import object_registration, safe_mode
from torchkeras_lite.saving.errors import SavingError
from torchkeras_lite.saving.registry import deserialize_keras_object, serialize_keras_object


def _serialization():
    try:
        from torchkeras_lite.layers import serialization
    except ImportError:
        return None
    return serialization


def model_config(model: torch.nn.Module) -> dict[str, Any]:
    """`{"module", "class_name", "config", "registered_name", "build_config"}` of `model`."""
    _check_get_config(model)
    serialization = _serialization()
    try:
        config = serialization.serialize(model) if serialization else serialize_keras_object(model)
    except Exception as e:  # a get_config() that fails, a part that cannot be described
        raise SavingError(
            f"Could not get the config of model '{getattr(model, 'name', type(model).__name__)}': "
            f"{type(e).__name__}: {e}"
        ) from e
    if not isinstance(config, dict):
        raise SavingError(
            f"Model '{getattr(model, 'name', model)}' did not serialize to a config dict. "
            f"Received: {config!r:.100}"
        )
    build_config = get_build_config(model)
    if build_config is not None:
        config["build_config"] = build_config
    return config


def _check_get_config(model: torch.nn.Module) -> None:
    """A subclass whose `__init__` needs arguments that `get_config()` leaves out cannot be rebuilt."""
    cls = type(model)
    if not hasattr(model, "get_config"):
        return
    try:
        params = inspect.signature(cls.__init__).parameters.values()
    except (TypeError, ValueError):
        return
    required = [
        p.name
        for p in params
        if p.name != "self"
        and p.default is p.empty
        and p.kind not in (p.VAR_POSITIONAL, p.VAR_KEYWORD)
    ]
    if not required:
        return
    config = model.get_config()
    missing = [name for name in required if name not in config]
    if missing and not ("layers" in config or "input_layers" in config):
        raise SavingError(
            f"Model '{getattr(model, 'name', cls.__name__)}' ({cls.__name__}) has arguments "
            f"{missing} in `__init__()` that its `get_config()` does not return, so it could not "
            "be rebuilt when loading. Override `get_config()` to return them (and `from_config()` "
            f"if they are not plain values). Received: get_config() keys={sorted(config)}"
        )


def _to_shape(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _to_shape(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        if all(v is None or isinstance(v, int) for v in value):
            return tuple(value)
        return [_to_shape(v) for v in value]
    return value


def get_build_config(model: torch.nn.Module) -> dict[str, Any] | None:
    """Keras' `build_config`: the input shape the model was built with, when it is known."""
    getter = getattr(model, "get_build_config", None)
    if getter is not None:
        return getter()
    shape = model.__dict__.get("_build_input_shape")
    return None if shape is None else {"input_shape": shape}


def build_from_config(model: torch.nn.Module, build_config: Any, source: str) -> None:
    """Creates the weights of a rebuilt model that builds lazily, from its saved input shape."""
    from torchkeras_lite.layers.layer import Layer

    layers = [m for m in model.modules() if isinstance(m, Layer)]
    if all(layer.built for layer in layers) and getattr(model, "built", True):
        return
    if not isinstance(build_config, dict) or build_config.get("input_shape") is None:
        return  # weights are matched next; unbuilt layers are reported there
    builder = getattr(model, "build_from_config", None)
    shape = _to_shape(build_config["input_shape"])
    try:
        if builder is not None:
            builder(build_config)
        elif type(model).build is not Layer.build:
            model.build(shape)
        if not all(layer.built for layer in layers):
            with torch.no_grad():
                model(_zeros(shape), training=False)
    except Exception as e:  # the model's own build/call code
        raise SavingError(
            f"Could not build the model loaded from '{source}' with its saved input shape {shape}: "
            f"{type(e).__name__}: {e}"
        ) from e


def _zeros(shape: Any) -> Any:
    if isinstance(shape, dict):
        return {k: _zeros(v) for k, v in shape.items()}
    if isinstance(shape, list):
        return [_zeros(s) for s in shape]
    return torch.zeros(tuple(1 if d is None else int(d) for d in shape))


def check_safe(config: Any, source: str, safe: bool) -> None:
    """Refuses, in safe mode, any code stored in the config (Keras' `__lambda__` bytecode)."""
    if not safe:
        return
    stack: list[tuple[Any, str | None]] = [(config, None)]
    while stack:
        node, layer = stack.pop()
        if isinstance(node, dict):
            if node.get("class_name") == "__lambda__":
                where = (
                    f"the layer '{layer}' in '{source}'" if layer else f"a function in '{source}'"
                )
                raise SavingError(safe_mode.unsafe_message(f"{where} (a Python lambda)"))
            inner = node.get("config")
            name = inner.get("name") if isinstance(inner, dict) else None
            label = name if isinstance(name, str) else layer
            stack.extend((v, label) for v in node.values())
        elif isinstance(node, list):
            stack.extend((v, layer) for v in node)


def rebuild(
    config: dict[str, Any], custom_objects: dict | None, source: str, safe: bool
) -> torch.nn.Module:
    """The model described by `config` (unbuilt layers build next, weights load after)."""
    check_safe(config, source, safe and safe_mode.in_safe_mode())
    serialization = _serialization()
    try:
        with (
            safe_mode.SafeModeScope(safe),
            object_registration.custom_object_scope(custom_objects or {}),
        ):
            if serialization is not None:
                model = serialization.deserialize(config, custom_objects=custom_objects)
            else:
                model = deserialize_keras_object(config, custom_objects)
    except SavingError:
        raise
    except Exception as e:  # anything a constructor or from_config raises on a bad config
        raise SavingError(
            f"Could not rebuild the model saved in '{source}' from its config: {e}"
            if isinstance(e, ValueError)
            else f"Could not rebuild the model saved in '{source}' from its config: "
            f"{type(e).__name__}: {e}"
        ) from e
    if not isinstance(model, torch.nn.Module):
        raise SavingError(
            f"The config in '{source}' does not describe a model. Received: {type(model).__name__}"
        )
    return model
