"""Sequential: add/pop, the input shape from an Input, `input_shape=`, `build` or the first call."""

import pytest
import torch
from torch import nn

import torchkeras_lite as keras
from torchkeras_lite.layers import Layer


class Linear(Layer):
    def __init__(self, units, **kwargs):
        super().__init__(**kwargs)
        self.units = units

    def build(self, input_shape):
        self.kernel = self.add_weight(shape=(input_shape[-1], self.units), name="kernel")

    def call(self, x):
        return x @ self.kernel

    def get_config(self):
        return {**super().get_config(), "units": self.units}


def test_input_first_makes_it_functional_at_once():
    model = keras.Sequential(
        [keras.Input((4,)), Linear(3, name="a"), nn.ReLU(), Linear(2, name="b")]
    )
    assert model.built and model.input_shape == (None, 4) and model.output_shape == (None, 2)
    assert [getattr(layer, "name", None) for layer in model.layers] == ["a", None, "b"]
    assert [n.op for n in model.graph_module.graph.nodes] == [
        "placeholder",
        *["call_module"] * 3,
        "output",
    ]
    assert list(model.state_dict()) == ["a.kernel", "b.kernel"]
    assert model.layers[0].output.shape == (None, 3)
    data = torch.randn(5, 4)
    assert torch.allclose(model(data), torch.relu(data @ model.a.kernel) @ model.b.kernel)


def test_input_shape_from_first_layer_argument_and_add_pop():
    model = keras.Sequential(name="stack")
    model.add(Linear(3, input_shape=(6,), name="first"))
    assert model.input_shape == (None, 6) and model.output_shape == (None, 3)
    model.add(Linear(5, name="second"))
    assert model.output_shape == (None, 5) and model.count_params() == 6 * 3 + 3 * 5
    popped = model.pop()
    assert popped.name == "second" and model.output_shape == (None, 3)
    assert list(model.state_dict()) == ["first.kernel"]
    model.pop()
    with pytest.raises(TypeError, match="There are no layers in the Sequential model 'stack'"):
        model.pop()


def test_lazy_input_shape_from_the_first_call_and_build():
    model = keras.Sequential([Linear(3), Linear(1)])
    assert not model.built and model.functional is None
    with pytest.raises(AttributeError, match="has no defined input shape yet"):
        _ = model.input_shape
    assert model(torch.ones(2, 7)).shape == (2, 1)
    assert model.input_shape == (None, 7) and model.graph_module is not None
    built = keras.Sequential([Linear(2)])
    built.build((None, 3))
    assert built.output_shape == (None, 2) and built.count_params() == 6


def test_sequential_errors_name_the_offender():
    model = keras.Sequential()
    with pytest.raises(
        ValueError, match=r"Only instances of `keras.Layer`.*Received: 'dense' \(of type str\)"
    ):
        model.add("dense")
    model.add(Linear(2, name="dup"))
    with pytest.raises(ValueError, match="Name 'dup' is already the name of a layer in this model"):
        model.add(Linear(2, name="dup"))

    class Split(Layer):
        def call(self, x):
            return x[:, :1], x[:, 1:]

    with pytest.raises(
        ValueError, match=r"single output tensor.*layer 'two_way' returned tuple of 2 outputs"
    ):
        keras.Sequential([keras.Input((4,)), Split(name="two_way")])


def test_sequential_inside_functional_and_config_round_trip():
    seq = keras.Sequential([keras.Input((4,)), Linear(3, name="l1")], name="seq")
    config = seq.get_config()
    assert config["layers"][0]["class_name"] == "InputLayer" and config["build_input_shape"] == [
        None,
        4,
    ]
    clone = keras.Sequential.from_config(config, custom_objects={"Linear": Linear})
    assert clone.input_shape == (None, 4) and clone.output_shape == (None, 3)
    x = keras.Input((4,))
    outer = keras.Model(x, seq(x) + 1)
    assert torch.allclose(outer(torch.ones(1, 4)), seq(torch.ones(1, 4)) + 1)


def test_sequential_without_input_becomes_functional_when_called_symbolically():
    seq = keras.Sequential([Linear(2, name="inner")])
    x = keras.Input((5,))
    model = keras.Model(x, seq(x))
    assert seq.functional is not None and seq.input_shape == (None, 5)
    assert torch.allclose(model(torch.ones(1, 5)), torch.ones(1, 5) @ seq.inner.kernel)
