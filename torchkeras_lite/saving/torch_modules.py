"""Native torch modules in a saved model: an importable class path plus constructor arguments.

The rule (no pickle, no code from the file):

* A class registered with `keras.saving.register_keras_serializable()` that has `get_config()` is
  saved as its registered name plus `get_config()`, and rebuilt with `from_config` (or `cls(**config)`).
* A class from `torch.nn` (`torch.nn.Linear`, `Conv2d`, `LayerNorm`, `ReLU`, ...) is saved as its
  class path plus the constructor arguments read back from the module's attributes of the same
  names (`in_features`, `kernel_size`, ...; a `bias=` flag from whether the `bias` tensor exists).
  Saving rebuilds the module from those arguments on the meta device and checks that it prints
  the same and has the same weights; if not, saving fails rather than guess.
* Containers (`nn.Sequential`, `nn.ModuleList`, `nn.ModuleDict`) save their children by this rule.
* Anything else cannot be saved: wrap it in a `Layer` with `get_config()`, or register its class.

Loading imports only classes under `torch.nn` or registered classes; the weights come from the
model's safetensors file.
"""

from __future__ import annotations

import importlib
import inspect
import json
from typing import Any

import torch
from torch import nn

from torchkeras_lite.saving import object_registration
from torchkeras_lite.saving.errors import SavingError

MARKER = "__torch_module__"
_CONTAINERS = (nn.Sequential, nn.ModuleList, nn.ModuleDict)
_SKIPPED_ARGS = {"self", "device", "dtype"}


def is_torch_module_config(config: Any) -> bool:
    return isinstance(config, dict) and config.get("class_name") == MARKER


def _class_path(cls: type) -> str:
    if getattr(nn, cls.__name__, None) is cls:
        return f"torch.nn.{cls.__name__}"
    return f"{cls.__module__}.{cls.__qualname__}"


def _dtype_of(module: nn.Module) -> str | None:
    for t in [*module.parameters(recurse=False), *module.buffers(recurse=False)]:
        if t.is_floating_point():
            return str(t.dtype).removeprefix("torch.")
    return None


def _jsonable(value: Any) -> bool:
    try:
        json.dumps(value)
    except (TypeError, ValueError):
        return False
    return True


def _same(a: Any, b: Any) -> bool:
    try:
        return type(a) is type(b) and bool(a == b)
    except Exception:  # values whose == is not a bool
        return False


def _untuple(value: Any) -> Any:
    return tuple(_untuple(v) for v in value) if isinstance(value, list) else value


def _init_parameters(cls: type) -> list[inspect.Parameter]:
    """The named constructor parameters; for `__init__(*args, **kwargs)`, the base class's ones."""
    for klass in cls.__mro__:
        if "__init__" not in klass.__dict__:
            continue
        params = list(inspect.signature(klass.__init__).parameters.values())
        named = [p for p in params if p.kind not in (p.VAR_POSITIONAL, p.VAR_KEYWORD)]
        if len(named) > 1 or klass is nn.Module:
            # RNN subclasses pass their `mode` to RNNBase themselves.
            skip = {"mode"} if klass is not cls and issubclass(cls, nn.RNNBase) else set()
            return [p for p in named if p.name not in skip]
    return []


def _recover_args(module: nn.Module) -> dict[str, Any]:
    args: dict[str, Any] = {}
    for param in _init_parameters(type(module)):
        name = param.name
        if name in _SKIPPED_ARGS:
            continue
        missing = object()
        value = getattr(module, name, missing)
        if isinstance(param.default, bool) and (value is None or isinstance(value, torch.Tensor)):
            value = value is not None  # `bias=True` is stored as the bias tensor (or None)
        if value is missing or isinstance(value, (torch.Tensor, nn.Module)):
            if param.default is param.empty:
                raise _cannot_save(module, f"constructor argument `{name}` is not an attribute")
            continue
        if not _jsonable(value):
            raise _cannot_save(module, f"constructor argument `{name}` is a {type(value).__name__}")
        if param.default is not param.empty and _same(value, param.default):
            continue  # defaults stay implicit
        args[name] = value
    return args


def _cannot_save(module: nn.Module, why: str) -> SavingError:
    return SavingError(
        f"Cannot save the native torch module {_class_path(type(module))} without pickle: {why}. "
        "Native modules are saved as a `torch.nn` class path plus constructor arguments read back "
        "from their attributes. Wrap it in a `keras.layers.Layer` with `get_config()`, or give its "
        "class `get_config()` and register it with `@keras.saving.register_keras_serializable()`. "
        f"Received: module={type(module).__name__}"
    )


