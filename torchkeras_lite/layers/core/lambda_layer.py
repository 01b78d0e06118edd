"""`Lambda`: wraps an arbitrary function of tensors as a layer, with (de)serialization of the function."""

from __future__ import annotations

import base64
import builtins
import importlib
import inspect
import marshal
import types
from collections.abc import Callable
from typing import Any

import numpy as np
import torch

from torchkeras_lite.layers.layer import Layer
from torchkeras_lite.saving import object_registration
from torchkeras_lite.saving.registry import deserialize_keras_object, serialize_keras_object

_UNSAFE_LAMBDA = (
    "Requested the deserialization of a `Lambda` layer whose `function` is a Python lambda. This "
    "carries a potential risk of arbitrary code execution and thus it is disallowed by default. If "
    "you trust the source of the config, pass `safe_mode=False` to `Lambda.from_config`. "
    "Received: safe_mode=True"
)


def _expected_args(fn: Callable) -> set[str]:
    try:
        return set(inspect.signature(fn).parameters)
    except (TypeError, ValueError):  # some builtins have no signature
        return set()


def serialize_function(fn: Callable) -> Any:
    """A JSON-ready config for a function: its bytecode for a Python lambda, else its name.

    Lambdas are stored as Keras stores them (`{"class_name": "__lambda__", "config": {"code",
    "defaults", "closure"}}`), named functions as `{"class_name": "function", "config": name}`.
    """
    if isinstance(fn, types.FunctionType) and fn.__name__ == "<lambda>":
        if hasattr(fn, "_tkl_config"):  # loaded from a config: give back the same bytes
            return fn._tkl_config
        closure = tuple(c.cell_contents for c in fn.__closure__) if fn.__closure__ else None
        code = base64.encodebytes(marshal.dumps(fn.__code__)).decode("ascii")
        return {
            "class_name": "__lambda__",
            "config": {"code": code, "defaults": fn.__defaults__, "closure": closure},
        }
    if hasattr(fn, "get_config") and not isinstance(fn, type):
        return serialize_keras_object(fn)
    if callable(fn):
        return {
            "module": getattr(fn, "__module__", None),
            "class_name": "function",
            "config": fn.__name__,
            "registered_name": object_registration.get_registered_name(fn),
        }
    raise ValueError(
        f"Invalid input type for serialization: expected a callable. Received: {fn!r} of type {type(fn)}."
    )


def _load_lambda(config: dict, custom_objects: dict | None) -> Callable:
    import torchkeras_lite
    from torchkeras_lite import ops

    code = marshal.loads(base64.b64decode(config["code"].encode("ascii")))
    globs = {"__builtins__": builtins, "torch": torch, "np": np, "numpy": np}
    globs.update({"keras": torchkeras_lite, "ops": ops, **(custom_objects or {})})
    closure = config.get("closure")
    cells = tuple(types.CellType(v) for v in closure) if closure else None
    defaults = tuple(config["defaults"]) if config.get("defaults") else None
    fn = types.FunctionType(code, globs, code.co_name, defaults, cells)
    fn._tkl_config = {"class_name": "__lambda__", "config": config}
    return fn


def deserialize_function(
    config: Any, custom_objects: dict | None = None, safe_mode: bool = True
) -> Callable:
    """Inverse of `serialize_function`. Named functions are found among registered/custom objects
    or, for torchkeras_lite's own functions, by module; lambdas need `safe_mode=False`."""
    if not isinstance(config, dict):
        return deserialize_keras_object(config, custom_objects)
    if config.get("class_name") == "__lambda__":
        if safe_mode:
            raise ValueError(_UNSAFE_LAMBDA)
        return _load_lambda(config["config"], custom_objects)
    if config.get("class_name") != "function":
        return deserialize_keras_object(config, custom_objects)
    for name in (config.get("registered_name"), config.get("config")):
        fn = object_registration.get_registered_object(name, custom_objects) if name else None
        if fn is not None:
            return fn
    module = config.get("module") or ""
    if module.split(".")[0] == "torchkeras_lite" or not safe_mode:
        fn = getattr(importlib.import_module(module), config["config"], None) if module else None
        if fn is not None:
            return fn
    raise ValueError(
        f"Could not deserialize the function {config.get('config')!r}: register it with "
        "`keras.saving.register_keras_serializable()` or pass it in `custom_objects`. "
        f"Received: config={config!r}"
    )


