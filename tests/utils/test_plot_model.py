"""`plot_model` / `model_to_dot`: DOT text from the model graph, files, and Graphviz rendering."""

import importlib
import shutil

import pytest
import torch

import torchkeras_lite as tk
from torchkeras_lite.utils import naming

plot_module = importlib.import_module(
    "torchkeras_lite.utils.plot_model"
)  # `utils.plot_model` is the function

HAS_DOT = shutil.which("dot") is not None


@pytest.fixture(autouse=True)
def _fresh_names():
    naming.reset_names()
    yield


def two_in_two_out():
    a = tk.Input((8,), name="a")
    b = tk.Input((4,), name="b")
    x = tk.layers.Concatenate(name="concat")(
        [tk.layers.Dense(16, activation="relu", name="d1")(a), b]
    )
    outputs = {"cls": tk.layers.Dense(3, name="cls")(x), "reg": tk.layers.Dense(1, name="reg")(x)}
    return tk.Model([a, b], outputs, name="two")


def nested():
    inner = tk.Sequential(
        [
            tk.Input((3,), name="seq_in"),
            tk.layers.Dense(4, name="in_d"),
            tk.layers.Dense(2, name="in_e"),
        ],
        name="inner",
    )
    x = tk.Input((3,), name="x")
    h = inner(x)
    return tk.Model(x, tk.layers.Dense(1, name="head")(h + h), name="outer")


def node_line(dot, name):
    return next(line for line in dot.splitlines() if line.strip().startswith(f'"{name}" [label='))


def test_dot_nodes_edges_and_shapes():
    dot = tk.utils.model_to_dot(two_in_two_out(), show_shapes=True)
    assert dot.startswith('digraph "two" {') and dot.rstrip().endswith("}")
    for name in ["a", "b", "d1", "concat", "cls", "reg"]:
        assert f"<b>{name}</b>" in node_line(dot, name)
    edges = [line.strip() for line in dot.splitlines() if "->" in line]
    assert edges == [
        '"a" -> "d1";',
        '"d1" -> "concat";',
        '"b" -> "concat";',
        '"concat" -> "cls";',
        '"concat" -> "reg";',
    ]
    concat = node_line(dot, "concat")
    assert "(Concatenate)" in concat
    assert "Input shape: <b>[(None, 16), (None, 4)]</b>" in concat
    assert "Output shape: <b>(None, 20)</b>" in concat
    assert "Input shape" not in node_line(dot, "a")  # inputs show their output shape only
    assert "Output shape: <b>(None, 8)</b>" in node_line(dot, "a")
    assert "rankdir=TB" in dot and "dpi=200" in dot


def test_label_options():
    model = two_in_two_out()
    model.get_layer("cls").trainable = False
    dot = tk.utils.model_to_dot(
        model,
        show_dtype=True,
        show_layer_names=False,
        show_layer_activations=True,
        show_trainable=True,
    )
    d1 = node_line(dot, "d1")
    assert "<b>Dense</b>" in d1 and "<b>d1</b>" not in d1
    assert "Activation: <b>relu</b>" in d1 and "Output dtype: <b>float32</b>" in d1
    assert ">Trainable<" in d1
    assert "Non-trainable" in node_line(dot, "cls")
    assert "Trainable" not in node_line(dot, "concat")  # no weights: no mark
    assert "shape:" not in dot  # show_shapes=False


@pytest.mark.parametrize("rankdir", ["LR", "BT", "RL"])
def test_rankdir(rankdir):
    assert f"rankdir={rankdir}," in tk.utils.model_to_dot(two_in_two_out(), rankdir=rankdir)


def test_bad_rankdir_and_unbuilt_model():
    with pytest.raises(ValueError, match="`rankdir` must be one of"):
        tk.utils.model_to_dot(two_in_two_out(), rankdir="up")
    with pytest.raises(ValueError, match="has not been built yet"):
        tk.utils.model_to_dot(tk.Sequential([tk.layers.Dense(2)]))


def test_sequential_and_subclassed_models():
    seq = tk.Sequential(
        [tk.Input((3,)), tk.layers.Dense(4, name="s1"), tk.layers.Dense(2, name="s2")], name="seq"
    )
    dot = tk.utils.model_to_dot(seq, show_shapes=True)
    assert [line.strip() for line in dot.splitlines() if "->" in line] == ['"s1" -> "s2";']
    assert "Output shape: <b>(None, 2)</b>" in node_line(dot, "s2")

    class Net(tk.Model):
        def __init__(self):
            super().__init__(name="net")
            self.dense = tk.layers.Dense(2)

        def call(self, x):
            return self.dense(x)

    net = Net()
    net(torch.zeros(1, 3))
    dot = tk.utils.model_to_dot(net)
    assert "(Net)" in node_line(dot, "net") and "->" not in dot  # its graph is Python code


def test_nested_model_collapsed_and_expanded():
    model = nested()
    dot = tk.utils.model_to_dot(model)
    assert "(Sequential)" in node_line(dot, "inner") and "cluster" not in dot
    assert '"inner" -> "add";' in dot
    dot = tk.utils.model_to_dot(model, expand_nested=True)
    assert 'subgraph "cluster_inner" {' in dot and 'label="inner"' in dot
    assert '"inner/in_d" [label=' in dot and '"inner" [label=' not in dot
    edges = [line.strip() for line in dot.splitlines() if "->" in line]
    assert edges == [
        '"inner/in_d" -> "inner/in_e";',
        '"x" -> "inner/in_d";',
        '"inner/in_e" -> "add";',
        '"add" -> "head";',
    ]


def test_dot_file_written_without_graphviz(tmp_path, monkeypatch):
    monkeypatch.setattr(plot_module.shutil, "which", lambda _: None)
    model = two_in_two_out()
    path = tmp_path / "model.dot"
    assert tk.utils.plot_model(model, to_file=path, show_shapes=True) is None
    assert path.read_text() == tk.utils.model_to_dot(model, show_shapes=True)


def test_missing_graphviz_error(tmp_path, monkeypatch):
    monkeypatch.setattr(plot_module.shutil, "which", lambda _: None)
    with pytest.raises(ImportError, match=r"Install Graphviz.*'\.dot' file name.*to_file="):
        tk.utils.plot_model(two_in_two_out(), to_file=tmp_path / "model.png")
    assert not (tmp_path / "model.png").exists()
    with pytest.raises(ImportError, match="Graphviz `dot` program"):
        tk.utils.model_to_dot(two_in_two_out()).create(format="svg")


@pytest.mark.skipif(not HAS_DOT, reason="needs the Graphviz `dot` program")
def test_renders_png_and_svg_with_graphviz(tmp_path):
    model = nested()
    tk.utils.plot_model(
        model, to_file=tmp_path / "model.png", show_shapes=True, expand_nested=True, dpi=48
    )
    assert (tmp_path / "model.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    tk.utils.plot_model(model, to_file=tmp_path / "model.svg", rankdir="LR")
    svg = (tmp_path / "model.svg").read_text()
    assert "<svg" in svg and "head" in svg and "inner" in svg
    with pytest.raises(RuntimeError, match="failed to render"):
        tk.utils.plot_model(model, to_file=tmp_path / "model.nosuchformat")
