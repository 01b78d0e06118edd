"""`Model.summary()`: the printed table and totals, compared with Keras 3 on the same architectures."""

import numpy as np
import pytest
import torch

import torchkeras_lite as tk
from torchkeras_lite.models.summary import readable_size

WIDE = 150  # wide enough that no cell wraps differently


def parse(text):
    """(column names, rows as lists of cells, {"Total": "207 (828.00 B)", ...}) of a summary."""
    header, rows, current, totals = None, [], None, {}
    for line in text.splitlines():
        if line.startswith("┃"):
            header = [c.strip() for c in line.strip("┃").split("┃")]
        elif line.startswith("│"):
            cells = [c.strip() for c in line.strip("│").split("│")]
            current = (
                cells if current is None else [f"{a} {b}".strip() for a, b in zip(current, cells)]
            )
        elif line.startswith(("├", "└")) and current is not None:
            rows.append(current)
            current = None
        elif "params:" in line:
            label, value = line.split("params:")
            totals[label.strip()] = value.strip()
    return header, rows, totals


def summary_text(model, **kwargs):
    captured = []
    model.summary(print_fn=captured.append, **kwargs)
    assert len(captured) == 1
    return captured[0]


@pytest.fixture
def keras(monkeypatch):
    monkeypatch.setenv("COLUMNS", "200")  # Keras' console takes the terminal width
    return pytest.importorskip("keras")


def mlp(lib):
    inputs = lib.Input((16,), name="features")
    x = lib.layers.Dense(32, activation="relu", name="hidden")(inputs)
    x = lib.layers.BatchNormalization(name="norm")(x)
    return lib.Model(inputs, lib.layers.Dense(4, name="logits")(x), name="mlp")


def two_in_two_out(lib):
    a = lib.Input((8,), name="a")
    b = lib.Input((4,), name="b")
    x = lib.layers.Concatenate(name="concat")([lib.layers.Dense(16, name="d1")(a), b])
    outputs = {
        "cls": lib.layers.Dense(3, name="cls")(x),
        "reg": lib.layers.Dense(1, name="reg")(x),
    }
    return lib.Model([a, b], outputs, name="two")


def shared(lib):
    left = lib.Input((5,), dtype="int32", name="left")
    right = lib.Input((5,), dtype="int32", name="right")
    embed = lib.layers.Embedding(20, 3, name="embed")
    flat_l = lib.layers.Flatten(name="flat_l")(embed(left))
    flat_r = lib.layers.Flatten(name="flat_r")(embed(right))
    return lib.Model(
        [left, right], lib.layers.Dot(axes=-1, name="dot")([flat_l, flat_r]), name="siamese"
    )


def nested(lib):
    seq = lib.Sequential(
        [
            lib.Input((6,), name="seq_in"),
            lib.layers.Dense(5, name="seq_dense"),
            lib.layers.BatchNormalization(name="seq_bn"),
        ],
        name="inner_seq",
    )
    x = lib.Input((6,), name="mid_in")
    mid = lib.Model(x, lib.layers.Dense(3, name="mid_dense")(seq(x)), name="mid")
    i = lib.Input((6,), name="outer_in")
    model = lib.Model(i, lib.layers.Dense(1, name="head")(mid(i)), name="outer")
    model.get_layer("mid").get_layer("inner_seq").get_layer("seq_dense").trainable = False
    return model


@pytest.mark.parametrize(
    ("build", "kwargs"),
    [
        (mlp, {}),
        (two_in_two_out, {}),
        (shared, {"show_trainable": True}),
        (nested, {}),
        (nested, {"expand_nested": True, "show_trainable": True}),
    ],
)
def test_summary_matches_keras(keras, build, kwargs):
    ours = parse(summary_text(build(tk), line_length=WIDE, **kwargs))
    theirs = parse(summary_text(build(keras), line_length=WIDE, **kwargs))
    assert ours[0] == theirs[0]  # column names
    assert ours[1] == theirs[1]  # every cell: names, types, output shapes, params, connections
    assert ours[2] == theirs[2]  # totals with their sizes


def test_mlp_values_and_columns():
    header, rows, totals = parse(summary_text(mlp(tk), line_length=WIDE))
    assert header == ["Layer (type)", "Output Shape", "Param #"]  # a chain: no Connected to
    assert rows[1] == ["hidden (Dense)", "(None, 32)", "544"]
    assert rows[2] == ["norm (BatchNormalization)", "(None, 32)", "128"]
    assert totals == {
        "Total": "804 (3.14 KB)",
        "Trainable": "740 (2.89 KB)",
        "Non-trainable": "64 (256.00 B)",
    }


def test_connected_to_for_graphs_and_shared_layers():
    header, rows, _ = parse(summary_text(shared(tk), line_length=WIDE))
    assert header[-1] == "Connected to"
    by_name = {row[0].split(" ")[0]: row for row in rows}
    assert by_name["embed"][1:] == ["(None, 5, 3)", "60", "left[0][0], right[0][0]"]
    assert by_name["flat_r"][3] == "embed[1][0]"
    assert by_name["left"][3] == "-"


