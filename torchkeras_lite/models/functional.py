"""`Functional`: a model defined by a graph of layer calls from `keras.Input`s to outputs.

The graph is lowered to a `torch.fx.GraphModule` (`model.graph_module`) that the model's forward
runs. Layers and native modules are registered as submodules under their names, so `state_dict()`
keys read `dense_1.kernel`.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import torch
from torch import fx, nn

from torchkeras_lite.layers import call_context
from torchkeras_lite.layers.layer import Layer
from torchkeras_lite.models import fx_lowering, tree
from torchkeras_lite.models.graph import GraphMap, node_of
from torchkeras_lite.models.input_layer import InputLayer
from torchkeras_lite.models.keras_tensor import KerasTensor
from torchkeras_lite.models.model import Model
from torchkeras_lite.models.node import Node, operation_name


def _torch_dtype(t: KerasTensor) -> torch.dtype:
    with torch._C.DisableTorchFunctionSubclass():
        return t.dtype


def _check_inputs(inputs: Any) -> list[KerasTensor]:
    flat = tree.flatten(inputs)
    for i, t in enumerate(flat):
        if type(t) is not KerasTensor:
            raise ValueError(
                "All `inputs` values must be KerasTensors created by `keras.Input()`. Received: "
                f"inputs[{i}]={t!r} (of type {type(t).__name__})"
            )
        history = t.__dict__["_keras_history"]
        if history is None or not isinstance(history.operation, InputLayer):
            made_by = (
                f" It was produced by layer '{operation_name(history.operation)}'."
                if history
                else ""
            )
            raise ValueError(
                "Model inputs must be tensors created by `keras.Input()`; to start a model from an "
                f"intermediate tensor, make a new `keras.Input` of its shape.{made_by} Received: inputs[{i}]={t!r}"
            )
    return flat


def _check_outputs(outputs: Any) -> list[KerasTensor]:
    flat = tree.flatten(outputs)
    for i, t in enumerate(flat):
        if type(t) is not KerasTensor or t.__dict__["_keras_history"] is None:
            raise ValueError(
                "All `outputs` values must be KerasTensors computed from the model's inputs. "
                f"Received: outputs[{i}]={t!r} (of type {type(t).__name__})"
            )
    return flat


class Functional(Model):
    """A model built from `keras.Input`s and the layer calls leading to its outputs.

    Made by `keras.Model(inputs, outputs)`. Its graph is `graph_module`, a `torch.fx.GraphModule`
    (placeholders, `call_module` layer calls, `call_function`/`call_method` torch ops).

    Args:
        inputs: one `keras.Input` tensor, a list or a dict of them (dict inputs are matched by key).
        outputs: the output tensor(s): one, a list or a dict.
        name: the model's name.
        trainable: whether the weights are trained.

    Example:
        >>> x = keras.Input((16,), name="x")
        >>> model = keras.Model(x, keras.layers.Dense(2)(x))
        >>> print(model.graph_module.code)
    """

    def __init__(
        self,
        inputs: Any,
        outputs: Any,
        name: str | None = None,
        trainable: bool = True,
        **kwargs: Any,
    ):
        Model.__init__(self, name=name, trainable=trainable, **kwargs)
        if isinstance(inputs, tuple) and not hasattr(type(inputs), "_fields"):
            inputs = list(inputs)
        flat_inputs = _check_inputs(inputs)
        flat_outputs = _check_outputs(outputs)
        graph = GraphMap(flat_inputs, flat_outputs)
        d = self.__dict__
        d["_inputs_struct"] = inputs
        d["_outputs_struct"] = outputs
        d["_inputs"] = flat_inputs
        d["_outputs"] = flat_outputs
        d["_operations"] = graph.operations
        d["_nodes"] = graph.nodes
        d["_node_depths"] = graph.node_depths
        d["_input_specs"] = [
            (t.name, t.__dict__["_keras_shape"], _torch_dtype(t)) for t in flat_inputs
        ]
        self._register_and_lower()
        if not trainable:
            self.trainable = False
        self.built = True

    def _register_and_lower(self) -> None:
        d = self.__dict__
        targets: dict[str, nn.Module] = {}
        taken: set[str] = set()
        for op in d["_operations"]:
            if isinstance(op, nn.Module) and not isinstance(op, InputLayer):
                name = operation_name(op)
                self._modules[name.replace(".", "_")] = op
                targets[fx_lowering.identifier(name, taken, fx_lowering._RESERVED)] = op
        call_context.bump_structure_version()
        gm, constants = fx_lowering.lower(
            d["_inputs"], d["_outputs_struct"], d["_nodes"], targets, f"{type(self).__name__}Graph"
        )
        if constants is not None:
            self._modules["_tkl_constants"] = constants
        d["_graph_module"] = gm

    def __getstate__(self) -> dict:
        state = super().__getstate__()
        state = dict(state)
        state.pop("_graph_module", None)  # regenerated on unpickling (fx would re-trace it)
        return state

    def __setstate__(self, state: dict) -> None:
        super().__setstate__(state)
        self._register_and_lower()

    # ------------------------------------------------------------------------------------------
    @property
    def graph_module(self) -> fx.GraphModule:
        """The `torch.fx.GraphModule` that runs the model (inspect, transform, export, compile)."""
        return self.__dict__["_graph_module"]

    @property
    def inputs(self) -> list[KerasTensor]:
        return list(self.__dict__["_inputs"])

    @property
    def outputs(self) -> list[KerasTensor]:
        return list(self.__dict__["_outputs"])

    @property
    def input(self) -> Any:
        return self.__dict__["_inputs_struct"]

    @property
    def output(self) -> Any:
        return self.__dict__["_outputs_struct"]

    @property
    def input_shape(self) -> Any:
        shapes = [t.__dict__["_keras_shape"] for t in self.__dict__["_inputs"]]
        return shapes[0] if len(shapes) == 1 else shapes

    @property
    def output_shape(self) -> Any:
        shapes = [t.__dict__["_keras_shape"] for t in self.__dict__["_outputs"]]
        return shapes[0] if len(shapes) == 1 else shapes

    @property
    def operations(self) -> list[Any]:
        """Every operation of the graph in Keras' order: InputLayers, layers, native modules, torch ops."""
        return list(self.__dict__["_operations"])

    @property
    def nodes(self) -> list[Node]:
        """The graph's nodes in execution order (InputLayer nodes first)."""
        return list(self.__dict__["_nodes"])

    @property
    def layers(self) -> list[Layer]:
        """The graph's layers in Keras' order (InputLayers included, as in Keras 3)."""
        return [op for op in self.__dict__["_operations"] if isinstance(op, Layer)]

    @layers.setter
    def layers(self, _: Any) -> None:
        raise AttributeError(
            "`Model.layers` attribute is reserved and should not be used. Please use another name."
        )

    def _extra_named_modules(self) -> list[nn.Module]:
        return [
            op
            for op in self.__dict__["_operations"]
            if isinstance(op, nn.Module) and not isinstance(op, Layer)
        ]

    def node_of(self, tensor: KerasTensor) -> Node:
        """The node that produced a KerasTensor of this graph."""
        return node_of(tensor)

    # ------------------------------------------------------------------------------------------
    def call(self, inputs: Any, training: bool | None = None) -> Any:
        flat = self._standardize_inputs(inputs)
        ctx = call_context.CONTEXT
        saved = ctx.graph_checked
        ctx.graph_checked = True  # every layer's input shape was validated when the graph was built
        try:
            return self.__dict__["_graph_module"](*flat)
        finally:
            ctx.graph_checked = saved

    def _standardize_inputs(self, inputs: Any) -> list[torch.Tensor]:
        # Plain (name, shape, dtype) specs: the KerasTensors themselves stay out of traced code.
        expected: list[tuple] = self.__dict__["_input_specs"]
        if isinstance(inputs, dict):
            flat = self._inputs_from_dict(inputs)
        elif isinstance(inputs, (list, tuple)):
            flat = tree.flatten(inputs)
        else:
            flat = [inputs]
        if len(flat) != len(expected):
            raise ValueError(
                f"Model '{self.name}' expects {len(expected)} input(s), but it received {len(flat)} input "
                f"tensors. Inputs received: {[tuple(getattr(x, 'shape', ())) for x in flat]}"
            )
        out = []
        for i, (x, (name, want, dtype)) in enumerate(zip(flat, expected)):
            if not isinstance(
                x, torch.Tensor
            ):  # numpy arrays, lists: converted to the Input's dtype
                x = torch.as_tensor(np.asarray(x), dtype=dtype)
            shape = x.shape
            if len(shape) != len(want) or any(
                w is not None and s != w for s, w in zip(shape[1:], want[1:])
            ):
                raise ValueError(
                    f"Input {i} ('{name}') of model '{self.name}' is incompatible with the model: "
                    f"expected shape={want} (the batch dimension aside), found shape={tuple(shape)}. "
                    f"Received: inputs[{i}].shape={tuple(shape)}"
                )
            if x.is_floating_point() != dtype.is_floating_point:  # ids <-> floats; keep precisions
                x = x.to(dtype)
            out.append(x)
        return out

    def _inputs_from_dict(self, inputs: dict) -> list[Any]:
        d = self.__dict__
        struct = d["_inputs_struct"]
        flat_keys = tree.flatten({k: k for k in struct}) if isinstance(struct, dict) else []
        names = [spec[0] for spec in d["_input_specs"]]
        picked = []
        for i, name in enumerate(names):
            key = flat_keys[i] if flat_keys and flat_keys[i] in inputs else name
            if key not in inputs:
                expected = flat_keys or names
                raise ValueError(
                    f"Model '{self.name}' is missing the input '{flat_keys[i] if flat_keys else name}': "
                    f"dict inputs are matched by name; expected keys {expected}. Received: inputs "
                    f"keys={list(inputs)}"
                )
            picked.append(inputs[key])
        return picked

    def get_config(self) -> dict[str, Any]:
        from torchkeras_lite.models import functional_config

        return functional_config.functional_get_config(self)
