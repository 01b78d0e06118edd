"""`plot_model` and `model_to_dot`: a model's graph as DOT text (our own, no pydot).

Images (PNG, SVG, PDF, ...) are rendered by the Graphviz `dot` program when it is on the PATH; a
`.dot`/`.gv` file needs no Graphviz at all.
"""

from __future__ import annotations

import html
import os
import shutil
import subprocess
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from torchkeras_lite.models.node import Node

_RANKDIRS = ("TB", "LR", "BT", "RL")
_TEXT_FORMATS = ("dot", "gv")


class DotGraph(str):
    """DOT source text (a `str`) that can render itself with Graphviz.

    Example:
        >>> dot = keras.utils.model_to_dot(model, show_shapes=True)
        >>> svg = dot.create(format="svg")
    """

    def to_string(self) -> str:
        """The DOT text."""
        return str(self)

    def create(self, prog: str = "dot", format: str = "png") -> bytes:
        """The graph rendered by the Graphviz program `prog` in `format` (`png`, `svg`, `pdf`, ...)."""
        executable = shutil.which(prog)
        if executable is None:
            raise _missing_graphviz(prog, f"format={format!r}")
        done = subprocess.run(
            [executable, f"-T{format}"], input=str(self).encode(), capture_output=True
        )
        if done.returncode != 0:
            raise RuntimeError(
                f"Graphviz `{prog}` failed to render the model plot: "
                f"{done.stderr.decode(errors='replace').strip()} Received: format={format!r}"
            )
        return done.stdout

    def write(self, path: str | os.PathLike, format: str | None = None) -> None:
        """Writes the DOT text (`format` "dot"/"gv"), or the image rendered in `format`."""
        format = format or (os.path.splitext(str(path))[1][1:] or "png")
        data = str(self).encode() if format.lower() in _TEXT_FORMATS else self.create(format=format)
        with open(path, "wb") as f:
            f.write(data)


def _missing_graphviz(prog: str, received: str) -> ImportError:
    return ImportError(
        f"Rendering a model plot as an image needs the Graphviz `{prog}` program, which was not "
        "found on the PATH. Install Graphviz (https://graphviz.org/download/, e.g. `apt-get install "
        "graphviz` or `brew install graphviz`), or save the plot as DOT text with a '.dot' file "
        f"name. Received: {received}"
    )


def _info() -> Any:
    """The model facts shared with `summary` (imported late: `models` imports `utils`)."""
    from torchkeras_lite.models import summary

    return summary


