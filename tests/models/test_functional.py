"""Functional models: fx lowering, calls with lists/dicts, shared layers, nesting, feature extraction."""

import copy
import io

import numpy as np
import pytest
import torch
from torch import fx

import torchkeras_lite as keras
from torchkeras_lite.layers import Layer


class Linear(Layer):
    def __init__(self, units, **kwargs):
        super().__init__(**kwargs)
        self.units = units

    def build(self, input_shape):
        self.kernel = self.add_weight(shape=(input_shape[-1], self.units), name="kernel")
        self.bias = self.add_weight(shape=(self.units,), initializer="zeros", name="bias")

    def call(self, x):
        return x @ self.kernel + self.bias


def _ops(gm):
    return [
        (n.op, n.target if isinstance(n.target, str) else n.target.__name__) for n in gm.graph.nodes
    ]


def test_model_lowers_to_an_fx_graph_module_with_readable_state_dict():
    x = keras.Input((16,), name="x")
    h = Linear(8, name="hidden")(x)
    y = Linear(2, name="head")(torch.relu(h) * 2)
    model = keras.Model(x, y, name="mlp")
    assert type(model).__name__ == "Functional" and isinstance(model, keras.Model)
    gm = model.graph_module
    assert isinstance(gm, fx.GraphModule)
    assert _ops(gm) == [
        ("placeholder", "x"),
        ("call_module", "hidden"),
        ("call_function", "relu"),
        ("call_method", "mul"),
        ("call_module", "head"),
        ("output", "output"),
    ]
    assert list(model.state_dict()) == ["hidden.kernel", "hidden.bias", "head.kernel", "head.bias"]
    data = torch.randn(3, 16)
    expected = (torch.relu(data @ model.hidden.kernel + model.hidden.bias) * 2) @ model.head.kernel
    assert torch.allclose(model(data), expected + model.head.bias)
    assert torch.allclose(gm(data), model(data))
    assert model.count_params() == 16 * 8 + 8 + 8 * 2 + 2


def test_layers_inputs_outputs_and_shapes_like_keras():
    a, b = keras.Input((4,), name="a"), keras.Input((3,), name="b")
    ha, hb = Linear(5, name="la")(a), Linear(5, name="lb")(b)
    model = keras.Model([a, b], {"sum": ha + hb, "a": ha})
    assert [layer.name for layer in model.layers] == ["a", "b", "la", "lb"]
    assert model.inputs[0] is a and model.input == [a, b]
    assert [t.shape for t in model.outputs] == [(None, 5), (None, 5)]  # dict outputs flatten by key
    assert model.input_shape == [(None, 4), (None, 3)] and model.output_shape == [
        (None, 5),
        (None, 5),
    ]
    assert model.get_layer("lb") is model.layers[3] and model.get_layer(index=2).name == "la"
    out = model([torch.ones(2, 4), torch.ones(2, 3)])
    assert set(out) == {"sum", "a"} and out["sum"].shape == (2, 5)
    by_name = model({"b": torch.ones(2, 3), "a": torch.ones(2, 4)})
    assert torch.equal(by_name["sum"], out["sum"])
    assert model.layers[2].output is ha and model.layers[2].input is a


def test_dict_inputs_are_matched_by_key_and_numpy_is_converted():
    a, b = keras.Input((2,), name="first"), keras.Input((2,), name="second")
    model = keras.Model({"p": a, "q": b}, a - b)
    out = model({"q": np.ones((1, 2)), "p": np.full((1, 2), 3.0)})
    assert out.dtype == torch.float32 and torch.equal(out, torch.full((1, 2), 2.0))


def test_shared_layer_has_one_set_of_weights_and_several_nodes():
    shared = Linear(3, name="shared")
    a, b = keras.Input((4,)), keras.Input((4,))
    model = keras.Model([a, b], shared(a) - shared(b))
    assert len(shared._inbound_nodes) == 2 and len(model.weights) == 2
    x = torch.randn(2, 4)
    assert torch.allclose(model([x, x]), torch.zeros(2, 3))
    calls = [n for n in model.graph_module.graph.nodes if n.op == "call_module"]
    assert [n.target for n in calls] == ["shared", "shared"]


def test_nested_models_and_a_model_called_on_new_inputs():
    i = keras.Input((4,))
    inner = keras.Model(i, Linear(3, name="in_dense")(i), name="inner")
    j = keras.Input((4,))
    middle = keras.Model(j, torch.tanh(inner(j)), name="middle")
    k = keras.Input((4,))
    sub = keras.Sequential([Linear(2, name="seq_dense")], name="seq")
    outer = keras.Model(k, sub(middle(k)), name="outer")
    assert list(outer.state_dict()) == [
        "middle.inner.in_dense.kernel",
        "middle.inner.in_dense.bias",
        "seq.seq_dense.kernel",
        "seq.seq_dense.bias",
    ]
    x = torch.randn(5, 4)
    dense = outer.middle.inner.in_dense
    expected = sub(torch.tanh(x @ dense.kernel + dense.bias))
    assert torch.allclose(outer(x), expected)
    assert len(inner._inbound_nodes) == 1 and inner.output.shape == (
        None,
        3,
    )  # its own graph's output


