"""Small registered layers and a subclassed trainable model for the saving tests."""

import numpy as np
import torch

import torchkeras_lite as keras
from torchkeras_lite.layers import Layer
from torchkeras_lite.saving.model_saving import SavingMixin
from torchkeras_lite.trainers.trainer import Trainer


@keras.saving.register_keras_serializable("saving_tests")
class Lin(Layer):
    def __init__(self, units=3, **kwargs):
        super().__init__(**kwargs)
        self.units = units

    def build(self, shape):
        self.kernel = self.add_weight(shape=(shape[-1], self.units), name="kernel")
        self.bias = self.add_weight(shape=(self.units,), initializer="zeros", name="bias")

    def call(self, x):
        return x @ self.kernel + self.bias

    def get_config(self):
        return {**super().get_config(), "units": self.units}


@keras.saving.register_keras_serializable("saving_tests")
class Noise(Layer):
    """Dropout-like noise from the global torch generator (exercises RNG restoring)."""

    def call(self, x, training=False):
        if not training:
            return x
        return x * (torch.rand_like(x) > 0.3).to(x.dtype) / 0.7


@keras.saving.register_keras_serializable("saving_tests")
class Net(SavingMixin, Trainer, Layer):
    """A subclassed model: two `Lin` layers, built from the input shape in `build`."""

    def __init__(self, hidden=8, outputs=1, noise=False, **kwargs):
        super().__init__(**kwargs)
        self.hidden, self.outputs, self.noise = hidden, outputs, noise
        self.l1 = Lin(hidden, name="l1")
        self.drop = Noise(name="drop")
        self.l2 = Lin(outputs, name="l2")

    def build(self, shape):
        self.l1.build(shape)
        self.l2.build((None, self.hidden))

    def call(self, x, training=False):
        h = torch.tanh(self.l1(x))
        if self.noise:
            h = self.drop(h, training=training)
        return self.l2(h)

    def get_config(self):
        config = {"hidden": self.hidden, "outputs": self.outputs, "noise": self.noise}
        return {**super().get_config(), **config}


def data(n=64, features=4, seed=0):
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(n, features)).astype("float32")
    y = (x @ rng.normal(size=(features, 1))).astype("float32")
    return x, y


def built_net(seed=0, **kwargs):
    torch.manual_seed(seed)
    model = Net(**kwargs)
    model.build((None, 4))
    return model


def weights_equal(a, b):
    sa, sb = a.state_dict(), b.state_dict()
    return list(sa) == list(sb) and all(torch.equal(sa[k], sb[k]) for k in sa)
