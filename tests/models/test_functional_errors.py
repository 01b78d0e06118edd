"""Construction-time and call-time errors of functional models, each naming the layer and shapes."""

import pytest
import torch

import torchkeras_lite as keras
from torchkeras_lite.layers import InputSpec, Layer


class Linear(Layer):
    def __init__(self, units, **kwargs):
        super().__init__(**kwargs)
        self.units = units

    def build(self, input_shape):
        self.kernel = self.add_weight(shape=(input_shape[-1], self.units), name="kernel")
        self.input_spec = InputSpec(min_ndim=2, axes={-1: input_shape[-1]})

    def call(self, x):
        return x @ self.kernel


class NoSpecLinear(Layer):
    def build(self, input_shape):
        self.kernel = self.add_weight(shape=(5, 2), name="kernel")

    def call(self, x):
        return x @ self.kernel


def test_built_layer_called_on_a_different_last_dimension():
    layer = Linear(3, name="dense_a")
    layer(keras.Input((4,)))
    with pytest.raises(
        ValueError, match=r"layer 'dense_a' is incompatible.*value 4.*shape \(None, 7\)"
    ):
        layer(keras.Input((7,)))


def test_shape_errors_found_while_inferring_name_the_layer_and_shapes():
    with pytest.raises(
        RuntimeError, match=r"NoSpecLinear.call\(\) of layer 'bad'.*shape \(None, 3\)"
    ):
        NoSpecLinear(name="bad")(keras.Input((3,)))


def test_input_spec_rank_error():
    class Needs3D(Layer):
        def __init__(self):
            super().__init__(name="needs3d")
            self.input_spec = InputSpec(ndim=3)

    with pytest.raises(
        ValueError, match=r"Input 0 of layer 'needs3d'.*expected ndim=3, found ndim=2"
    ):
        Needs3D()(keras.Input((4,)))


def test_outputs_not_connected_to_the_inputs_name_the_missing_input():
    a, b = keras.Input((2,), name="a"), keras.Input((2,), name="b")
    y = Linear(1, name="joint")(a + b)
    with pytest.raises(ValueError, match=r"Graph disconnected.*input 'b'.*needed by layer 'add'"):
        keras.Model(a, y)


def test_inputs_must_come_from_keras_input():
    x = keras.Input((2,))
    h = Linear(3, name="mid")(x)
    with pytest.raises(ValueError, match=r"created by `keras.Input\(\)`.*produced by layer 'mid'"):
        keras.Model(h, Linear(1)(h))
    with pytest.raises(
        ValueError, match=r"All `inputs` values must be KerasTensors.*Received: inputs\[0\]=tensor"
    ):
        keras.Model(torch.ones(2), h)
    with pytest.raises(ValueError, match=r"All `outputs` values must be KerasTensors"):
        keras.Model(x, [h, 3])


def test_duplicate_layer_names():
    x = keras.Input((2,))
    y = Linear(2, name="twin")(Linear(2, name="twin")(x))
    with pytest.raises(ValueError, match=r'The name "twin" is used 2 times in the model'):
        keras.Model(x, y)


def test_calling_on_real_data_checks_structure_and_shapes():
    a, b = keras.Input((3,), name="a"), keras.Input((2,), name="b")
    model = keras.Model([a, b], Linear(1)(a) + Linear(1)(b), name="two")
    with pytest.raises(
        ValueError, match=r"Model 'two' expects 2 input\(s\), but it received 1 input tensors"
    ):
        model(torch.ones(4, 3))
    with pytest.raises(
        ValueError,
        match=r"Input 1 \('b'\) of model 'two'.*expected shape=\(None, 2\).*found shape=\(4, 5\)",
    ):
        model([torch.ones(4, 3), torch.ones(4, 5)])
    with pytest.raises(ValueError, match=r"missing the input 'b'.*expected keys \['a', 'b'\]"):
        model({"a": torch.ones(4, 3)})
    assert model([torch.ones(7, 3), torch.ones(7, 2)]).shape == (7, 1)  # any batch size


def test_get_layer_errors():
    x = keras.Input((2,), name="x")
    model = keras.Model(x, Linear(1, name="only")(x))
    with pytest.raises(
        ValueError, match=r"No such layer: nope. Existing layers are: \['x', 'only'\]"
    ):
        model.get_layer("nope")
    with pytest.raises(
        ValueError, match="Was asked to retrieve layer at index 9 but model only has 2 layers"
    ):
        model.get_layer(index=9)
    with pytest.raises(ValueError, match="Provide only a layer name or a layer index"):
        model.get_layer("only", 1)
    with pytest.raises(AttributeError, match="`Model.layers` attribute is reserved"):
        model.layers = []


def test_built_in_layers_report_incompatible_shapes():
    from torchkeras_lite.layers import Concatenate, Dense

    dense = Dense(3, name="d3")
    dense(keras.Input((4,)))
    with pytest.raises(ValueError, match=r"layer 'd3' is incompatible.*value 4.*shape \(None, 5\)"):
        dense(keras.Input((5,)))
    with pytest.raises(
        ValueError, match=r"building layer 'cat'.*\[\(None, 2, 3\), \(None, 3, 3\)\]"
    ):
        Concatenate(name="cat")([keras.Input((2, 3)), keras.Input((3, 3))])
