"""Functional models of built-in layers work with `torch.export` and `torch.compile(fullgraph=True)`."""

import pytest
import torch

import torchkeras_lite as keras
from torchkeras_lite.layers.core import Dense
from torchkeras_lite.layers.normalization import BatchNormalization
from torchkeras_lite.layers.regularization import Dropout


def _model():
    x = keras.Input((8,), name="x")
    h = Dense(16, activation="relu")(x)
    h = Dropout(0.2)(BatchNormalization()(h))
    y = Dense(3)(h + torch.tanh(h))
    return keras.Model(x, y)


def test_torch_export_of_a_functional_model():
    model = _model()
    data = torch.randn(4, 8)
    exported = torch.export.export(model, (data,))
    assert torch.allclose(exported.module()(data), model(data), atol=1e-6)
    targets = {str(n.target) for n in exported.graph.nodes if n.op == "call_function"}
    assert "aten.tanh.default" in targets and "aten.relu.default" in targets


@pytest.mark.slow
def test_torch_compile_without_graph_breaks():
    model = _model()
    data = torch.randn(4, 8)
    compiled = torch.compile(model, fullgraph=True)
    assert torch.allclose(compiled(data), model(data), atol=1e-5)
    model.train()
    compiled(data, training=True)  # the training branch compiles too