def test_unbuilt_models_say_so():
    model = tk.Sequential([tk.layers.Dense(4, name="d1"), tk.layers.Dense(2, name="d2")])
    _, rows, totals = parse(summary_text(model, line_length=WIDE))
    assert rows == [["d1 (Dense)", "?", "0 (unbuilt)"], ["d2 (Dense)", "?", "0 (unbuilt)"]]
    assert totals["Total"] == "0 (0.00 B)"
    model.build((None, 3))
    _, rows, totals = parse(summary_text(model, line_length=WIDE))
    assert rows == [["d1 (Dense)", "(None, 4)", "16"], ["d2 (Dense)", "(None, 2)", "10"]]


def test_subclassed_model_shapes_known_after_a_call():
    class Net(tk.Model):
        def __init__(self):
            super().__init__(name="net")
            self.first = tk.layers.Dense(3, name="first")
            self.second = tk.layers.Dense(2, name="second")

        def call(self, x):
            return self.second(self.first(x))

    net = Net()
    assert parse(summary_text(net, line_length=WIDE))[1][0] == ["first (Dense)", "?", "0 (unbuilt)"]
    net(torch.zeros(2, 5))
    _, rows, totals = parse(summary_text(net, line_length=WIDE))
    assert rows == [["first (Dense)", "(2, 3)", "18"], ["second (Dense)", "(2, 2)", "8"]]
    assert totals["Total"] == "26 (104.00 B)"


def test_show_trainable_with_a_frozen_layer():
    model = mlp(tk)
    model.get_layer("hidden").trainable = False
    header, rows, totals = parse(summary_text(model, line_length=WIDE, show_trainable=True))
    assert header[-1] == "Trainable"
    assert [row[-1] for row in rows] == ["-", "N", "Y", "Y"]
    assert totals["Trainable"] == "196 (784.00 B)"
    assert totals["Non-trainable"] == "608 (2.38 KB)"


def test_layer_range_limits_rows():
    _, rows, totals = parse(
        summary_text(two_in_two_out(tk), line_length=WIDE, layer_range=("d1", "concat"))
    )
    assert [row[0].split(" ")[0] for row in rows] == ["d1", "b", "concat"]
    assert totals["Total"] == "228 (912.00 B)"  # totals stay the model's


@pytest.mark.parametrize(
    ("layer_range", "match"),
    [(("d1",), "two layer names"), ((1, 2), "two layer names"), (("d1", "nope"), "do not match")],
)
def test_layer_range_errors(layer_range, match):
    with pytest.raises(ValueError, match=match):
        two_in_two_out(tk).summary(print_fn=print, layer_range=layer_range)


def test_expand_nested_indents_inner_layers():
    _, rows, _ = parse(summary_text(nested(tk), line_length=WIDE, expand_nested=True))
    names = [row[0] for row in rows]
    assert names[1:7] == [
        "mid (Functional)",
        "└ mid_in (InputLayer)",
        "└ inner_seq (Sequential)",
        "└ seq_dense (Dense)",
        "└ seq_bn (BatchNormalization)",
        "└ mid_dense (Dense)",
    ]
    assert rows[4][1:3] == ["(None, 5)", "35"]
    plain = summary_text(nested(tk), line_length=WIDE, expand_nested=True)
    assert "│       └ seq_dense (Dense)" in plain  # two levels deep


def test_print_fn_gets_plain_text_and_stdout_has_no_control_codes(capsys):
    text = summary_text(two_in_two_out(tk), show_trainable=True)
    assert "\x1b" not in text and text.startswith('Model: "two"')
    two_in_two_out(tk).summary()
    out = capsys.readouterr().out
    assert "\x1b" not in out and 'Model: "two"' in out and "Total params: 228" in out


def test_native_modules_and_torch_ops_are_rows():
    inputs = tk.Input((3,), name="x")
    y = torch.nn.Linear(3, 2)(inputs)
    model = tk.Model(inputs, torch.relu(y) + 1, name="native")
    _, rows, _ = parse(summary_text(model, line_length=WIDE))
    assert rows[1][:3] == ["linear (Linear)", "(None, 2)", "8"]
    assert rows[2][0] == "relu (Relu)"


def test_optimizer_params_line_after_compile_and_fit():
    model = mlp(tk)
    model.compile(optimizer="adam", loss="mse")
    model.fit(np.zeros((4, 16), "float32"), np.zeros((4, 4), "float32"), verbose=0)
    totals = parse(summary_text(model, line_length=WIDE))[2]
    count = int(totals["Optimizer"].split(" ")[0].replace(",", ""))
    assert count >= 2 * 740  # Adam: two slots per trainable weight (plus its counters)
    assert int(totals["Total"].split(" ")[0].replace(",", "")) == 804 + count


def test_widths_and_positions():
    text = summary_text(mlp(tk), line_length=60, positions=[30, 48, 60])
    assert max(len(line) for line in text.splitlines()) == 60
    header = parse(
        summary_text(mlp(tk), line_length=WIDE, positions=[0.4, 0.7, 1.0], show_trainable=True)
    )[0]
    assert header == ["Layer (type)", "Output Shape", "Param #", "Trainable"]
    with pytest.raises(ValueError, match="one position per column"):
        mlp(tk).summary(print_fn=print, positions=[0.5, 1.0])
    with pytest.raises(ValueError, match="Insufficient width"):
        mlp(tk).summary(print_fn=print, line_length=10)


def test_readable_size():
    assert readable_size(0) == "0.00 B"
    assert readable_size(828) == "828.00 B"
    assert readable_size(4936) == "4.82 KB"
    assert readable_size(1.5 * 1024**2) == "1.50 MB"
