"""Lowers a functional model's recorded DAG to a `torch.fx.GraphModule`.

Inputs become placeholders, layers and native modules `call_module` nodes (targets: their names),
recorded torch ops `call_function`/`call_method` nodes, and real tensors used as constants `get_attr`
nodes (a weight of a layer in the graph, or a tensor kept by the model's `_tkl_constants` module).
"""

from __future__ import annotations

import keyword
import operator
import re
from typing import Any

import torch
from torch import fx, nn

from torchkeras_lite.models import tree
from torchkeras_lite.models.keras_tensor import KerasTensor
from torchkeras_lite.models.node import Node
from torchkeras_lite.models.torch_ops import TorchOp

_RESERVED = set(dir(fx.GraphModule)) | set(vars(nn.Module())) | {"graph", "code", "meta", "forward"}


def identifier(name: str, taken: set[str], reserved: set[str] = frozenset()) -> str:
    """A valid, unused Python identifier close to `name` (added to `taken`)."""
    base = re.sub(r"\W", "_", str(name)) or "x"
    if base[0].isdigit() or keyword.iskeyword(base) or base in reserved:
        base = f"{base}_"
    if base[0].isdigit():
        base = f"t_{base}"
    candidate, i = base, 0
    while candidate in taken or candidate in reserved:
        i += 1
        candidate = f"{base}_{i}"
    taken.add(candidate)
    return candidate


class Constants(nn.Module):
    """Holds the real tensors a functional graph uses as constants (e.g. `x + torch.ones(16)`)."""


class _Lowering:
    def __init__(self, module_targets: dict[int, str], root: dict[str, Any]):
        self.graph = fx.Graph()
        self.module_targets = module_targets  # id(module) -> target name in the GraphModule
        self.root = root
        self.env: dict[int, fx.Node] = {}
        self.pending: dict[int, tuple[fx.Node, tuple]] = {}  # tensors of multi-output nodes
        self.weights: dict[int, str] = {}
        for target, module in list(root.items()):
            if isinstance(module, nn.Module):
                for pname, p in module.named_parameters(remove_duplicate=False):
                    self.weights.setdefault(id(p), f"{target}.{pname}")
                for bname, b in module.named_buffers(remove_duplicate=False):
                    self.weights.setdefault(id(b), f"{target}.{bname}")
        self.constants: Constants | None = None

    def value(self, x: Any) -> Any:
        if type(x) is KerasTensor:
            key = id(x)
            if key not in self.env:
                parent, path = self.pending[key]
                node = parent
                for k in path:
                    node = self.graph.call_function(operator.getitem, (node, k))
                self.env[key] = node
            return self.env[key]
        if isinstance(x, torch.Tensor):
            return self.graph.get_attr(self._constant(x))
        return x

    def _constant(self, t: torch.Tensor) -> str:
        if id(t) in self.weights:
            return self.weights[id(t)]
        if self.constants is None:
            self.constants = Constants()
            self.root["_tkl_constants"] = self.constants
        name = f"c{len(self.constants._parameters) + len(self.constants._buffers)}"
        if isinstance(t, nn.Parameter):
            self.constants.register_parameter(name, t)
        else:
            self.constants.register_buffer(name, t, persistent=False)
        self.weights[id(t)] = f"_tkl_constants.{name}"
        return self.weights[id(t)]

    def add_node(self, node: Node) -> None:
        args = tree.map_structure(self.value, node.call_args)
        kwargs = tree.map_structure(self.value, node.call_kwargs)
        op = node.operation
        if isinstance(op, TorchOp):
            if op.kind == "getattr":
                out = self.graph.call_function(getattr, (args[0], op.target), name=op.name)
            else:
                out = self.graph.create_node(op.kind, op.target, tuple(args), kwargs, name=op.name)
        else:
            out = self.graph.call_module(self.module_targets[id(op)], tuple(args), kwargs)
        if type(node.outputs) is KerasTensor:
            self.env[id(node.outputs)] = out
        else:
            for path, leaf in tree.flatten_with_paths(node.outputs):
                if type(leaf) is KerasTensor:
                    self.pending[id(leaf)] = (out, path)


def lower(
    inputs: list[KerasTensor],
    outputs: Any,
    nodes: list[Node],
    modules: dict[str, nn.Module],
    class_name: str,
) -> tuple[fx.GraphModule, Constants | None]:
    """Builds the GraphModule running `nodes` from `inputs` to the `outputs` structure.

    Args:
        inputs: the flat input KerasTensors (one placeholder each, named after them).
        outputs: the output structure of KerasTensors (the GraphModule returns the same structure).
        nodes: the nodes in execution order (input nodes are skipped).
        modules: GraphModule target name -> module, for every layer and native module called.
        class_name: the generated GraphModule class's name.
    """
    lowering = _Lowering({id(m): k for k, m in modules.items()}, dict(modules))
    taken: set[str] = set()
    for i, t in enumerate(inputs):
        lowering.env[id(t)] = lowering.graph.placeholder(identifier(t.name or f"input_{i}", taken))
    for node in nodes:
        if not node.is_input:
            lowering.add_node(node)
    lowering.graph.output(tree.map_structure(lowering.value, outputs))
    lowering.graph.lint()
    root = nn.Module()
    for target, module in lowering.root.items():
        root._modules[target] = module
    return fx.GraphModule(root, lowering.graph, class_name=class_name), lowering.constants
