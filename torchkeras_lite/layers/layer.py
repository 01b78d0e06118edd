"""`Layer`: Keras' layer API on a `torch.nn.Module`.

A Layer builds lazily from its first input's shape, creates weights with `add_weight` (registered
`Variable`s, i.e. `nn.Parameter`s with readable `state_dict` keys), collects `add_loss` losses and
regularization penalties, propagates the `training` flag and masks through nested calls, and checks
inputs against its `input_spec`. Everything else is plain torch: `.to()`, `state_dict()`, hooks,
`torch.optim`, `torch.compile`.
"""

from __future__ import annotations

import functools
import inspect
from typing import Any

import numpy as np
import torch
from torch import nn
from torch.nn.modules import module as _torch_module

from torchkeras_lite import constraints, initializers, regularizers
from torchkeras_lite.backend import dtypes
from torchkeras_lite.backend.variable import Variable
from torchkeras_lite.layers import call_context
from torchkeras_lite.layers.call_context import CONTEXT
from torchkeras_lite.layers.input_spec import assert_input_compatibility
from torchkeras_lite.layers.layer_state import LayerStateMixin
from torchkeras_lite.layers.signature import CallSignature
from torchkeras_lite.utils import naming

_STRUCTURE_VERSION = call_context._STRUCTURE_VERSION
_GLOBAL_FORWARD_HOOKS = _torch_module._global_forward_hooks
_GLOBAL_FORWARD_PRE_HOOKS = _torch_module._global_forward_pre_hooks
_GLOBAL_BACKWARD_HOOKS = _torch_module._global_backward_hooks
_GLOBAL_BACKWARD_PRE_HOOKS = _torch_module._global_backward_pre_hooks


_is_compiling = torch.compiler.is_compiling

_KERAS_ONLY_OPTIONS = frozenset({"quantization_config", "lora_rank", "lora_alpha"})
_ALLOWED_KWARGS = frozenset(
    {"input_shape", "batch_input_shape", "batch_size", "input_dim", "weights"}
)
_TENSOR = torch.Tensor


def _shape_of(x: Any) -> Any:
    """The shape structure of an input structure: tensors become tuples; None stays None."""
    if isinstance(x, (list, tuple)):
        return (
            type(x)(_shape_of(e) for e in x)
            if isinstance(x, list)
            else tuple(_shape_of(e) for e in x)
        )
    if isinstance(x, dict):
        return {k: _shape_of(v) for k, v in x.items()}
    shape = getattr(x, "shape", None)
    return tuple(shape) if shape is not None else None


def _first_tensor(x: Any) -> torch.Tensor | None:
    if isinstance(x, torch.Tensor):
        return x
    if isinstance(x, (list, tuple)):
        for e in x:
            t = _first_tensor(e)
            if t is not None:
                return t
    if isinstance(x, dict):
        return _first_tensor(list(x.values()))
    return None


def _get_mask(x: Any) -> Any:
    """The mask carried by an input (a tensor's `_keras_mask`), per element for lists."""
    if isinstance(x, (list, tuple)):
        masks = [getattr(e, "_keras_mask", None) for e in x]
        return None if all(m is None for m in masks) else masks
    return getattr(x, "_keras_mask", None)


def _set_mask(outputs: Any, mask: Any) -> None:
    if isinstance(outputs, torch.Tensor):
        if isinstance(mask, (list, tuple)):
            mask = mask[0] if mask else None
        if mask is not None or hasattr(outputs, "_keras_mask"):
            outputs._keras_mask = mask
    elif isinstance(outputs, (list, tuple)):
        # One mask for several outputs belongs to the first (e.g. attention output, not its scores).
        masks = mask if isinstance(mask, (list, tuple)) else [mask] + [None] * (len(outputs) - 1)
        for out, m in zip(outputs, masks):
            _set_mask(out, m)


def _cast_floats(x: Any, dtype: torch.dtype) -> Any:
    if isinstance(x, torch.Tensor):
        return x.to(dtype) if x.is_floating_point() and x.dtype != dtype else x
    if isinstance(x, (list, tuple)):
        return type(x)(_cast_floats(e, dtype) for e in x)
    if isinstance(x, dict):
        return {k: _cast_floats(v, dtype) for k, v in x.items()}
    return x