def _quote(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _shape_text(value: Any) -> str:
    text = _info().format_structure(value, lambda t: str(tuple(t.__dict__["_keras_shape"])))
    return text[1:-1] if isinstance(value, dict) else text


def _label(layer: Any, node: Node | None, options: dict[str, bool]) -> str:
    """An HTML-like Graphviz label: a title row, an activation row, then the requested facts."""
    info = _info()
    kind = html.escape(info.type_name(layer))
    title = f"<b>{html.escape(info.operation_name(layer))}</b> ({kind})"
    cells = []
    if options["show_shapes"]:
        if node is None or not node.is_input:
            inputs = node.input_tensors if node is not None else None
            shape = "?" if not inputs else _shape_text(inputs[0] if len(inputs) == 1 else inputs)
            cells.append(f"Input shape: <b>{html.escape(shape)}</b>")
        shape = "?" if node is None else _shape_text(_outputs(node))
        cells.append(f"Output shape: <b>{html.escape(shape)}</b>")
    if options["show_dtype"]:
        dtype = (
            "?" if node is None else info.format_structure(_outputs(node), lambda t: t.keras_dtype)
        )
        cells.append(f"Output dtype: <b>{html.escape(dtype.strip('{}'))}</b>")
    cells = [f'<td bgcolor="white"><font point-size="14">{c}</font></td>' for c in cells]
    trainable = info.trainable_flag(layer) if options["show_trainable"] else None
    if trainable is not None:
        color, text = ("forestgreen", "Trainable") if trainable else ("firebrick", "Non-trainable")
        cells.append(f'<td bgcolor="{color}"><font point-size="14" color="white"><b>{text}</b>')
        cells[-1] += "</font></td>"
    span = max(1, len(cells))
    rows = [
        f'<tr><td colspan="{span}" bgcolor="black"><font point-size="16" color="white">'
        f"{title if options['show_layer_names'] else f'<b>{kind}</b>'}</font></td></tr>"
    ]
    activation = getattr(layer, "activation", None)
    if options["show_layer_activations"] and activation is not None:
        name = getattr(activation, "name", None) or getattr(activation, "__name__", activation)
        rows.append(
            f'<tr><td colspan="{span}" bgcolor="white"><font point-size="14">Activation: '
            f"<b>{html.escape(str(name))}</b></font></td></tr>"
        )
    if cells:
        rows.append("<tr>" + "".join(cells) + "</tr>")
    table = '<table border="0" cellborder="1" cellspacing="0" cellpadding="8">'
    return f"<{table}{''.join(rows)}</table>>"


def _outputs(node: Node) -> Any:
    return node.output_tensors[0] if len(node.output_tensors) == 1 else node.outputs


def _at(ids: list[str], index: int) -> str:
    return ids[min(index, len(ids) - 1)]


class _DotBuilder:
    """Collects DOT statements for a model and, with `expand_nested`, its nested models' clusters."""

    def __init__(self, options: dict[str, bool], expand_nested: bool):
        self.options = options
        self.expand_nested = expand_nested
        self.lines: list[str] = []
        self.edges: dict[tuple[str, str], None] = {}

    def add_model(self, model: Any, prefix: str, indent: str) -> tuple[list[str], list[str]]:
        """Adds the model's nodes and edges; returns the DOT ids its inputs enter and outputs leave."""
        info = _info()
        nodes = info.graph_nodes(model) or []
        relevant = {id(n) for n in nodes}
        sequential = "_stack" in model.__dict__
        ops = list(model.layers) if sequential else list(model.__dict__["_operations"])
        enter: dict[int, list[str]] = {}  # id(op) -> the DOT id per input index
        leave: dict[int, list[str]] = {}  # id(op) -> the DOT id per output index
        for op in ops:
            node_id = prefix + info.operation_name(op)
            if self.expand_nested and info.graph_nodes(op) is not None:
                self.lines.append(f"{indent}subgraph {_quote('cluster_' + node_id)} {{")
                self.lines.append(
                    f"{indent}  label={_quote(info.operation_name(op))}; style=dashed;"
                )
                enter[id(op)], leave[id(op)] = self.add_model(op, node_id + "/", indent + "  ")
                self.lines.append(f"{indent}}}")
            else:
                label = _label(op, info.output_node(op, relevant), self.options)
                self.lines.append(f"{indent}{_quote(node_id)} [label={label}];")
                enter[id(op)] = leave[id(op)] = [node_id]
        if sequential:
            for src, dst in zip(ops, ops[1:]):
                self.edges[(leave[id(src)][0], enter[id(dst)][0])] = None
            return enter[id(ops[0])], leave[id(ops[-1])]
        for node in nodes:
            for k, t in enumerate(node.input_tensors):
                history = t.__dict__["_keras_history"]
                source = _at(leave[id(history.operation)], history.tensor_index)
                self.edges[(source, _at(enter[id(node.operation)], k))] = None
        ins = [t.__dict__["_keras_history"] for t in model.inputs]
        outs = [t.__dict__["_keras_history"] for t in model.outputs]
        return [enter[id(h.operation)][0] for h in ins], [
            _at(leave[id(h.operation)], h.tensor_index) for h in outs
        ]


def model_to_dot(
    model: Any,
    show_shapes: bool = False,
    show_dtype: bool = False,
    show_layer_names: bool = True,
    rankdir: str = "TB",
    expand_nested: bool = False,
    dpi: int = 200,
    show_layer_activations: bool = False,
    show_trainable: bool = False,
) -> DotGraph:
    """The model's graph as Graphviz DOT text: a node per layer, an edge per connection.

    Functional models show their whole graph (inputs, layers, native modules and torch ops);
    Sequential models their stack; a subclassed model is a single node.

    Args:
        model: a built model.
        show_shapes: show each layer's input and output shapes.
        show_dtype: show each layer's output dtype.
        show_layer_names: title nodes `name (Type)` (else `Type`).
        rankdir: the layout direction: `"TB"` (top to bottom), `"LR"`, `"BT"` or `"RL"`.
        expand_nested: draw nested functional/Sequential models as clusters of their layers.
        dpi: the image resolution (dots per inch).
        show_layer_activations: show the activation of layers that have one.
        show_trainable: mark layers with weights as trainable or not.

    Returns:
        A `DotGraph`: the DOT text (a `str`), with `create(format=...)` and `write(path)`.

    Example:
        >>> print(keras.utils.model_to_dot(model, show_shapes=True, rankdir="LR"))
    """
    if rankdir not in _RANKDIRS:
        raise ValueError(
            f"`rankdir` must be one of {list(_RANKDIRS)}. Received: rankdir={rankdir!r}"
        )
    if not getattr(model, "built", False):
        raise ValueError(
            f"Model '{model.name}' has not been built yet, so it has no graph to plot. Build it "
            "with `build(input_shape)`, call it on data, or start it with a `keras.Input`. "
            f"Received: model.built={getattr(model, 'built', False)}"
        )
    info = _info()
    options = {
        "show_shapes": show_shapes,
        "show_dtype": show_dtype,
        "show_layer_names": show_layer_names,
        "show_layer_activations": show_layer_activations,
        "show_trainable": show_trainable,
    }
    builder = _DotBuilder(options, expand_nested)
    if info.graph_nodes(model) is not None:
        builder.add_model(model, "", "  ")
    else:  # a subclassed model: its computation is Python code, drawn as one node
        label = _label(model, info.output_node(model, None), options)
        builder.lines.append(f"  {_quote(info.operation_name(model))} [label={label}];")
    header = [
        f"digraph {_quote(info.operation_name(model))} {{",
        f'  graph [rankdir={rankdir}, dpi={int(dpi)}, splines=ortho, fontname="Helvetica"];',
        '  node [shape=plaintext, fontname="Helvetica", margin=0];',
        "  edge [penwidth=2];",
    ]
    edges = [f"  {_quote(a)} -> {_quote(b)};" for a, b in builder.edges]  # in graph order
    return DotGraph("\n".join([*header, *builder.lines, *edges, "}"]) + "\n")


def plot_model(
    model: Any,
    to_file: str | os.PathLike = "model.png",
    show_shapes: bool = False,
    show_dtype: bool = False,
    show_layer_names: bool = True,
    rankdir: str = "TB",
    expand_nested: bool = False,
    dpi: int = 200,
    show_layer_activations: bool = False,
    show_trainable: bool = False,
) -> Any:
    """Draws the model's graph to `to_file`: an image rendered by Graphviz, or DOT text for `.dot`.

    The format comes from the file extension (`.png` when there is none). Images need the Graphviz
    `dot` program on the PATH; `.dot`/`.gv` files are written directly.

    Args:
        model: a built model.
        to_file: the output file name.
        show_shapes, show_dtype, show_layer_names, rankdir, expand_nested, dpi,
        show_layer_activations, show_trainable: as in `model_to_dot`.

    Returns:
        An `IPython.display.Image` of a PNG/JPEG/GIF plot when IPython is installed, else None.

    Example:
        >>> keras.utils.plot_model(model, "model.png", show_shapes=True)
        >>> keras.utils.plot_model(model, "model.dot")  # no Graphviz needed
    """
    dot = model_to_dot(
        model,
        show_shapes=show_shapes,
        show_dtype=show_dtype,
        show_layer_names=show_layer_names,
        rankdir=rankdir,
        expand_nested=expand_nested,
        dpi=dpi,
        show_layer_activations=show_layer_activations,
        show_trainable=show_trainable,
    )
    extension = os.path.splitext(str(to_file))[1][1:].lower() or "png"
    if extension not in _TEXT_FORMATS and shutil.which("dot") is None:
        raise _missing_graphviz("dot", f"to_file={str(to_file)!r}")
    dot.write(to_file, format=extension)
    if extension in ("png", "jpg", "jpeg", "gif"):
        try:
            from IPython import display
        except ImportError:
            return None
        return display.Image(filename=str(to_file))
    return None
