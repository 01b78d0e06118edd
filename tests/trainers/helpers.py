"""Small models shared by the trainer tests (plain subclassed models, no built-in layers needed)."""

import numpy as np
import torch

import torchkeras_lite as keras
from torchkeras_lite.layers import Layer


class Lin(Layer):
    def __init__(self, units, **kwargs):
        super().__init__(**kwargs)
        self.units = units

    def build(self, shape):
        self.kernel = self.add_weight(shape=(shape[-1], self.units), name="kernel")
        self.bias = self.add_weight(shape=(self.units,), initializer="zeros", name="bias")

    def call(self, x):
        return x @ self.kernel + self.bias


class FlagProbe(Layer):
    """Records every training flag it sees."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.seen = []

    def call(self, x, training=None):
        self.seen.append(training)
        return x


class Deep(Layer):
    """A probe nested two levels deep under calls that do not declare `training`."""

    def __init__(self):
        super().__init__()
        self.inner = FlagProbeHolder()

    def call(self, x):
        return self.inner(x)


class FlagProbeHolder(Layer):
    def __init__(self):
        super().__init__()
        self.probe = FlagProbe()

    def call(self, x):
        return self.probe(x)


class MLP(keras.Model):
    def __init__(self, hidden=16, out=1, softmax=False, **kwargs):
        super().__init__(**kwargs)
        self.a = Lin(hidden)
        self.b = Lin(out)
        self.deep = Deep()
        self.softmax = softmax

    def call(self, x):
        y = self.b(torch.relu(self.a(self.deep(x))))
        return torch.softmax(y, -1) if self.softmax else y


def regression_data(n=96, d=4, seed=0):
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(n, d)).astype("float32")
    y = (x @ rng.normal(size=(d, 1)) + 0.1).astype("float32")
    return x, y


def classification_data(n=128, d=6, classes=3, seed=0):
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(n, d)).astype("float32")
    y = np.argmax(x[:, :classes], axis=1).astype("int64")
    return x, y
