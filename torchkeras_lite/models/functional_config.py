"""Functional models to and from a JSON-ready config (Keras' structure): layers plus connectivity.

Each entry of `config["layers"]` is a serialized layer (or recorded torch op) with its `name` and
`inbound_nodes`: the arguments of each of its calls in the model, where tensors read
`{"class_name": "__keras_tensor__", "config": {"shape", "dtype", "keras_history": [layer, node, index]}}`.
Recorded torch ops are stored by the qualified name of their function (only `torch.*`, `operator.*`
and `math.*` names are resolved back) and their constant arguments.
"""

from __future__ import annotations

from typing import Any

import torch

from torchkeras_lite.models import config_values, tree
from torchkeras_lite.models.keras_tensor import KerasTensor
from torchkeras_lite.models.node import inbound_nodes, operation_name
from torchkeras_lite.models.torch_ops import TorchOp
from torchkeras_lite.saving.object_registration import CustomObjectScope


def is_functional_config(config: Any) -> bool:
    return isinstance(config, dict) and all(
        k in config for k in ("layers", "input_layers", "output_layers")
    )


def functional_get_config(model: Any) -> dict[str, Any]:
    from torchkeras_lite.layers import serialization

    in_model = {id(n) for n in model.__dict__["_nodes"]}

    def model_nodes(op: Any) -> list:
        return [n for n in inbound_nodes(op) if id(n) in in_model]

    def ref(t: KerasTensor) -> list:
        history = t.__dict__["_keras_history"]
        node = inbound_nodes(history.operation)[history.node_index]
        index = next(i for i, n in enumerate(model_nodes(history.operation)) if n is node)
        return [operation_name(history.operation), index, history.tensor_index]

    layers = []
    for op in model.__dict__["_operations"]:
        name = operation_name(op)
        if isinstance(op, TorchOp):
            function = config_values.function_name(op)
            if function is None:
                raise ValueError(
                    _op_error(
                        model, op, f"its function {op.target!r} is not a public torch function"
                    )
                )
            entry = {
                "module": "torchkeras_lite.models.torch_ops",
                "class_name": "TorchOp",
                "config": {"name": name, "kind": op.kind, "function": function},
                "registered_name": "TorchOp",
            }
        elif not hasattr(op, "get_config"):
            raise ValueError(
                f"Cannot serialize model '{model.name}': layer '{name}' is a native torch module "
                f"({type(op).__name__}) without `get_config()`. Wrap it in a keras Layer that implements "
                "`get_config()`, or save the weights only."
            )
        else:
            entry = serialization.serialize(op)
        entry["name"] = name
        nodes = []
        for node in model_nodes(op):
            if node.is_input:
                continue
            try:
                nodes.append(
                    {
                        "args": [config_values.encode(a, ref) for a in node.call_args],
                        "kwargs": config_values.encode(node.call_kwargs, ref),
                    }
                )
            except config_values.NotSerializable as e:
                raise ValueError(
                    _op_error(
                        model, op, f"its argument {_short(e.args[0])} is not JSON-serializable"
                    )
                ) from None
        entry["inbound_nodes"] = nodes
        layers.append(entry)
    return {
        "name": model.name,
        "trainable": model.trainable,
        "layers": layers,
        "input_layers": tree.map_structure(ref, model.__dict__["_inputs_struct"]),
        "output_layers": tree.map_structure(ref, model.__dict__["_outputs_struct"]),
    }


def _short(value: Any) -> str:
    if isinstance(value, torch.Tensor):
        return f"({type(value).__name__} of shape {tuple(value.shape)})"
    text = repr(value)
    return text if len(text) <= 80 else text[:77] + "..."


def _op_error(model: Any, op: Any, why: str) -> str:
    return (
        f"Cannot serialize the operation '{operation_name(op)}' of model '{model.name}': {why}. Move "
        "the computation into a custom Layer registered with "
        "`keras.saving.register_keras_serializable()`, or save the weights only."
    )


def _is_ref(x: Any) -> bool:
    return (
        isinstance(x, list)
        and len(x) == 3
        and isinstance(x[0], str)
        and isinstance(x[1], int)
        and isinstance(x[2], int)
    )


def _map_refs(fn: Any, x: Any) -> Any:
    if _is_ref(x):
        return fn(x)
    if isinstance(x, dict):
        return {k: _map_refs(fn, v) for k, v in x.items()}
    if isinstance(x, (list, tuple)):
        return [_map_refs(fn, v) for v in x]
    return x


def functional_from_config(
    cls: type, config: dict[str, Any], custom_objects: dict | None = None
) -> Any:
    """Rebuilds a functional model: makes each layer, then replays its calls in dependency order."""
    from torchkeras_lite.layers import serialization

    with CustomObjectScope(custom_objects or {}):
        entries = config["layers"]
        ops: dict[str, Any] = {}
        tensors: dict[tuple[str, int], list] = {}
        for entry in entries:
            if entry.get("class_name") == "TorchOp":
                ops[entry["name"]] = config_values.OpReplay(entry["config"])
            else:
                ops[entry["name"]] = layer = serialization.deserialize(entry)
                if type(layer).__name__ == "InputLayer":
                    tensors[(entry["name"], 0)] = [layer.output]
        done = {entry["name"]: 0 for entry in entries}
        remaining = sum(len(e.get("inbound_nodes", [])) for e in entries)
        while remaining:
            progress = False
            for entry in entries:
                name, nodes = entry["name"], entry.get("inbound_nodes", [])
                while done[name] < len(nodes):
                    node = nodes[done[name]]
                    try:
                        args = config_values.decode(node.get("args", []), tensors)
                        kwargs = config_values.decode(node.get("kwargs", {}), tensors)
                    except config_values.NotReady:
                        break
                    outputs = ops[name](*args, **kwargs)
                    tensors[(name, done[name])] = [
                        t for t in tree.flatten(outputs) if type(t) is KerasTensor
                    ]
                    done[name] += 1
                    remaining -= 1
                    progress = True
            if not progress:
                raise ValueError(
                    "Could not rebuild the functional model from its config: some layer calls refer to "
                    f"tensors no layer produces. Received: config name={config.get('name')!r}"
                )

        def tensor(ref: list) -> KerasTensor:
            return tensors[(ref[0], ref[1])][ref[2]]

        inputs = _map_refs(tensor, config["input_layers"])
        outputs = _map_refs(tensor, config["output_layers"])
    return cls(
        inputs=inputs,
        outputs=outputs,
        name=config.get("name"),
        trainable=config.get("trainable", True),
    )
