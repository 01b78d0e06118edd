"""`Model.summary()`: Keras 3's rich table of layers (type), output shapes, params, connections.

Then the total / trainable / non-trainable (and optimizer) parameter counts with their size in bytes.
"""

from __future__ import annotations

import re
import shutil
from collections import Counter
from collections.abc import Callable, Sequence
from typing import Any

import rich.console
import rich.markup
import rich.table
from torch import nn

from torchkeras_lite.models.keras_tensor import KerasTensor
from torchkeras_lite.models.node import Node, operation_name


# Facts about models and layers (shared with `plot_model`).
def graph_nodes(model: Any) -> list[Node] | None:
    """The nodes of a functional (or built Sequential) model's graph; None for other models."""
    functional = model.__dict__.get("_functional", model)
    if functional is None or "_nodes" not in functional.__dict__:
        return None
    return list(functional.__dict__["_nodes"])


def type_name(operation: Any) -> str:
    """A layer's class name; a recorded torch op gets a CamelCase name (`add` -> `Add`), as in Keras."""
    if isinstance(operation, nn.Module):
        return type(operation).__name__
    target = getattr(operation, "target", None)
    short = target if isinstance(target, str) else getattr(target, "__name__", "op")
    return "".join(part.capitalize() for part in short.strip("_").split("_")) or "Op"


def format_shape(shape: Sequence[int | None]) -> str:
    """`(None, 16)`; like Keras, a rank-1 shape reads `(None)`."""
    return f"({', '.join(str(d) for d in shape)})"


def format_structure(value: Any, leaf: Callable[[KerasTensor], str]) -> str:
    """A tensor, or a list/tuple/dict of them, as text with `leaf` applied to each tensor."""
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k}: {format_structure(v, leaf)}" for k, v in value.items()) + "}"
    if isinstance(value, (list, tuple)):
        inner = ", ".join(format_structure(v, leaf) for v in value)
        return f"[{inner}]" if isinstance(value, list) else f"({inner})"
    return leaf(value) if type(value) is KerasTensor else "?"


def layer_nodes(layer: Any, relevant: set[int] | None) -> list[Node]:
    """The layer's nodes with ids in `relevant` (the model's nodes), or all when it is None."""
    nodes = layer.__dict__.get("_inbound_nodes") or []
    return [n for n in nodes if relevant is None or id(n) in relevant]


def output_node(layer: Any, relevant: set[int] | None) -> Node | None:
    """The node describing the layer: its last call in the model (else anywhere), or None."""
    nodes = layer_nodes(layer, relevant) or layer_nodes(layer, None)
    return nodes[-1] if nodes else None


def output_shape_text(layer: Any, relevant: set[int] | None) -> str:
    """The layer's output shape(s) from its recorded node, else from its build shape, else `?`."""
    node = output_node(layer, relevant)
    if node is not None:
        outputs = node.outputs
        if len(node.output_tensors) == 1 and type(outputs) is not KerasTensor:
            outputs = node.output_tensors[0]
        return format_structure(outputs, lambda t: format_shape(t.__dict__["_keras_shape"]))
    build_shape = layer.__dict__.get("_build_input_shape")
    if build_shape is None or not hasattr(layer, "compute_output_shape"):
        return "?"
    try:
        shape = layer.compute_output_shape(build_shape)
    except Exception:  # a layer that cannot tell its output shape: unknown, as in Keras
        return "?"
    flat = isinstance(shape, (tuple, list)) and all(d is None or isinstance(d, int) for d in shape)
    return format_shape(shape) if flat else "?"


def param_count(layer: Any) -> int | None:
    """The number of weights of a layer, native module or op; None for an unbuilt layer."""
    if not isinstance(layer, nn.Module):
        return 0
    if hasattr(layer, "count_params"):
        return layer.count_params() if layer.built else None
    return sum(int(p.numel()) for p in layer.parameters())


def trainable_flag(layer: Any) -> bool | None:
    """Whether a layer with weights is trainable; None for a layer without weights."""
    if not isinstance(layer, nn.Module) or not any(True for _ in layer.parameters()):
        return None
    if hasattr(layer, "count_params"):
        return bool(layer.trainable)
    return any(p.requires_grad for p in layer.parameters())


