"""Keras 3 model configs made loadable here: every layer class must exist, unused options go.

A Keras config names each layer's class; `adapt` checks that each one is a built-in layer of
torchkeras_lite (or a custom object) and names those that are not. Options Keras has and this
library lacks are dropped when they hold their "not used" value (`renorm=False`,
`quantization_config=None`, ...) and refused, with the option named, otherwise.
"""

from __future__ import annotations

import inspect
from typing import Any

import torch

from torchkeras_lite.saving.errors import SavingError

# Keras options this library does not have, with the value that means "not used": dropped then.
_INACTIVE = {
    "quantization_config": None,
    "renorm": False,
    "renorm_clipping": None,
    "lora_rank": None,
    "lora_alpha": None,
    "synchronized": False,
}


def _layer_classes(config: Any, found: list[tuple[str, str, dict]], is_layer: bool = True) -> None:
    """Every `(class_name, layer name, layer config)` in the config tree of a Keras model.

    Layers are the model itself, the entries of `layers` lists, and nested configs from
    `keras.layers` / `keras.models` (a Bidirectional's `layer`, an RNN's `cell`).
    """
    if isinstance(config, dict):
        inner = config.get("config")
        module = str(config.get("module") or "")
        if (
            isinstance(inner, dict)
            and isinstance(config.get("class_name"), str)
            and (is_layer or module.startswith(("keras.layers", "keras.models")))
        ):
            found.append((config["class_name"], str(inner.get("name", "")), inner))
        for key, value in config.items():
            if key == "compile_config":
                continue
            if key == "layers" and isinstance(value, list):
                for entry in value:
                    _layer_classes(entry, found, is_layer=True)
            else:
                _layer_classes(value, found, is_layer=False)
    elif isinstance(config, list):
        for value in config:
            _layer_classes(value, found, is_layer=False)


def adapt(config: dict, custom_objects: dict | None, path: str) -> None:
    """Checks the layer classes of a Keras config and drops its inactive Keras-only options."""
    from torchkeras_lite.layers import serialization
    from torchkeras_lite.saving import object_registration

    known = serialization._module_objects()
    found: list[tuple[str, str, dict]] = []
    _layer_classes(config, found)
    missing = sorted(
        {
            f"{cls} (layer '{name}')"
            for cls, name, _ in found
            if cls not in known
            and object_registration.get_registered_object(cls, custom_objects) is None
            and cls not in ("Functional", "Model", "DTypePolicy")
        }
    )
    if missing:
        raise SavingError(
            f"The Keras model in '{path}' uses layers that torchkeras_lite does not provide: "
            f"{', '.join(missing)}. Pass an implementation in `custom_objects`. "
            f"Received: filepath={path!r}"
        )
    for cls_name, name, inner in found:
        cls = known.get(cls_name)
        if cls is not None and "layers" not in inner:
            _drop_inactive_options(cls, name, inner, path)


def _accepted_arguments(cls: type) -> set[str] | None:
    """The keyword arguments `cls(...)` accepts (its own and the base Layer's), None if any."""
    from torchkeras_lite.layers.layer import _ALLOWED_KWARGS

    accepted: set[str] = set(_ALLOWED_KWARGS)
    for klass in cls.__mro__:
        init = klass.__dict__.get("__init__")
        if init is None or klass is object or klass is torch.nn.Module:
            continue
        params = inspect.signature(init).parameters.values()
        accepted.update(p.name for p in params if p.kind not in (p.VAR_POSITIONAL, p.VAR_KEYWORD))
        if not any(p.kind is p.VAR_KEYWORD for p in params):
            return accepted
    return accepted


def _drop_inactive_options(cls: type, name: str, inner: dict, path: str) -> None:
    accepted = _accepted_arguments(cls)
    for key in [k for k in inner if k not in accepted]:
        value = inner[key]
        inactive = (key in _INACTIVE and value == _INACTIVE[key]) or (
            key == "renorm_momentum" and not inner.get("renorm")
        )
        if not inactive:
            raise SavingError(
                f"The Keras model in '{path}' sets `{key}={value!r}` on layer '{name}' "
                f"({cls.__name__}), an option torchkeras_lite does not support. "
                f"Received: {key}={value!r}"
            )
        del inner[key]
