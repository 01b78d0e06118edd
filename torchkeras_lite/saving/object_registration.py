"""Custom objects: `register_keras_serializable`, `custom_object_scope`, `get_custom_objects`."""

from __future__ import annotations

import threading
from typing import Any

_GLOBAL_CUSTOM_OBJECTS: dict[str, Any] = {}
_GLOBAL_CUSTOM_NAMES: dict[Any, str] = {}
_SCOPE = threading.local()


def register_keras_serializable(package: str = "Custom", name: str | None = None):
    """Registers a class or function so that configs naming it can be deserialized.

    It is registered under `"package>name"` (name defaults to the object's `__name__`).

    Example:
        >>> @register_keras_serializable(package="my_pkg")
        ... class MyLayer(keras.layers.Layer): ...
    """

    def decorator(obj):
        registered = f"{package}>{name or obj.__name__}"
        if isinstance(obj, type) and not hasattr(obj, "get_config"):
            raise ValueError(
                f"Cannot register a class that does not have a `get_config()` method. Received: obj={obj!r}"
            )
        _GLOBAL_CUSTOM_OBJECTS[registered] = obj
        _GLOBAL_CUSTOM_NAMES[obj] = registered
        return obj

    return decorator


def get_registered_name(obj) -> str:
    """The name `obj` was registered under, else its `__name__`."""
    return _GLOBAL_CUSTOM_NAMES.get(obj, getattr(obj, "__name__", type(obj).__name__))


def get_registered_object(
    name: str, custom_objects: dict | None = None, module_objects: dict | None = None
):
    """Looks `name` up in the scoped custom objects, `custom_objects`, the global registry, then `module_objects`."""
    for scope in reversed(getattr(_SCOPE, "stack", [])):
        if name in scope:
            return scope[name]
    if custom_objects and name in custom_objects:
        return custom_objects[name]
    if name in _GLOBAL_CUSTOM_OBJECTS:
        return _GLOBAL_CUSTOM_OBJECTS[name]
    if module_objects and name in module_objects:
        return module_objects[name]
    return None


def get_custom_objects() -> dict[str, Any]:
    """The global dict of registered custom objects (editable, as in Keras)."""
    return _GLOBAL_CUSTOM_OBJECTS


class CustomObjectScope:
    """Within this scope, the given custom objects are found by name when deserializing.

    Example:
        >>> with custom_object_scope({"MyLayer": MyLayer}):
        ...     model = keras.saving.load_model("m.keras")
    """

    def __init__(self, *custom_objects: dict):
        self.custom_objects: dict[str, Any] = {}
        for objects in custom_objects:
            self.custom_objects.update(objects or {})

    def __enter__(self):
        if not hasattr(_SCOPE, "stack"):
            _SCOPE.stack = []
        _SCOPE.stack.append(self.custom_objects)
        return self

    def __exit__(self, *exc):
        _SCOPE.stack.pop()


custom_object_scope = CustomObjectScope