def weights_size(weights: Sequence[Any]) -> tuple[int, int]:
    """The number of scalars in `weights` (each counted once) and their size in bytes."""
    unique = {id(w): w for w in weights}.values()
    return sum(w.numel() for w in unique), sum(w.numel() * w.element_size() for w in unique)


def readable_size(nbytes: float) -> str:
    """`828.00 B`, `4.82 KB`, `1.50 MB`: bytes in powers of 1024, two decimals."""
    for unit in ("B", "KB", "MB", "GB", "TB"):
        if nbytes < 1024:
            return f"{nbytes:.2f} {unit}"
        nbytes /= 1024
    return f"{nbytes:.2f} PB"


# The table.
def _is_chain(model: Any, nodes: list[Node] | None) -> bool:
    """True for a graph that is a simple chain (one node per depth, one input each, no sharing)."""
    if nodes is None or "_stack" in model.__dict__:  # subclassed and Sequential models
        return True
    depths = model.__dict__.get("_node_depths", {})
    by_depth = Counter(depths.get(id(n), id(n)) for n in nodes)
    by_operation = Counter(id(n.operation) for n in nodes)
    return all(len(n.input_tensors) <= 1 for n in nodes) and all(
        c == 1 for c in [*by_depth.values(), *by_operation.values()]
    )


def _connections(layer: Any, relevant: set[int] | None) -> str:
    links = []
    for node in layer_nodes(layer, relevant):
        for t in node.input_tensors:
            history = t.__dict__["_keras_history"]
            links.append(
                f"{rich.markup.escape(operation_name(history.operation))}"
                f"[{_number(history.node_index)}][{_number(history.tensor_index)}]"
            )
    return ", ".join(links) or "-"


def _number(value: Any) -> str:
    return f"[green]{value}[/]"


def layer_index_range(layers: list[Any], layer_range: Sequence[str] | None) -> tuple[int, int]:
    """`[start, stop)` of the rows from the first match of `layer_range[0]` to the last of `[1]`."""
    if layer_range is None:
        return 0, len(layers)
    if (
        not isinstance(layer_range, (list, tuple))
        or len(layer_range) != 2
        or not all(isinstance(name, str) for name in layer_range)
    ):
        raise ValueError(
            "`layer_range` must be a list or tuple of two layer names (strings or regexes). "
            f"Received: layer_range={layer_range!r}"
        )
    names = [operation_name(layer) for layer in layers]
    first = [i for i, name in enumerate(names) if re.match(layer_range[0], name)]
    last = [i for i, name in enumerate(names) if re.match(layer_range[1], name)]
    if not first or not last:
        raise ValueError(
            f"`layer_range` names do not match the layers of the model; its layers are {names}. "
            f"Received: layer_range={layer_range!r}"
        )
    if min(first) > max(last):
        return min(last), max(first) + 1
    return min(first), max(last) + 1


def _columns(
    chain: bool, line_length: int | None, positions: Sequence[float] | None, show_trainable: bool
) -> tuple[list[rich.table.Column], int]:
    headers = ["Layer (type)", "Output Shape", "Param #"] + ([] if chain else ["Connected to"])
    justify = ["left", "left", "right", "left"][: len(headers)]
    length, default = (88, [0.45, 0.80, 1.0]) if chain else (108, [0.3, 0.56, 0.74, 1.0])
    if show_trainable:
        headers.append("Trainable")
        justify.append("center")
        length += 12
        default = [p * 0.9 for p in default] + [1.0]
    if show_trainable and positions is not None and len(positions) == len(headers) - 1:
        if positions[-1] <= 1:  # relative positions of the other columns, as in Keras
            positions = [p * 0.9 for p in positions] + [1.0]
    if positions is not None and len(positions) != len(headers):
        raise ValueError(
            f"`positions` must give one position per column ({len(headers)}: {headers}). "
            f"Received: positions={list(positions)}"
        )
    line_length = line_length or min(length, shutil.get_terminal_size().columns - 4)
    positions = list(positions or default)
    if positions[-1] <= 1:  # relative positions
        positions = [int(p * line_length) for p in positions]
    widths = [int(b) - int(a) for a, b in zip([0, *positions[:-1]], positions)]
    if any(w < 4 for w in widths):
        raise ValueError(
            "Insufficient width to print the summary: each column needs at least 4 characters. "
            f"Received: line_length={line_length}, positions={positions}"
        )
    columns = [
        rich.table.Column(h, justify=j, width=w) for h, j, w in zip(headers, justify, widths)
    ]
    return columns, sum(widths)