def _to_tensor(x: Any) -> Any:
    if isinstance(x, np.ndarray):
        t = torch.from_numpy(x)
        return t.to(dtypes.to_torch_dtype(None)) if t.is_floating_point() else t
    if isinstance(x, (list, tuple)):
        return type(x)(_to_tensor(e) for e in x)
    return x


class Layer(LayerStateMixin, nn.Module):
    """The base class of all layers: a `torch.nn.Module` with Keras' layer API.

    Subclasses create weights in `build(input_shape)` (run once, on the first call, with the input's
    shape including the batch dimension) or in `__init__`, and compute in `call(inputs, ...)`.
    `call` may accept `training` and `mask`; they are filled in from the enclosing call.

    Args:
        trainable: whether the layer's weights are updated by training.
        name: a unique name; defaults to the snake_case class name (`dense`, `dense_1`, ...).
        dtype: a dtype policy name (`"float32"`, `"mixed_bfloat16"`, ...) or `DTypePolicy`.
        activity_regularizer: a regularizer applied to the layer's outputs (added to `losses`).
        autocast: cast floating inputs to the layer's compute dtype.

    Example:
        >>> class Linear(keras.layers.Layer):
        ...     def __init__(self, units):
        ...         super().__init__()
        ...         self.units = units
        ...     def build(self, input_shape):
        ...         self.w = self.add_weight(shape=(input_shape[-1], self.units))
        ...     def call(self, x):
        ...         return x @ self.w
    """

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        cls._call_signature = CallSignature(cls)
        if "build" in cls.__dict__:
            cls.build = _wrap_build(cls.__dict__["build"])
        if "__init__" in cls.__dict__:
            cls.__init__ = _wrap_init(cls.__dict__["__init__"])

    def __init__(
        self,
        *,
        activity_regularizer: Any = None,
        trainable: bool = True,
        dtype: Any = None,
        autocast: bool = True,
        name: str | None = None,
        **kwargs: Any,
    ):
        for key in _KERAS_ONLY_OPTIONS & set(kwargs):  # in Keras' configs; accepted when off
            if kwargs[key] not in (None, False):
                raise ValueError(
                    f"{type(self).__name__} does not support `{key}` in torchkeras_lite. "
                    f"Received: {key}={kwargs[key]!r}"
                )
            del kwargs[key]
        unknown = set(kwargs) - _ALLOWED_KWARGS
        if unknown:
            raise TypeError(
                f"Unrecognized keyword arguments passed to {type(self).__name__}: "
                f"{ {k: kwargs[k] for k in sorted(unknown)} }"
            )
        nn.Module.__init__(self)
        self.training = False  # inference unless a call or `.train()` says otherwise
        if name is not None and not isinstance(name, str):
            raise TypeError(f"Argument `name` must be a string. Received: name={name!r}")
        self._init_state(name or naming.uniquify(naming.to_snake_case(type(self).__name__)))
        self._trainable = bool(trainable)
        self._dtype_policy = dtypes.get_policy(dtype)
        self.autocast = autocast
        self.activity_regularizer = regularizers.get(activity_regularizer)
        input_shape = kwargs.get("input_shape")
        if "input_dim" in kwargs and input_shape is None:
            input_shape = (kwargs["input_dim"],)
        if "batch_input_shape" in kwargs:
            self._batch_input_shape = tuple(kwargs["batch_input_shape"])
        elif input_shape is not None:
            self._batch_input_shape = (kwargs.get("batch_size"), *tuple(input_shape))
        self._initial_weights = kwargs.get("weights")
        if type(self).build is Layer.build:  # no build step: weights (if any) come from __init__
            self.__dict__["built"] = True

    # ------------------------------------------------------------------------------------------
    # Attribute tracking: lists/dicts of modules become ModuleList/ModuleDict.
    def __setattr__(self, name: str, value: Any) -> None:
        if (
            isinstance(value, (list, tuple))
            and value
            and all(isinstance(v, nn.Module) for v in value)
        ):
            value = nn.ModuleList(value)
        elif (
            isinstance(value, dict)
            and value
            and all(isinstance(k, str) and "." not in k for k in value)
            and all(isinstance(v, nn.Module) for v in value.values())
        ):
            value = nn.ModuleDict(value)
        if isinstance(value, nn.Module):
            call_context.bump_structure_version()
        elif isinstance(value, Variable):
            params = self.__dict__.get("_parameters")
            if params is not None:
                for key, p in list(params.items()):
                    if p is value and key != name:  # `self.w = self.add_weight(name="kernel")`
                        self.__dict__.pop(name, None)
                        self._parameters = {(name if k == key else k): v for k, v in params.items()}
                        return
        super().__setattr__(name, value)

    # ------------------------------------------------------------------------------------------
    # Dtype policy.
    @property
    def dtype_policy(self) -> dtypes.DTypePolicy:
        return self._dtype_policy

    @dtype_policy.setter
    def dtype_policy(self, value: Any) -> None:
        self._dtype_policy = dtypes.get_policy(value)

    @property
    def dtype(self) -> str:
        """The dtype of the layer's weights (the policy's variable dtype)."""
        return self._dtype_policy.variable_dtype

    @property
    def compute_dtype(self) -> str:
        return self._dtype_policy.compute_dtype

    @property
    def variable_dtype(self) -> str:
        return self._dtype_policy.variable_dtype

    # ------------------------------------------------------------------------------------------
    # Building.
    def build(self, input_shape: Any = None) -> None:
        """Creates the layer's weights from the input shape. The default creates none."""
        self.built = True

    def _maybe_build(self, args: tuple, kwargs: dict) -> None:
        if _symbolic.in_fake_run():  # first called inside shape inference: build real weights
            _symbolic.build_in_real_mode(self, args, kwargs)
            return
        sig = self._call_signature
        first = args[0] if args else kwargs.get(sig.first_arg)
        device = CONTEXT.build_device
        t = _first_tensor(first)
        if t is not None:
            CONTEXT.build_device = t.device if not t.is_meta else None
        try:
            if sig.build_arg_names:
                bound = sig.bind(args, kwargs)
                shapes = {f"{n}_shape": _shape_of(bound.get(n)) for n in sig.build_arg_names}
                self.build(**shapes)
            elif sig.build_takes_shape:
                self.build(_shape_of(first))
            else:
                self.build()
        finally:
            CONTEXT.build_device = device
        self.built = True
        if self._initial_weights is not None:
            self.set_weights(self._initial_weights)
            self._initial_weights = None

    # ------------------------------------------------------------------------------------------
    # Weights.
    def add_weight(
        self,
        shape: tuple[int, ...] | None = None,
        initializer: Any = None,
        dtype: Any = None,
        trainable: bool = True,
        autocast: bool = True,
        regularizer: Any = None,
        constraint: Any = None,
        aggregation: str = "none",
        name: str | None = None,
    ) -> Variable:
        """Creates a weight, registers it on this module (`state_dict` key = its name) and returns it.

        Args:
            shape: the weight's shape (default: a scalar).
            initializer: a name, an initializer or a callable `(shape, dtype)`; default
                `"glorot_uniform"` for floats, `"zeros"` otherwise.
            dtype: default: the layer's variable dtype.
            trainable: False makes a non-trainable weight (`requires_grad=False`).
            regularizer: adds a penalty on the weight to `losses`.
            constraint: applied to the weight after each optimizer update.
            name: the weight's name (also its attribute and `state_dict` key).
        """
        if _symbolic.in_fake_run():  # weights made during shape inference are real
            with _symbolic.real_mode():
                return self.add_weight(
                    shape,
                    initializer,
                    dtype,
                    trainable,
                    autocast,
                    regularizer,
                    constraint,
                    aggregation,
                    name,
                )
        shape = tuple(int(d) for d in shape) if shape is not None else ()
        for d in shape:
            if d < 0:
                raise ValueError(
                    f"Layer '{self.name}': weight shapes must be non-negative. Received: shape={shape}"
                )
        torch_dtype = dtypes.to_torch_dtype(dtype if dtype is not None else self.variable_dtype)
        if initializer is None:
            initializer = "glorot_uniform" if torch_dtype.is_floating_point else "zeros"
        init = initializers.get(initializer)
        # Weights are normal tensors even when the first call runs under torch.inference_mode().
        with torch.inference_mode(False):
            value = torch.as_tensor(init(shape, dtype=torch_dtype)).to(torch_dtype)
            if CONTEXT.build_device is not None:
                value = value.to(CONTEXT.build_device)
            key = self._unique_weight_key(name)
            var = Variable(
                value,
                trainable=trainable,
                name=name or key,
                constraint=constraints.get(constraint),
                regularizer=regularizers.get(regularizer),
            )
        var._path = f"{self.name}/{var._name}"
        if not self._trainable:
            var.requires_grad_(False)
        self.register_parameter(key, var)
        call_context.bump_structure_version()
        return var

    def _unique_weight_key(self, name: str | None) -> str:
        base = (name or "variable").replace("/", "_").replace(".", "_")
        if not base.isidentifier():
            base = "w_" + "".join(c if c.isalnum() else "_" for c in base)
        key, i = base, 0
        if self.__dict__.get(key, 0) is None:  # `self.bias = None` placeholder: the weight takes it
            del self.__dict__[key]
        while (
            key in self._parameters
            or key in self._modules
            or key in self.__dict__
            or hasattr(type(self), key)
        ):
            i += 1
            key = f"{base}_{i}"
        return key

    # ------------------------------------------------------------------------------------------
    # Calling.
    def forward(self, *args: Any, **kwargs: Any) -> Any:
        return self.call(*args, **kwargs)

    def call(self, *args: Any, **kwargs: Any) -> Any:
        """The layer's computation; subclasses override it (or `forward`, torch-style)."""
        if len(args) == 1 and not kwargs:
            return args[0]
        raise TypeError(
            f"Layer '{self.name}' ({type(self).__name__}) does not define `call()`. Subclasses of "
            "Layer must implement `call(self, inputs, ...)`."
        )

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        sig = self._call_signature
        if args:
            first = args[0]
            if type(first) is not _TENSOR:
                if _symbolic.any_symbolic(args, kwargs):
                    return _symbolic.symbolic_call(self, args, kwargs)
                if isinstance(first, (np.ndarray, list, tuple)):
                    args = (_to_tensor(first), *args[1:])
                    first = args[0]
        else:
            if _symbolic.any_symbolic(args, kwargs):
                return _symbolic.symbolic_call(self, args, kwargs)
            first = kwargs.get(sig.first_arg)

        ctx = CONTEXT
        outermost = not ctx.depth
        d = self.__dict__
        # -- training: explicit argument > enclosing call > module mode (False unless .train()).
        explicit = kwargs.pop("training", None) if kwargs else None
        pos = sig.training_pos
        if pos is not None and explicit is None and len(args) > pos:
            explicit = args[pos]
            args = args[:pos] + args[pos + 1 :]
        if explicit is not None:
            training = bool(explicit)
        elif outermost:
            training = d["training"]
        else:
            training = ctx.training
        if sig.accepts_training:
            kwargs["training"] = training
        # -- mask: explicit argument > the mask carried by the inputs.
        mask = None
        if sig.accepts_mask or d["_supports_masking"]:
            mask = kwargs.get("mask")
            if mask is None:
                mask = _get_mask(first)
                if mask is not None and sig.accepts_mask:
                    kwargs["mask"] = mask

        if not d["built"]:
            self._maybe_build(args, kwargs)
        if d["input_spec"] is not None and not ctx.graph_checked:
            assert_input_compatibility(d["input_spec"], first, self.name)
        policy = d["_dtype_policy"]
        if policy.casts_inputs and d["autocast"]:
            args = _cast_floats(args, policy.compute_torch_dtype)

        saved_training = ctx.training
        if outermost:
            ctx.call_id += 1
        ctx.depth += 1
        ctx.training = training
        if (
            not _is_compiling()
        ):  # an int read under torch.compile would be guarded: a recompile per call
            d["_last_call_id"] = ctx.call_id
        try:
            if outermost or explicit is not None:
                if d["_native_cache"][0] != _STRUCTURE_VERSION[0]:
                    self._refresh_native_cache()
                if d["_native_cache"][1]:
                    self._sync_native_training(training)
            if policy.is_mixed and d["autocast"]:
                outputs = self._autocast_call(first, policy.compute_torch_dtype, args, kwargs)
            elif (
                d["_forward_hooks"]
                or d["_forward_pre_hooks"]
                or d["_backward_hooks"]
                or d["_backward_pre_hooks"]
                or d.get("_compiled_call_impl") is not None
                or _GLOBAL_FORWARD_HOOKS
                or _GLOBAL_FORWARD_PRE_HOOKS
                or _GLOBAL_BACKWARD_HOOKS
                or _GLOBAL_BACKWARD_PRE_HOOKS
            ):
                outputs = nn.Module.__call__(self, *args, **kwargs)
            elif sig.forward_is_call:
                outputs = self.call(*args, **kwargs)
            else:
                outputs = self.forward(*args, **kwargs)
            if d["activity_regularizer"] is not None:
                for out in outputs if isinstance(outputs, (list, tuple)) else (outputs,):
                    if isinstance(out, torch.Tensor):  # Keras 3: the penalty per sample
                        penalty = self.activity_regularizer(out)
                        self.add_loss(penalty / out.shape[0] if out.ndim else penalty)
        finally:
            ctx.depth -= 1
            ctx.training = saved_training
        if mask is not None or sig.overrides_compute_mask:
            _set_mask(outputs, self.compute_mask(first, mask))
        return outputs

    def _autocast_call(self, first: Any, dtype: torch.dtype, args: tuple, kwargs: dict) -> Any:
        t = _first_tensor(first)
        with torch.autocast(t.device.type if t is not None else "cpu", dtype=dtype):
            outputs = nn.Module.__call__(self, *args, **kwargs)
        return _cast_floats(outputs, dtype)

    # ------------------------------------------------------------------------------------------
    # Masks.
    @property
    def supports_masking(self) -> bool:
        return self._supports_masking

    @supports_masking.setter
    def supports_masking(self, value: bool) -> None:
        self._supports_masking = bool(value)

    def compute_mask(self, inputs: Any, previous_mask: Any = None) -> Any:
        """The output mask: the input mask when the layer supports masking, else None."""
        return previous_mask if self._supports_masking else None

    # ------------------------------------------------------------------------------------------
    # Shapes.
    def compute_output_shape(self, *args: Any, **kwargs: Any) -> Any:
        """The output shape for an input shape, found by running `call` on fake tensors."""
        return _symbolic.infer_output_shape(self, args, kwargs)

    def compute_output_spec(self, *args: Any, **kwargs: Any) -> Any:
        return _symbolic.compute_output_spec(self, args, kwargs)


def _wrap_build(build):
    @functools.wraps(build)
    def wrapped(self, *args, **kwargs):
        # A direct `layer.build(shape)` call (not through __call__) builds on the default device.
        result = build(self, *args, **kwargs)
        self.built = True
        self._track_containers()
        if args and "_build_input_shape" not in self.__dict__:
            self.__dict__["_build_input_shape"] = args[0] if len(args) == 1 else args
        elif kwargs and "_build_input_shape" not in self.__dict__:
            self.__dict__["_build_input_shape"] = dict(kwargs)
        return result

    wrapped._tkl_wrapped_build = True
    return wrapped


def _wrap_init(init):
    @functools.wraps(init)
    def wrapped(self, *args, **kwargs):
        depth = self.__dict__.get("_tkl_init_depth", 0)
        self.__dict__["_tkl_init_depth"] = depth + 1
        try:
            init(self, *args, **kwargs)
        finally:
            self.__dict__["_tkl_init_depth"] = depth
        if depth == 0:
            self._post_init()

    wrapped.__signature__ = inspect.signature(init)
    return wrapped


from torchkeras_lite.layers import symbolic as _symbolic  # noqa: E402  (symbolic imports Layer lazily)

Layer._call_signature = CallSignature(Layer)
