"""The DAG between a functional model's inputs and outputs: its nodes, their order, and checks.

Operations are ordered like Keras orders them (by depth from the outputs, deepest first, ties in
first-visit order of a depth-first walk from the outputs), so `model.layers` and `model.weights`
list in the same order as in Keras and `set_weights` lists match.
"""

from __future__ import annotations

from typing import Any

from torchkeras_lite.models.keras_tensor import KerasTensor
from torchkeras_lite.models.node import Node, inbound_nodes, operation_name


def node_of(tensor: KerasTensor) -> Node:
    history = tensor.__dict__["_keras_history"]
    return inbound_nodes(history.operation)[history.node_index]


def _describe(t: KerasTensor) -> str:
    return f"'{t.name}' ({t!r})" if t.name else repr(t)


class GraphMap:
    """The nodes (in execution order) and operations (in Keras' layer order) of a model's graph.

    Args:
        inputs: the model's flat input KerasTensors (each made by `keras.Input`).
        outputs: the model's flat output KerasTensors.
    """

    def __init__(self, inputs: list[KerasTensor], outputs: list[KerasTensor]):
        self._input_ids = {id(t) for t in inputs}
        self._input_names = [t.name for t in inputs]
        self._visit_order: dict[int, int] = {}  # id(operation) -> first-visit index
        self._finished: set[int] = set()
        self._in_progress: set[int] = set()
        self._nodes_ordered: list[Node] = []
        for t in outputs:
            self._walk(t, None)
        self.nodes, self.operations, self.node_depths = self._order(inputs)
        self._check_names()

    def _walk(self, tensor: KerasTensor, consumer: Node | None) -> None:
        node = node_of(tensor)
        if id(node) in self._finished:
            return
        if node.is_input and id(tensor) not in self._input_ids:
            where = f", which is needed by layer '{consumer.name}'" if consumer is not None else ""
            raise ValueError(
                f"Graph disconnected: the model's outputs depend on the input {_describe(tensor)}"
                f"{where}, but that input is not in the model's `inputs`. Add it to `inputs`, or "
                f"compute the outputs from the given inputs only. Received: inputs={self._input_names}"
            )
        if id(node) in self._in_progress:
            raise ValueError(f"Tensor {tensor!r} from operation '{node.name}' is part of a cycle.")
        self._visit_order.setdefault(id(node.operation), len(self._visit_order))
        self._in_progress.add(id(node))
        for t in node.input_tensors:
            self._walk(t, node)
        self._in_progress.discard(id(node))
        self._finished.add(id(node))
        self._nodes_ordered.append(node)

    def _order(self, inputs: list[KerasTensor]) -> tuple[list[Node], list[Any], dict[int, int]]:
        in_graph = {id(n) for n in self._nodes_ordered}
        node_depth: dict[int, int] = {}
        op_depth: dict[int, int] = {}
        ops: dict[int, Any] = {}
        for node in reversed(self._nodes_ordered):
            depth = max(node_depth.setdefault(id(node), 0), op_depth.get(id(node.operation), 0))
            op_depth[id(node.operation)] = depth
            ops[id(node.operation)] = node.operation
            node_depth[id(node)] = depth
            for parent in node.parent_nodes:
                if id(parent) in in_graph:
                    node_depth[id(parent)] = max(depth + 1, node_depth.get(id(parent), 0))
        nodes = list(self._nodes_ordered)
        for t in inputs:  # inputs that no output uses still belong to the model
            node = node_of(t)
            if id(node.operation) not in op_depth:
                op_depth[id(node.operation)] = 0
                ops[id(node.operation)] = node.operation
                self._visit_order[id(node.operation)] = -1
                node_depth[id(node)] = 0
                nodes.append(node)
        operations = sorted(
            ops.values(), key=lambda op: (-op_depth[id(op)], self._visit_order[id(op)])
        )
        position = {id(n): i for i, n in enumerate(nodes)}
        nodes.sort(key=lambda n: (-node_depth[id(n)], position[id(n)]))
        return nodes, operations, node_depth

    def _check_names(self) -> None:
        names = [operation_name(op) for op in self.operations]
        for name in names:
            if names.count(name) > 1:
                raise ValueError(
                    f'The name "{name}" is used {names.count(name)} times in the model. All layer '
                    f"names should be unique. Received: layer names={names}"
                )
