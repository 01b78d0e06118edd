"""Functional configs: JSON round trips with torch ops, custom layers, and the serialization errors."""

import json

import pytest
import torch
from torch import nn

import torchkeras_lite as keras
from torchkeras_lite.layers import Layer


@keras.saving.register_keras_serializable(package="tests_models")
class Affine(Layer):
    def __init__(self, units, **kwargs):
        super().__init__(**kwargs)
        self.units = units

    def build(self, input_shape):
        self.kernel = self.add_weight(shape=(input_shape[-1], self.units), name="kernel")
        self.bias = self.add_weight(shape=(self.units,), initializer="ones", name="bias")

    def call(self, x):
        return x @ self.kernel + self.bias

    def get_config(self):
        return {**super().get_config(), "units": self.units}


class Unregistered(Affine):
    pass


def _round_trip(model, **kwargs):
    config = json.loads(json.dumps(model.get_config()))
    clone = keras.Model.from_config(config, **kwargs)
    clone.set_weights(model.get_weights())
    return config, clone


def test_round_trip_with_shared_layers_torch_ops_and_dict_io():
    a, b = keras.Input((4,), name="a"), keras.Input((4,), name="b")
    shared = Affine(3, name="shared")
    h = torch.cat([shared(a), shared(b)], dim=-1)[:, 1:]
    h = torch.relu(h.reshape(-1, 5) * 2) + torch.tensor([1.0, 0.0, 0.0, 0.0, 1.0])
    model = keras.Model({"a": a, "b": b}, {"out": Affine(2, name="head")(h), "aux": h.mean(dim=1)})
    config, clone = _round_trip(model)
    assert config["input_layers"] == {"a": ["a", 0, 0], "b": ["b", 0, 0]}
    assert config["output_layers"]["out"] == ["head", 0, 0]
    entries = {e["name"]: e for e in config["layers"]}
    assert entries["cat"]["config"] == {
        "name": "cat",
        "kind": "call_function",
        "function": "torch.cat",
    }
    assert (
        entries["mul"]["config"]["function"] == "torch.Tensor.mul"
        and len(entries["shared"]["inbound_nodes"]) == 2
    )
    assert entries["shared"]["registered_name"] == "tests_models>Affine"
    assert [op.name for op in clone.operations] == [op.name for op in model.operations]
    data = {"a": torch.randn(3, 4), "b": torch.randn(3, 4)}
    out, ref = clone(data), model(data)
    assert all(torch.allclose(out[k], ref[k]) for k in ref)


def test_nested_models_round_trip():
    i = keras.Input((3,))
    inner = keras.Model(i, Affine(2, name="inner_dense")(i), name="inner")
    seq = keras.Sequential([keras.Input((2,)), Affine(2, name="seq_dense")], name="seq")
    j = keras.Input((3,))
    outer = keras.Model(j, seq(inner(j)), name="outer")
    config, clone = _round_trip(outer)
    assert [e["class_name"] for e in config["layers"]] == ["InputLayer", "Functional", "Sequential"]
    data = torch.randn(2, 3)
    assert torch.allclose(clone(data), outer(data)) and clone.get_layer("inner").name == "inner"


def test_custom_objects_and_unknown_class_error():
    x = keras.Input((2,))
    model = keras.Model(x, Unregistered(1, name="custom")(x))
    config = json.loads(json.dumps(model.get_config()))
    with pytest.raises(
        ValueError, match=r"Could not locate class 'Unregistered'.*register_keras_serializable"
    ):
        keras.Model.from_config(config)
    clone = keras.Model.from_config(config, custom_objects={"Unregistered": Unregistered})
    assert isinstance(clone.get_layer("custom"), Unregistered)


def test_unserializable_graphs_raise_at_get_config():
    x = keras.Input((4,))
    with_native = keras.Model(x, nn.Linear(4, 2)(x))
    with pytest.raises(ValueError, match=r"layer 'linear' is a native torch module \(Linear\)"):
        with_native.get_config()
    shared_weight = Affine(4, name="tied")
    h = shared_weight(x)
    tied = keras.Model(x, h @ shared_weight.kernel)
    with pytest.raises(ValueError, match=r"operation 'matmul'.*argument.*is not JSON-serializable"):
        tied.get_config()


def test_layers_serialize_deserialize_and_get():
    layer = Affine(3, name="solo")
    layer(torch.ones(1, 5))
    config = keras.layers.serialize(layer)
    assert config["build_config"] == {"input_shape": [1, 5]} and config["class_name"] == "Affine"
    clone = keras.layers.deserialize(json.loads(json.dumps(config)))
    assert isinstance(clone, Affine) and clone.built and tuple(clone.kernel.shape) == (5, 3)
    assert keras.layers.get(layer) is layer and type(keras.layers.get("Layer")) is Layer
    assert keras.layers.get(None) is None and keras.layers.get(config).units == 3
    with pytest.raises(ValueError, match="Could not interpret layer identifier"):
        keras.layers.get(3)
    with pytest.raises(ValueError, match="Cannot serialize Linear: it is not a keras Layer"):
        keras.layers.serialize(nn.Linear(2, 2))
