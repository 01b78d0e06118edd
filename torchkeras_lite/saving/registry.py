"""A name registry per family (activations, initializers, losses, ...): `get`, `serialize`, `deserialize`.

Each family module makes one `Registry` and registers its classes and functions with it; lookups are
dict lookups. Unknown names raise a ValueError that lists the close matches.
"""

from __future__ import annotations

import difflib
import inspect
from collections.abc import Callable
from typing import Any

from torchkeras_lite.saving import object_registration


class Registry:
    """Maps Keras names (`"glorot_uniform"`, `"GlorotUniform"`) to classes and functions of one family.

    Args:
        family: what the objects are, used in error messages (`"initializer"`).
        instantiate_classes: `get("name")` of a class returns an instance made with no arguments.
    """

    def __init__(self, family: str, instantiate_classes: bool = True):
        self.family = family
        self.instantiate_classes = instantiate_classes
        self._objects: dict[str, Any] = {}
        self._names: dict[Any, str] = {}

    # -- registration ----------------------------------------------------------------------------
    def register(self, *aliases: str) -> Callable:
        """Decorator: registers the object under its `__name__` and each alias.

        The first alias (or the `__name__` when none) is the name `serialize` writes for functions.
        """

        def decorator(obj):
            names = list(aliases) or [obj.__name__]
            if obj.__name__ not in names:
                names.append(obj.__name__)
            for name in names:
                self._objects[name] = obj
            self._names.setdefault(obj, names[0] if not isinstance(obj, type) else obj.__name__)
            return obj

        return decorator

    def add(self, name: str, obj: Any) -> None:
        """Registers `obj` under one more name."""
        self._objects[name] = obj
        self._names.setdefault(obj, name)

    def names(self) -> list[str]:
        return sorted(self._objects)

    def objects(self) -> dict[str, Any]:
        """Every registered name and its object."""
        return dict(self._objects)

    def classes(self) -> list[type]:
        """The registered classes, each once."""
        seen: list[type] = []
        for obj in self._objects.values():
            if isinstance(obj, type) and obj not in seen:
                seen.append(obj)
        return seen

    # -- lookup ----------------------------------------------------------------------------------
    def lookup(self, name: str, custom_objects: dict | None = None) -> Any:
        """The class or function registered as `name` (custom objects first); ValueError if none."""
        obj = object_registration.get_registered_object(name, custom_objects, self._objects)
        if obj is None:
            raise ValueError(self._unknown_message(name))
        return obj

    def _unknown_message(self, name: str) -> str:
        close = difflib.get_close_matches(str(name), self._objects.keys(), n=5, cutoff=0.5)
        hint = f" Did you mean one of {close}?" if close else ""
        return (
            f"Unknown {self.family}: {name!r}.{hint} Expected a registered {self.family} name "
            f"(one of {self.names()}), or a custom object passed in `custom_objects` or registered "
            f"with `keras.saving.register_keras_serializable()`. Received: {self.family}={name!r}"
        )

    def get(self, identifier: Any, custom_objects: dict | None = None) -> Any:
        """Resolves None, a name, a config dict, a class, a function or an instance of this family."""
        if identifier is None:
            return None
        if isinstance(identifier, str):
            obj = self.lookup(identifier, custom_objects)
            if isinstance(obj, type) and self.instantiate_classes:
                return obj()
            return obj
        if isinstance(identifier, dict):
            return self.deserialize(identifier, custom_objects)
        if isinstance(identifier, type) and self.instantiate_classes:
            return identifier()
        if callable(identifier):
            return identifier
        raise ValueError(
            f"Could not interpret {self.family} identifier. Expected a string, a dict config or a "
            f"callable. Received: {self.family}={identifier!r}"
        )

    # -- (de)serialization -----------------------------------------------------------------------
    def serialize(self, obj: Any) -> Any:
        """A JSON-ready description: the name for registered functions, else a class/config dict."""
        if obj is None:
            return None
        if not isinstance(obj, type) and not hasattr(obj, "get_config"):
            name = self._names.get(obj) or object_registration._GLOBAL_CUSTOM_NAMES.get(obj)
            if name is not None:
                return name
            if inspect.isfunction(obj) or inspect.isbuiltin(obj):
                return object_registration.get_registered_name(obj)
        return serialize_keras_object(obj)

    def deserialize(self, config: Any, custom_objects: dict | None = None) -> Any:
        """Inverse of `serialize`: accepts a name or a `{"class_name", "config"}` dict."""
        if config is None:
            return None
        if isinstance(config, str):
            return self.get(config, custom_objects)
        if not isinstance(config, dict) or "class_name" not in config:
            raise ValueError(
                f"Could not deserialize {self.family}: expected a dict with 'class_name' and 'config'. "
                f"Received: config={config!r}"
            )
        name = config.get("registered_name") or config["class_name"]
        try:
            cls = self.lookup(name, custom_objects)
        except ValueError:
            cls = self.lookup(config["class_name"], custom_objects)
        inner = config.get("config")
        if not isinstance(cls, type):
            return cls  # a function serialized in dict form
        if inner is None:
            return cls()
        if hasattr(cls, "from_config"):
            return cls.from_config(inner)
        return cls(**inner)


def serialize_keras_object(obj: Any) -> Any:
    """Serializes any object with `get_config` to `{"module", "class_name", "config", "registered_name"}`."""
    if obj is None or isinstance(obj, (str, int, float, bool)):
        return obj
    if isinstance(obj, (list, tuple)):
        return [serialize_keras_object(o) for o in obj]
    if isinstance(obj, dict):
        return {k: serialize_keras_object(v) for k, v in obj.items()}
    cls = obj if isinstance(obj, type) else type(obj)
    registered = object_registration._GLOBAL_CUSTOM_NAMES.get(cls)
    if not hasattr(obj, "get_config") or isinstance(obj, type):
        name = object_registration.get_registered_name(obj)
        return name
    return {
        "module": cls.__module__,
        "class_name": cls.__name__,
        "config": obj.get_config(),
        "registered_name": registered or cls.__name__,
    }


def deserialize_keras_object(
    config: Any, custom_objects: dict | None = None, module_objects: dict | None = None
):
    """Rebuilds an object from `serialize_keras_object`'s output, finding the class by registered name."""
    if config is None or isinstance(config, (int, float, bool)):
        return config
    if isinstance(config, str):
        obj = object_registration.get_registered_object(config, custom_objects, module_objects)
        if obj is None:
            raise ValueError(
                f"Unknown object: {config!r}. Pass it in `custom_objects` or register it with "
                f"`keras.saving.register_keras_serializable()`. Received: config={config!r}"
            )
        return obj
    if isinstance(config, list):
        return [deserialize_keras_object(c, custom_objects, module_objects) for c in config]
    if not isinstance(config, dict) or "class_name" not in config:
        raise ValueError(f"Could not deserialize object. Received: config={config!r}")
    name = config.get("registered_name") or config["class_name"]
    cls = object_registration.get_registered_object(name, custom_objects, module_objects)
    if cls is None:
        cls = object_registration.get_registered_object(
            config["class_name"], custom_objects, module_objects
        )
    if cls is None:
        raise ValueError(
            f"Unknown class: {config['class_name']!r}. It is not a built-in class: register it with "
            "`@keras.saving.register_keras_serializable()` or pass it in `custom_objects={...}`. "
            f"Received: class_name={config['class_name']!r}"
        )
    inner = config.get("config") or {}
    return cls.from_config(inner) if hasattr(cls, "from_config") else cls(**inner)