def _signature(module: nn.Module) -> tuple[str, dict]:
    return repr(module), {k: (tuple(v.shape), v.dtype) for k, v in module.state_dict().items()}


def serialize_torch_module(module: nn.Module) -> dict[str, Any]:
    """A JSON-ready config for a native module (see the module docstring for the rule).

    Example:
        >>> serialize_torch_module(torch.nn.Linear(3, 2))["config"]["args"]
        {'in_features': 3, 'out_features': 2, 'bias': True}
    """
    cls = type(module)
    registered = object_registration._GLOBAL_CUSTOM_NAMES.get(cls)
    if registered is not None and hasattr(module, "get_config"):
        return {
            "class_name": MARKER,
            "config": {"registered_name": registered, "args": module.get_config()},
        }
    if not cls.__module__.startswith("torch.nn"):
        raise _cannot_save(module, "its class is neither in `torch.nn` nor registered")
    config: dict[str, Any] = {"class_path": _class_path(cls)}
    if isinstance(module, _CONTAINERS):
        children = {k: serialize_torch_module(m) for k, m in module._modules.items()}
        config["children"] = (
            children if isinstance(module, nn.ModuleDict) else list(children.values())
        )
    else:
        config["args"] = json.loads(json.dumps(_recover_args(module)))
        dtype = _dtype_of(module)
        if dtype is not None and any(p.name == "dtype" for p in _init_parameters(cls)):
            config["dtype"] = dtype
        with torch.device("meta"):
            rebuilt = deserialize_torch_module({"class_name": MARKER, "config": config})
        if _signature(rebuilt) != _signature(module):
            raise _cannot_save(
                module,
                f"rebuilding it from the arguments {config['args']} gives a different module",
            )
    return {"class_name": MARKER, "config": config}


def _resolve_class(path: Any) -> type:
    if not isinstance(path, str) or not path.startswith("torch.nn.") or "__" in path:
        raise SavingError(
            "Refusing to import a native module class outside `torch.nn`: register the class with "
            f"`@keras.saving.register_keras_serializable()` instead. Received: class_path={path!r}"
        )
    module_name, _, name = path.rpartition(".")
    try:
        cls = getattr(importlib.import_module(module_name), name)
    except (ImportError, AttributeError) as e:
        raise SavingError(f"Unknown torch module class. Received: class_path={path!r}") from e
    if not (isinstance(cls, type) and issubclass(cls, nn.Module)):
        raise SavingError(f"Not a torch.nn.Module class. Received: class_path={path!r}")
    return cls


def deserialize_torch_module(
    config: dict[str, Any], custom_objects: dict | None = None
) -> nn.Module:
    """Rebuilds a module from `serialize_torch_module`'s output (weights are loaded separately)."""
    inner = config.get("config") if isinstance(config, dict) else None
    if not isinstance(inner, dict):
        raise SavingError(f"Malformed native module config. Received: config={config!r:.100}")
    if "registered_name" in inner:
        name = inner["registered_name"]
        cls = object_registration.get_registered_object(name, custom_objects)
        if cls is None:
            raise SavingError(
                f"Unknown native module class {name!r}: register it with "
                "`@keras.saving.register_keras_serializable()` or pass it in `custom_objects`. "
                f"Received: registered_name={name!r}"
            )
        args = inner.get("args") or {}
        return cls.from_config(args) if hasattr(cls, "from_config") else cls(**args)
    cls = _resolve_class(inner.get("class_path"))
    if "children" in inner:
        children = inner["children"]
        if isinstance(children, dict):
            return cls(
                {k: deserialize_torch_module(c, custom_objects) for k, c in children.items()}
            )
        return cls(*[deserialize_torch_module(c, custom_objects) for c in children])
    args = {k: _untuple(v) for k, v in (inner.get("args") or {}).items()}
    if inner.get("dtype") is not None:
        args["dtype"] = getattr(torch, str(inner["dtype"]))
    try:
        return cls(**args)
    except Exception as e:  # a constructor rejecting the arguments
        raise SavingError(
            f"Could not rebuild the native module {inner.get('class_path')} from its arguments: "
            f"{type(e).__name__}: {e}. Received: args={args!r:.200}"
        ) from e
