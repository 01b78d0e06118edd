"""`compile_config`: the arguments of `model.compile()` as JSON, and compiling a loaded model again.

The optimizer is saved as its config (`optimizers.serialize`); a native `torch.optim` optimizer as
its class path under `torch.optim` plus its `defaults`. Losses and metrics are saved by name, or
as `{"class_name", "config"}` for objects, in the structure given to `compile()`.
"""

from __future__ import annotations

import functools
import inspect
import warnings
from typing import Any

import torch

from torchkeras_lite.saving.errors import SavingError

TORCH_OPTIMIZER = "__torch_optimizer__"


def _serialize_tree(spec: Any, serialize: Any) -> Any:
    if spec is None or isinstance(spec, (str, int, float, bool)):
        return spec
    if isinstance(spec, (list, tuple)):
        return [_serialize_tree(s, serialize) for s in spec]
    if isinstance(spec, dict):
        return {k: _serialize_tree(v, serialize) for k, v in spec.items()}
    return serialize(spec)


def _deserialize_tree(spec: Any, deserialize: Any) -> Any:
    if isinstance(spec, list):
        return [_deserialize_tree(s, deserialize) for s in spec]
    if isinstance(spec, dict):
        if "class_name" in spec:
            return deserialize(spec)
        return {k: _deserialize_tree(v, deserialize) for k, v in spec.items()}
    return spec


def _torch_optimizer_config(cls: Any, defaults: dict) -> dict | None:
    if not (isinstance(cls, type) and cls.__module__.startswith("torch.optim")):
        return None
    plain = {k: v for k, v in defaults.items() if not isinstance(v, torch.Tensor)}
    return {
        "class_name": TORCH_OPTIMIZER,
        "config": {"class_name": cls.__name__, "defaults": plain},
    }


def serialize_optimizer(model: Any) -> dict | None:
    """The optimizer's config, or None when it cannot be described without pickle."""
    from torchkeras_lite import optimizers

    binding = model.__dict__.get("_binding")
    if binding is None:
        return None
    opt = binding.optimizer
    if isinstance(opt, optimizers.Optimizer):
        return optimizers.serialize(opt)
    if isinstance(opt, torch.optim.Optimizer):
        return _torch_optimizer_config(type(opt), opt.defaults)
    spec = binding._spec
    if isinstance(spec, functools.partial) and not spec.args:
        return _torch_optimizer_config(spec.func, spec.keywords)
    return _torch_optimizer_config(spec, {})


def get_compile_config(model: Any) -> dict[str, Any] | None:
    """The arguments `compile()` got, JSON-ready; None for a model that was not compiled."""
    from torchkeras_lite import losses, metrics

    config = model.__dict__.get("_compile_config")
    if not model.__dict__.get("compiled") or not config:
        return None
    out = dict(config)
    out["optimizer"] = serialize_optimizer(model)
    out["loss"] = _serialize_tree(config.get("loss"), losses.serialize)
    for key in ("metrics", "weighted_metrics"):
        out[key] = _serialize_tree(config.get(key), metrics.serialize)
    return out


def _deserialize_optimizer(config: Any, custom_objects: dict | None) -> Any:
    from torchkeras_lite import optimizers

    if isinstance(config, dict) and config.get("class_name") == TORCH_OPTIMIZER:
        inner = config.get("config") or {}
        name = inner.get("class_name")
        cls = getattr(torch.optim, name, None) if isinstance(name, str) else None
        if not (isinstance(cls, type) and issubclass(cls, torch.optim.Optimizer)):
            raise SavingError(f"Unknown torch optimizer class. Received: class_name={name!r}")
        accepted = inspect.signature(cls.__init__).parameters
        defaults = {
            k: tuple(v) if isinstance(v, list) else v
            for k, v in (inner.get("defaults") or {}).items()
            if k in accepted
        }
        return functools.partial(cls, **defaults)
    if isinstance(config, str):
        return optimizers.get(config)
    return optimizers.deserialize(config, custom_objects)


def compile_from_config(
    model: Any, config: dict[str, Any], custom_objects: dict | None, source: str
) -> bool:
    """Compiles `model` as the saved `compile_config` says; False (with a warning) if it cannot."""
    from torchkeras_lite import losses, metrics

    if config.get("optimizer") is None:
        warnings.warn(
            f"The model in '{source}' was compiled with an optimizer that could not be saved, so "
            "it is returned uncompiled: call `compile()` yourself.",
            stacklevel=3,
        )
        return False
    try:
        kwargs = dict(config)
        kwargs["optimizer"] = _deserialize_optimizer(config["optimizer"], custom_objects)
        kwargs["loss"] = _deserialize_tree(
            config.get("loss"), lambda c: losses.deserialize(c, custom_objects)
        )
        for key in ("metrics", "weighted_metrics"):
            kwargs[key] = _deserialize_tree(
                config.get(key), lambda c: metrics.deserialize(c, custom_objects)
            )
        accepted = inspect.signature(model.compile).parameters
        model.compile(**{k: v for k, v in kwargs.items() if k in accepted})
    except SavingError:
        raise
    except Exception as e:  # unknown names, bad arguments
        raise SavingError(
            f"Could not compile the model loaded from '{source}' with its saved compile config: "
            f"{e}. Pass the custom losses/metrics in `custom_objects`, or load with "
            "`compile=False` and compile it yourself."
        ) from e
    return True