def test_feature_extraction_from_layer_outputs():
    x = keras.Input((4,), name="x")
    h = Linear(3, name="h1")(x)
    y = Linear(2, name="h2")(torch.relu(h))
    model = keras.Model(x, y)
    features = keras.Model(model.inputs, [layer.output for layer in model.layers])
    data = torch.randn(2, 4)
    outs = features(data)
    assert len(outs) == 3 and torch.equal(outs[0], data)
    assert torch.allclose(outs[1], model.h1(data)) and torch.allclose(outs[2], model(data))
    assert features.h1 is model.h1  # same layer objects, same weights


def test_training_flag_reaches_layers_through_the_graph():
    class Probe(Layer):
        def call(self, x, training=None):
            self.seen = training
            return x

    probe = Probe()
    x = keras.Input((2,))
    model = keras.Model(x, probe(x) + 1)
    model(torch.ones(1, 2), training=True)
    assert probe.seen is True
    model(torch.ones(1, 2))
    assert probe.seen is False


def test_masks_reach_layers_whose_call_takes_mask():
    class MakeMask(Layer):
        def call(self, x):
            return x

        def compute_mask(self, inputs, previous_mask=None):
            return inputs != 0

    class UseMask(Layer):
        def call(self, x, mask=None):
            self.got = mask
            return x * mask.to(x.dtype) if mask is not None else x

    use = UseMask()
    x = keras.Input((3,))
    model = keras.Model(x, use(MakeMask()(x)))
    out = model(torch.tensor([[1.0, 0.0, 2.0]]))
    assert torch.equal(use.got, torch.tensor([[True, False, True]])) and torch.equal(
        out, torch.tensor([[1.0, 0.0, 2.0]])
    )


def test_constant_tensors_and_unused_inputs():
    x, unused = keras.Input((3,)), keras.Input((1,), name="unused")
    model = keras.Model([x, unused], x + torch.tensor([1.0, 2.0, 3.0]))
    assert torch.equal(
        model([torch.zeros(1, 3), torch.zeros(1, 1)]), torch.tensor([[1.0, 2.0, 3.0]])
    )
    assert "_tkl_constants.c0" not in model.state_dict()  # constants are non-persistent buffers
    assert [layer.name for layer in model.layers][-1] == "unused"


def test_pickle_round_trip_regenerates_the_graph_module():
    x = keras.Input((4,), name="x")
    model = keras.Model(x, Linear(2, name="lin")(torch.relu(x) + torch.ones(4)))
    buffer = io.BytesIO()
    torch.save(model, buffer)
    buffer.seek(0)
    clone = torch.load(buffer, weights_only=False)
    data = torch.randn(3, 4)
    assert torch.allclose(clone(data), model(data)) and clone.graph_module.lin is clone.lin
    assert clone.inputs[0].shape == (None, 4) and clone.lin.output.shape == (None, 2)


def test_deepcopy_and_dtype_conversion():
    x = keras.Input((4,))
    model = keras.Model(x, Linear(2, name="lin")(x))
    clone = copy.deepcopy(model)
    assert clone.lin is not model.lin and clone.graph_module.lin is clone.lin
    data = torch.randn(2, 4)
    assert torch.allclose(clone(data), model(data))
    model.double()
    assert model(data.double()).dtype == torch.float64


def test_layer_named_like_a_model_attribute_keeps_working():
    x = keras.Input((2,))
    model = keras.Model(x, Linear(1, name="output")(x))
    assert list(model.state_dict()) == ["output.kernel", "output.bias"]
    assert model.output.shape == (None, 1)  # the property, not the layer
    assert model(torch.ones(3, 2)).shape == (3, 1)


def test_custom_layer_without_shape_code_gets_inferred_shapes():
    class Pairwise(Layer):
        def call(self, x):
            return x @ x.transpose(1, 2)

    x = keras.Input((None, 4))
    y = Pairwise()(x)
    assert y.shape == (None, None, None)
    assert keras.Model(x, y)(torch.ones(2, 5, 4)).shape == (2, 5, 5)


def test_layer_input_output_errors_before_any_symbolic_call():
    layer = Linear(2, name="never_called")
    with pytest.raises(
        ValueError,
        match="The layer never_called has never been called and thus has no defined output",
    ):
        _ = layer.output
    layer(keras.Input((3,)))
    layer(keras.Input((3,)))
    assert layer.output.shape == (None, 2)


def test_own_input_attribute_is_not_shadowed_by_the_property():
    class Block(Layer):
        def __init__(self):
            super().__init__()
            self.output = Linear(2)
            self.input = "raw"

        def call(self, x):
            return self.output(x)

    block = Block()
    assert isinstance(block.output, Linear) and block.input == "raw"
    assert block(torch.ones(1, 3)).shape == (1, 2)


def test_embedding_mask_reaches_a_layer_taking_mask():
    from torchkeras_lite.layers.core import Embedding

    class MaskedMean(Layer):
        def call(self, x, mask=None):
            weights = mask.to(x.dtype).unsqueeze(-1)
            return (x * weights).sum(dim=1) / weights.sum(dim=1)

    ids = keras.Input((4,), dtype="int64")
    embed = Embedding(10, 3, mask_zero=True)
    model = keras.Model(ids, MaskedMean()(embed(ids)))
    data = torch.tensor([[1, 2, 0, 0]])
    expected = embed.embeddings[[1, 2]].mean(dim=0, keepdim=True)
    assert torch.allclose(model(data), expected)