def print_summary(
    model: Any,
    line_length: int | None = None,
    positions: Sequence[float] | None = None,
    print_fn: Callable[..., Any] | None = None,
    expand_nested: bool = False,
    show_trainable: bool = False,
    layer_range: Sequence[str] | None = None,
) -> None:
    """Prints a summary of `model` (see `Model.summary`)."""
    nodes = graph_nodes(model)
    relevant = None if nodes is None else {id(n) for n in nodes}
    chain = _is_chain(model, nodes)
    columns, width = _columns(chain, line_length, positions, show_trainable)
    table = rich.table.Table(*columns, width=width, show_lines=True)

    def rows(layer: Any, level: int, nodes_in: set[int] | None) -> list[list[str]]:
        prefix = "   " * level + "└ " if level else ""
        params = param_count(layer)
        cells = [
            f"{rich.markup.escape(prefix + operation_name(layer))} "
            f"([blue]{rich.markup.escape(type_name(layer))}[/])",
            rich.markup.escape(output_shape_text(layer, nodes_in)),
            f"{_number(0)} (unbuilt)" if params is None else _number(f"{params:,}"),
        ]
        if not chain:  # nested rows are not connected to this model's layers, as in Keras
            cells.append(_connections(layer, nodes_in) if level == 0 else "-")
        if show_trainable:
            flag = trainable_flag(layer)
            cells.append(
                "[bold]-[/]" if flag is None else ("[bold green]Y[/]" if flag else "[bold red]N[/]")
            )
        out = [cells]
        sublayers = getattr(layer, "layers", None) if expand_nested else None
        if isinstance(sublayers, list):
            sub_nodes = graph_nodes(layer)
            sub_relevant = None if sub_nodes is None else {id(n) for n in sub_nodes}
            for sub in sublayers:
                out.extend(rows(sub, level + 1, sub_relevant))
        return out

    layers = list(model.__dict__.get("_operations") or model.layers)  # graphs: ops too, as Keras
    start, stop = layer_index_range(layers, layer_range)
    for layer in layers[start:stop]:
        for cells in rows(layer, 0, relevant):
            table.add_row(*cells)
    _print(model, table, width, print_fn)


def _param_lines(model: Any) -> list[str]:
    trainable = weights_size(model.trainable_weights)
    frozen = weights_size(model.non_trainable_weights)
    optimizer = getattr(model, "optimizer", None) if getattr(model, "compiled", False) else None
    opt = weights_size(optimizer.variables) if getattr(optimizer, "built", False) else None
    total = [trainable[i] + frozen[i] + (opt[i] if opt else 0) for i in (0, 1)]
    lines = [("Total", total), ("Trainable", trainable), ("Non-trainable", frozen)]
    if opt is not None:
        lines.append(("Optimizer", opt))
    return [
        f"[bold] {label} params: [/]{_number(f'{count:,}')} ({readable_size(nbytes)})"
        for label, (count, nbytes) in lines
    ]


def _print(model: Any, table: rich.table.Table, width: int, print_fn: Callable | None) -> None:
    """Renders to stdout (colours only on a terminal), or as plain text passed to `print_fn`."""
    if print_fn is None:
        console = rich.console.Console(highlight=False)
    else:
        console = rich.console.Console(
            highlight=False, force_terminal=False, color_system=None, width=width
        )
        console.begin_capture()
    console.print(f'[bold]Model: "{rich.markup.escape(model.name)}"[/]')
    console.print(table)
    for line in _param_lines(model):
        console.print(line)
    if print_fn is not None:
        print_fn(console.end_capture().rstrip("\n"))