class Lambda(Layer):
    """Wraps a function of tensors (`function(inputs, **arguments)`) as a layer.

    For stateless custom operations; layers with weights should subclass `Layer`. Python lambdas
    serialize as bytecode (portable only across identical Python versions) and deserialize only
    with `safe_mode=False`; named functions serialize by name (register them with
    `keras.saving.register_keras_serializable()`).

    Args:
        function: the function; it receives `mask=` and/or `training=` when its signature has them.
        output_shape: the output shape without the batch dimension, or a function
            `input_shape -> output_shape`; None infers it by running the function.
        mask: the output mask: a function `(inputs, previous_mask) -> mask`, a fixed mask, or None
            (no mask; the layer then does not support masking).
        arguments: extra keyword arguments passed to `function`.
        **kwargs: base layer arguments (`name`, `dtype`, ...).

    Input shape:
        whatever `function` accepts.

    Output shape:
        `(batch_size, *output_shape)` when given, else whatever `function` returns.

    Example:
        >>> layer = keras.layers.Lambda(lambda x: x**2)
        >>> layer(torch.tensor([[3.0]])).tolist()
        [[9.0]]
    """

    def __init__(
        self,
        function: Callable,
        output_shape: Any = None,
        mask: Any = None,
        arguments: dict | None = None,
        **kwargs: Any,
    ):
        if not callable(function):
            raise ValueError(
                f"Argument `function` must be callable. Received: function={function!r}"
            )
        super().__init__(**kwargs)
        self.function = function
        self.arguments = dict(arguments or {})
        self.mask = mask
        self.supports_masking = mask is not None
        self._output_shape = output_shape
        args = _expected_args(function)
        self._fn_expects_training_arg = "training" in args
        self._fn_expects_mask_arg = "mask" in args

    def call(self, inputs: Any, mask: Any = None, training: bool | None = None) -> Any:
        kwargs = dict(self.arguments)
        if self._fn_expects_mask_arg:
            kwargs["mask"] = mask
        if self._fn_expects_training_arg:
            kwargs["training"] = training
        return self.function(inputs, **kwargs)

    def compute_mask(self, inputs: Any, previous_mask: Any = None) -> Any:
        if callable(self.mask):
            return self.mask(inputs, previous_mask)
        return self.mask

    def compute_output_shape(self, input_shape: Any) -> Any:
        if self._output_shape is None:
            return super().compute_output_shape(input_shape)
        if callable(self._output_shape):
            return self._output_shape(input_shape)
        first = input_shape[0] if isinstance(input_shape, list) else input_shape
        batch = first[0] if first else None
        shape = self._output_shape
        if (
            isinstance(shape, (list, tuple))
            and shape
            and all(isinstance(s, (list, tuple)) for s in shape)
        ):
            return [(batch, *tuple(s)) for s in shape]
        return (batch, *tuple(shape))

    def get_config(self) -> dict[str, Any]:
        config: dict[str, Any] = {"function": serialize_function(self.function)}
        if self._output_shape is not None:
            out = self._output_shape
            config["output_shape"] = serialize_function(out) if callable(out) else out
        if self.mask is not None:
            config["mask"] = serialize_function(self.mask) if callable(self.mask) else self.mask
        config["arguments"] = {k: serialize_keras_object(v) for k, v in self.arguments.items()}
        return {**super().get_config(), **config}

    @classmethod
    def from_config(
        cls, config: dict[str, Any], custom_objects: dict | None = None, safe_mode: bool = True
    ) -> Lambda:
        """Rebuilds the layer; Python lambdas in the config need `safe_mode=False`."""
        config = dict(config)
        config["function"] = deserialize_function(config["function"], custom_objects, safe_mode)
        shape = config.get("output_shape")
        if isinstance(shape, dict):
            config["output_shape"] = deserialize_function(shape, custom_objects, safe_mode)
        elif isinstance(shape, list) and all(isinstance(d, (int, type(None))) for d in shape):
            config["output_shape"] = tuple(shape)
        if isinstance(config.get("mask"), dict):
            config["mask"] = deserialize_function(config["mask"], custom_objects, safe_mode)
        arguments = config.get("arguments") or {}
        config["arguments"] = {
            k: deserialize_keras_object(v, custom_objects)
            if isinstance(v, dict) and "class_name" in v
            else v
            for k, v in arguments.items()
        }
        return super().from_config(config)
