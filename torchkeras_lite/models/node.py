"""`Node`: one call of an operation (a Layer, a native `nn.Module` or a torch op) on KerasTensors.

Each operation keeps its calls in `_inbound_nodes`; each output KerasTensor points back to its node
through `_keras_history = (operation, node_index, tensor_index)`. A shared layer has several nodes.
"""

from __future__ import annotations

from typing import Any

from torch import nn

from torchkeras_lite.models import tree
from torchkeras_lite.models.keras_tensor import KerasHistory, KerasTensor
from torchkeras_lite.utils import naming


def inbound_nodes(operation: Any) -> list[Node]:
    """The nodes (calls on KerasTensors) of a Layer, native module or torch op, oldest first."""
    d = operation.__dict__
    nodes = d.get("_inbound_nodes")
    if nodes is None:
        nodes = d["_inbound_nodes"] = []
    return nodes


def outbound_nodes(operation: Any) -> list[Node]:
    """The nodes that consume this operation's outputs."""
    d = operation.__dict__
    nodes = d.get("_outbound_nodes")
    if nodes is None:
        nodes = d["_outbound_nodes"] = []
    return nodes


def operation_name(operation: Any) -> str:
    """A Layer's or torch op's name; native modules get a unique snake_case name on first use."""
    if _is_layer(operation) or not isinstance(operation, nn.Module):
        return operation.name
    d = operation.__dict__
    if "_tkl_name" not in d:
        d["_tkl_name"] = naming.uniquify(naming.to_snake_case(type(operation).__name__))
    return d["_tkl_name"]


def _is_layer(operation: Any) -> bool:
    from torchkeras_lite.layers.layer import Layer

    return isinstance(operation, Layer)


def symbolic_leaves(structure: Any) -> list[KerasTensor]:
    """The KerasTensors in a structure of call arguments."""
    return [x for x in tree.flatten(structure) if type(x) is KerasTensor]


class Node:
    """A recorded call: `outputs = operation(*call_args, **call_kwargs)` on KerasTensors.

    Args:
        operation: the Layer, native `nn.Module` or `TorchOp` called.
        call_args: the positional arguments (KerasTensors and constants, nested as given).
        call_kwargs: the keyword arguments.
        outputs: the output structure (a KerasTensor, or a list/tuple/dict of them).
    """

    def __init__(
        self,
        operation: Any,
        call_args: tuple = (),
        call_kwargs: dict | None = None,
        outputs: Any = None,
    ):
        self.operation = operation
        self.call_args = tuple(call_args)
        self.call_kwargs = dict(call_kwargs or {})
        self.outputs = outputs
        self.input_tensors = symbolic_leaves((self.call_args, self.call_kwargs))
        self.output_tensors = [x for x in tree.flatten(outputs) if type(x) is KerasTensor]
        nodes = inbound_nodes(operation)
        self.node_index = len(nodes)
        nodes.append(self)
        for i, t in enumerate(self.output_tensors):
            t.__dict__["_keras_history"] = KerasHistory(operation, self.node_index, i)
        for parent in self.parent_nodes:
            outbound_nodes(parent.operation).append(self)

    @property
    def is_input(self) -> bool:
        """True for an `InputLayer`'s node (no inputs)."""
        return not self.call_args and not self.call_kwargs

    @property
    def parent_nodes(self) -> list[Node]:
        """The nodes that produced this node's input tensors (each once, in argument order)."""
        parents: list[Node] = []
        for t in self.input_tensors:
            history = t.__dict__["_keras_history"]
            if history is None:
                continue
            node = inbound_nodes(history.operation)[history.node_index]
            if not any(p is node for p in parents):
                parents.append(node)
        return parents

    @property
    def name(self) -> str:
        return operation_name(self.operation)

    def __repr__(self) -> str:
        return f"<Node operation={self.name!r} index={self.node_index} outputs={len(self.output_tensors)}>"


def get_node_attribute(operation: Any, node_index: int, attr: str, attr_name: str) -> Any:
    """`input`/`output` of an operation's node: one tensor, or the list when there are several."""
    nodes = operation.__dict__.get("_inbound_nodes") or []
    name = operation_name(operation)
    if not nodes:  # a ValueError: an AttributeError would be swallowed by nn.Module.__getattr__
        raise ValueError(
            f"The layer {name} has never been called and thus has no defined {attr_name}."
        )
    if node_index >= len(nodes):
        raise ValueError(
            f"Asked to get {attr_name} at node {node_index}, but the operation {name} has only "
            f"{len(nodes)} inbound nodes."
        )
    node = nodes[node_index]
    if attr == "output":
        return node.outputs
    values = node.input_tensors
    return values[0] if len(values) == 1 else values
