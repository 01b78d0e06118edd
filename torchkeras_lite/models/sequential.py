"""`Sequential`: a linear stack of layers, functional (with a `graph_module`) once its input is known."""

from __future__ import annotations

from typing import Any

from torch import nn

from torchkeras_lite.layers import call_context
from torchkeras_lite.layers.layer import Layer
from torchkeras_lite.models.functional import Functional
from torchkeras_lite.models.input_layer import InputLayer
from torchkeras_lite.models.keras_tensor import KerasTensor
from torchkeras_lite.models.model import Model
from torchkeras_lite.models.node import operation_name


class Sequential(Model):
    """A stack of layers, each feeding the next; each layer has exactly one input and one output.

    The input shape comes from a `keras.Input` given first, from the first layer's `input_shape=`
    argument, from `build(input_shape)`, or from the first call. From then on the model is functional:
    `graph_module`, `inputs`, `outputs`, `layer.output` are available. Native `nn.Module`s may be added.

    Args:
        layers: the initial layers (a `keras.Input` tensor may come first).
        name: the model's name.
        trainable: whether the weights are trained.

    Example:
        >>> model = keras.Sequential([keras.Input((16,)), keras.layers.Dense(8), keras.layers.Dense(1)])
        >>> model.add(keras.layers.Dense(2))
    """

    def __init__(
        self,
        layers: list[Any] | None = None,
        trainable: bool = True,
        name: str | None = None,
        **kwargs: Any,
    ):
        super().__init__(trainable=trainable, name=name, **kwargs)
        self.__dict__["_stack"] = []
        self.__dict__["_functional"] = None
        for layer in layers or []:
            self.add(layer, rebuild=False)
        self._maybe_rebuild()

    # ------------------------------------------------------------------------------------------
    def add(self, layer: Any, rebuild: bool = True) -> None:
        """Adds a layer (or a native `nn.Module`, or a `keras.Input` tensor first) on top of the stack."""
        stack: list = self.__dict__["_stack"]
        if type(layer) is KerasTensor:
            history = layer.__dict__["_keras_history"]
            if history is not None and isinstance(history.operation, InputLayer):
                layer = history.operation
        if isinstance(layer, InputLayer):
            if stack:
                raise ValueError(
                    f"Sequential model '{self.name}' already has layers: an Input can only come first. "
                    f"Received: {layer.name}"
                )
        elif not isinstance(layer, nn.Module):
            raise ValueError(
                "Only instances of `keras.Layer` (or `torch.nn.Module`) can be added to a Sequential "
                f"model. Received: {layer!r} (of type {type(layer).__name__})"
            )
        else:
            name = operation_name(layer)
            if any(operation_name(existing) == name for existing in stack):
                raise ValueError(
                    "All layers added to a Sequential model should have unique names. Name "
                    f"'{name}' is already the name of a layer in this model. Update the `name` "
                    "argument to pass a unique name."
                )
            self._modules[name.replace(".", "_")] = layer
            call_context.bump_structure_version()
        stack.append(layer)
        self.__dict__["_functional"] = None
        self.built = False
        if rebuild:
            self._maybe_rebuild()

    def pop(self, rebuild: bool = True) -> Any:
        """Removes and returns the top layer."""
        stack: list = self.__dict__["_stack"]
        if not self.layers:
            raise TypeError(f"There are no layers in the Sequential model '{self.name}'.")
        layer = stack.pop()
        del self._modules[operation_name(layer).replace(".", "_")]
        call_context.bump_structure_version()
        self.__dict__["_functional"] = None
        self.built = False
        if rebuild:
            self._maybe_rebuild()
        return layer

    def _input_layer(self) -> InputLayer | None:
        stack: list = self.__dict__["_stack"]
        if stack and isinstance(stack[0], InputLayer):
            return stack[0]
        first = stack[0] if stack else None
        batch_shape = (
            getattr(first, "_batch_input_shape", None) if isinstance(first, Layer) else None
        )
        if batch_shape is not None:
            layer = InputLayer(batch_shape=batch_shape, dtype=first.compute_dtype)
            stack.insert(0, layer)
            return layer
        return None

    def _maybe_rebuild(self) -> None:
        input_layer = self._input_layer()
        if input_layer is None or len(self.__dict__["_stack"]) < 2:
            return
        x = input_layer.output
        for layer in self.layers:
            x = layer(x)
            if type(x) is not KerasTensor:
                raise ValueError(
                    "All layers in a Sequential model should have a single output tensor. For "
                    "multi-output layers, use the functional API. Received: layer "
                    f"'{operation_name(layer)}' returned {type(x).__name__} of {len(x) if hasattr(x, '__len__') else 0} outputs"
                )
        self.__dict__["_functional"] = Functional(
            input_layer.output, x, name=self.name, trainable=self.trainable
        )
        self.built = True

    def build(self, input_shape: Any = None) -> None:
        """Sets the input shape (including the batch dimension) and builds the layers symbolically."""
        if input_shape is None:
            raise ValueError(
                f"You must provide an `input_shape` argument to build model '{self.name}'."
            )
        if self.__dict__["_functional"] is not None:
            return
        if self._input_layer() is None:
            self.__dict__["_stack"].insert(0, InputLayer(batch_shape=tuple(input_shape)))
        self._maybe_rebuild()
        if self.__dict__["_functional"] is None:  # no layers yet
            self.built = True

    def _maybe_build(self, args: tuple, kwargs: dict) -> None:
        from torchkeras_lite.layers import symbolic
        from torchkeras_lite.models import shape_inference

        first = args[0] if args else kwargs.get("inputs")
        shape = getattr(first, "shape", None)  # a tensor, or a shape spec in a symbolic call
        if shape is not None and self._input_layer() is None and self.layers:
            # The input shape, learnt from the first call (the batch dimension left unknown).
            rest = tuple(shape)[1:]
            if symbolic.in_fake_run():
                rest = shape_inference.placeholder_free(rest)
            dtype = getattr(first, "dtype", None)
            dtype = None if dtype is None or dtype.is_floating_point else dtype
            with symbolic.real_mode():
                self.__dict__["_stack"].insert(
                    0, InputLayer(batch_shape=(None, *rest), dtype=dtype)
                )
                self._maybe_rebuild()
        self.built = True

    # ------------------------------------------------------------------------------------------
    def call(self, inputs: Any, training: bool | None = None) -> Any:
        functional = self.__dict__["_functional"]
        if functional is not None:
            return functional.call(inputs)
        x = inputs
        for layer in self.layers:
            x = layer(x)
        return x

    @property
    def layers(self) -> list[Any]:
        """The added layers (the InputLayer, if any, excluded)."""
        stack: list = self.__dict__["_stack"]
        return stack[1:] if stack and isinstance(stack[0], InputLayer) else list(stack)

    @layers.setter
    def layers(self, _: Any) -> None:
        raise AttributeError(
            "`Sequential.layers` attribute is reserved and should not be used. Use `add()` and `pop()` "
            "to change the layers in this model."
        )

    def __getattr__(self, name: str) -> Any:
        # Reached only when normal lookup fails: explain the properties of an unbuilt model.
        try:
            return super().__getattr__(name)
        except AttributeError:
            if name in ("graph_module", "inputs", "outputs", "input_shape", "output_shape"):
                raise AttributeError(
                    f"Sequential model '{self.name}' has no defined {name.replace('_', ' ')} yet: "
                    "its input shape is unknown. Start it with a `keras.Input`, call it on data, or "
                    "call `build(input_shape)`."
                ) from None
            raise

    def _built(self) -> Functional:
        functional = self.__dict__["_functional"]
        if functional is None:
            raise AttributeError("Sequential model not built")  # re-raised by __getattr__
        return functional

    @property
    def functional(self) -> Functional | None:
        """The functional model this Sequential runs once its input shape is known (else None)."""
        return self.__dict__["_functional"]

    graph_module = property(lambda self: self._built().graph_module, doc="The fx GraphModule run.")
    inputs = property(lambda self: self._built().inputs)
    outputs = property(lambda self: self._built().outputs)
    input_shape = property(lambda self: self._built().input_shape)
    output_shape = property(lambda self: self._built().output_shape)

    def get_config(self) -> dict[str, Any]:
        from torchkeras_lite.layers import serialization

        config = Layer.get_config(self)
        config.pop("batch_input_shape", None)
        config["layers"] = [serialization.serialize(layer) for layer in self.__dict__["_stack"]]
        input_layer = self.__dict__["_stack"][0] if self.__dict__["_stack"] else None
        if isinstance(input_layer, InputLayer):
            config["build_input_shape"] = list(input_layer.batch_shape)
        return config

    @classmethod
    def from_config(cls, config: dict[str, Any], custom_objects: dict | None = None) -> Sequential:
        from torchkeras_lite.layers import serialization

        config = dict(config)
        layer_configs = config.pop("layers", [])
        build_input_shape = config.pop("build_input_shape", None)
        if isinstance(config.get("dtype"), dict):
            config["dtype"] = config["dtype"].get("config", {}).get("name", "float32")
        model = cls(**config)
        for layer_config in layer_configs:
            model.add(
                serialization.deserialize(layer_config, custom_objects=custom_objects),
                rebuild=False,
            )
        model._maybe_rebuild()
        if build_input_shape is not None and model.__dict__["_functional"] is None and model.layers:
            model.build(tuple(build_input_shape))
        return model
