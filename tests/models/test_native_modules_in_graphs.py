"""Native `torch.nn.Module`s called on KerasTensors become one `call_module` node each."""

import sys

import pytest
import torch
from torch import nn

import torchkeras_lite as keras
from torchkeras_lite.layers import Layer


class Scale(Layer):
    def build(self, input_shape):
        self.w = self.add_weight(shape=(input_shape[-1],), initializer="ones", name="w")

    def call(self, x):
        return x * self.w


class TwoHeads(nn.Module):
    def __init__(self):
        super().__init__()
        self.q = nn.Linear(4, 4)

    def forward(self, x):
        batch, features = x.shape  # concrete sizes inside a native module
        return self.q(x).view(batch, 2, features // 2), torch.tanh(x)


def test_native_modules_are_single_call_module_nodes():
    x = keras.Input((8,), name="x")
    h = nn.Linear(8, 4)(x)
    h = nn.Sequential(nn.LayerNorm(4), Scale(), nn.ReLU())(h)  # a Layer inside a native container
    pair, tanh = TwoHeads()(h)
    model = keras.Model(x, [pair, tanh])
    calls = [n.target for n in model.graph_module.graph.nodes if n.op == "call_module"]
    assert calls == ["linear", "sequential", "two_heads"]
    assert pair.shape == (None, 2, 2) and tanh.shape == (None, 4)
    assert list(model.state_dict()) == [
        "linear.weight",
        "linear.bias",
        "sequential.0.weight",
        "sequential.0.bias",
        "sequential.1.w",
        "two_heads.q.weight",
        "two_heads.q.bias",
    ]
    data = torch.randn(3, 8)
    ref = model.sequential(model.linear(data))
    out = model(data)
    assert torch.allclose(out[0], model.two_heads.q(ref).view(3, 2, 2)) and torch.allclose(
        out[1], torch.tanh(ref)
    )
    assert model.get_layer("two_heads") is model.two_heads


def test_lazy_native_module_materializes_real_weights():
    x = keras.Input((5,))
    y = nn.LazyLinear(3)(x)
    model = keras.Model(x, y)
    weight = model.graph_module.get_submodule(
        next(n.target for n in model.graph_module.graph.nodes if n.op == "call_module")
    ).weight
    assert tuple(weight.shape) == (3, 5) and not isinstance(
        weight, torch.nn.parameter.UninitializedParameter
    )
    assert model(torch.ones(2, 5)).shape == (2, 3)


def test_native_dropout_and_batchnorm_follow_the_training_flag():
    x = keras.Input((6,))
    model = keras.Model(x, nn.Dropout(0.5)(nn.BatchNorm1d(6)(x)))
    data = torch.randn(64, 6) * 3 + 1
    out = model(data)  # inference: running stats (0 mean, 1 var), no dropout
    assert torch.allclose(out, data / torch.sqrt(torch.tensor(1.0 + 1e-5)), atol=1e-5)
    trained = model(data, training=True)
    assert (trained == 0).any()
    assert not torch.equal(model.batch_norm1d.running_mean, torch.zeros(6))


def test_shape_error_inside_a_native_module_names_the_op_and_module():
    x = keras.Input((4,))
    with pytest.raises(
        RuntimeError, match=r"torch.nn.functional.linear` \(inside Linear.forward\(\)\)"
    ):
        nn.Linear(5, 2)(x)
    assert sys.getprofile() is None  # the return hook is gone after the failed call
    assert nn.Linear(4, 2)(x).shape == (None, 2)
