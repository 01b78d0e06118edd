"""Subclassed models: layers, training/mask propagation, build, symbolic calls, functional subclassing."""

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


class MLP(keras.Model):
    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.hidden = Linear(8, name="hidden")
        self.blocks = [Linear(8), Linear(8)]
        self.native = nn.Linear(8, 8)
        self.head = Linear(2, name="head")

    def call(self, x, training=None):
        self.seen_training = training
        h = torch.relu(self.hidden(x))
        for block in self.blocks:
            h = block(h)
        return self.head(self.native(h))


def test_subclassed_model_is_a_layer_with_layers():
    model = MLP(name="mlp")
    assert isinstance(model, keras.layers.Layer) and model.name == "mlp"
    assert [layer.name for layer in model.layers] == ["hidden", "linear", "linear_1", "head"]
    assert not model.built
    with pytest.raises(ValueError, match="isn't built"):
        model.count_params()
    out = model(torch.ones(3, 4), training=True)
    assert out.shape == (3, 2) and model.seen_training is True and model.built
    assert model.count_params() == 4 * 8 + 8 * 8 * 2 + (8 * 8 + 8) + 8 * 2
    assert model.get_layer("head") is model.head
    with pytest.raises(
        ValueError,
        match=r"No such layer: x. Existing layers are: \['hidden', 'linear', 'linear_1', 'head'\]",
    ):
        model.get_layer("x")


def test_build_creates_all_weights_without_data():
    model = MLP()
    model.build((None, 5))
    assert model.built and tuple(model.hidden.kernel.shape) == (5, 8)
    assert model.count_params() == 5 * 8 + 8 * 8 * 2 + (8 * 8 + 8) + 8 * 2
    assert not any(type(w).__name__ == "FakeTensor" for w in model.weights)
    with pytest.raises(ValueError, match="You must provide an `input_shape` argument"):
        MLP().build()


def test_subclassed_model_inside_a_functional_model():
    x = keras.Input((4,), name="x")
    mlp = MLP(name="inner_mlp")
    y = mlp(x)
    assert y.shape == (None, 2) and mlp.built
    model = keras.Model(x, y * 2)
    data = torch.randn(2, 4)
    assert torch.allclose(model(data), mlp(data) * 2)
    assert list(model.state_dict())[0] == "inner_mlp.hidden.kernel"


def test_model_without_call_and_positional_args_errors():
    class Empty(keras.Model):
        pass

    with pytest.raises(TypeError, match=r"Model 'empty' \(Empty\) does not define `call\(\)`"):
        Empty()(torch.ones(1))
    with pytest.raises(TypeError, match="got unexpected positional arguments"):
        keras.Model(keras.Input((1,)))


def test_subclass_calling_super_init_with_inputs_and_outputs_is_functional():
    class Wrapped(keras.Model):
        def __init__(self, units):
            inputs = keras.Input((3,))
            outputs = Linear(units, name="proj")(inputs)
            super().__init__(inputs, outputs, name="wrapped")
            self.units = units

        def describe(self):
            return f"{self.name}:{self.units}"

    model = Wrapped(2)
    assert isinstance(model, Wrapped) and type(model).__name__ == "Wrapped"
    assert model.describe() == "wrapped:2" and model.graph_module is not None
    assert model(torch.ones(4, 3)).shape == (4, 2) and model.output_shape == (None, 2)
