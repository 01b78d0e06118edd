"""Fakes for callback tests: a model object with the attributes the callbacks use."""

import numpy as np
import pytest
import torch


class FakeModel:
    """What callbacks touch: `stop_training`, `optimizer`, `get_weights` / `set_weights`, `history`.

    Its single "weight" is a marker the test sets each epoch (`model.weights_value = epoch`).
    """

    def __init__(self, optimizer=None):
        self.stop_training = False
        self.optimizer = optimizer
        self.weights_value = 0.0
        self.set_weights_calls = []
        self.history = None

    def get_weights(self):
        return [np.array([self.weights_value], dtype="float32")]

    def set_weights(self, weights):
        self.set_weights_calls.append([np.array(w) for w in weights])
        self.weights_value = float(np.asarray(weights[0])[0])


@pytest.fixture
def make_model():
    """The `FakeModel` class, to build several."""
    return FakeModel


@pytest.fixture
def fake_model():
    return FakeModel()


@pytest.fixture
def sgd_model():
    param = torch.nn.Parameter(torch.zeros(3))
    return FakeModel(optimizer=torch.optim.SGD([param], lr=1.0))
