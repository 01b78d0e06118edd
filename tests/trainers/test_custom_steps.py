"""Custom train_step / test_step the way Keras 3 documents them for torch, including a GAN."""

import numpy as np
import torch

import torchkeras_lite as keras
from tests.trainers.helpers import Lin, regression_data


class CustomFit(keras.Model):
    """Keras' documented torch pattern, minus `zero_grad` (we zero gradients before the step)."""

    def __init__(self):
        super().__init__()
        self.lin = Lin(1)

    def call(self, x):
        return self.lin(x)

    def train_step(self, data):
        x, y = data
        y_pred = self(x, training=True)
        loss = self.compute_loss(y=y, y_pred=y_pred)
        loss.backward()
        weights = self.trainable_weights
        grads = [w.value.grad for w in weights]
        with torch.no_grad():
            self.optimizer.apply(grads, weights)
        for metric in self.metrics:
            if metric.name == "loss":
                metric.update_state(loss)
            else:
                metric.update_state(y, y_pred)
        return {m.name: m.result() for m in self.metrics}


def test_custom_train_step_trains_and_gradients_do_not_accumulate():
    x, y = regression_data(n=64)
    model = CustomFit()
    model.compile(optimizer=keras.optimizers.SGD(0.05), loss="mse", metrics=["mae"])
    history = model.fit(x, y, epochs=4, batch_size=16, verbose=0)
    assert history.history["loss"][-1] < history.history["loss"][0]
    assert set(history.history) == {"loss", "mae"}
    assert model.metrics_names == ["loss", "compile_metrics"]


class GAN(keras.Model):
    def __init__(self):
        super().__init__()
        self.generator = Lin(2)
        self.discriminator = Lin(1)

    def call(self, z):
        return self.generator(z)

    def compile(self, d_optimizer, g_optimizer):
        super().compile()
        self.d_optimizer, self.g_optimizer = d_optimizer, g_optimizer
        self.d_loss_tracker = keras.metrics.Mean(name="d_loss")
        self.g_loss_tracker = keras.metrics.Mean(name="g_loss")

    @property
    def metrics(self):
        return [self.d_loss_tracker, self.g_loss_tracker]

    def train_step(self, real):
        if isinstance(real, tuple):
            real = real[0]
        bce = torch.nn.functional.binary_cross_entropy_with_logits
        z = torch.randn(real.shape[0], 3)
        fake = self.generator(z).detach()
        logits = self.discriminator(torch.cat([fake, real]))
        labels = torch.cat([torch.ones(real.shape[0], 1), torch.zeros(real.shape[0], 1)])
        d_loss = bce(logits, labels)
        d_weights = self.discriminator.trainable_weights
        grads = torch.autograd.grad(d_loss, d_weights)
        self.d_optimizer.apply(grads, d_weights)
        g_loss = bce(
            self.discriminator(self.generator(torch.randn(real.shape[0], 3))),
            torch.zeros(real.shape[0], 1),
        )
        g_weights = self.generator.trainable_weights
        grads = torch.autograd.grad(g_loss, g_weights)
        self.g_optimizer.apply(grads, g_weights)
        self.d_loss_tracker.update_state(d_loss.detach())
        self.g_loss_tracker.update_state(g_loss.detach())
        return {"d_loss": self.d_loss_tracker.result(), "g_loss": self.g_loss_tracker.result()}


def test_gan_with_two_optimizers_updates_both_networks():
    real = (np.random.default_rng(0).normal(size=(64, 2)) + 3).astype("float32")
    gan = GAN()
    gan(torch.zeros(1, 3))
    gan.discriminator(torch.zeros(1, 2))
    g_before = [w.detach().clone() for w in gan.generator.weights]
    d_before = [w.detach().clone() for w in gan.discriminator.weights]
    gan.compile(keras.optimizers.Adam(1e-2), keras.optimizers.Adam(1e-2))
    history = gan.fit(real, epochs=2, batch_size=16, verbose=0)
    assert set(history.history) == {"d_loss", "g_loss"} and len(history.history["d_loss"]) == 2
    assert all(not torch.equal(a, b) for a, b in zip(g_before, gan.generator.weights))
    assert all(not torch.equal(a, b) for a, b in zip(d_before, gan.discriminator.weights))
