"""A tiny training run with BackupAndRestore, run in-process by the tests or as a killable script.

`python backup_worker.py BACKUP_DIR` trains and prints `batch <epoch> <step>` after every batch,
so that a test can SIGKILL it at a chosen point; `run()` is the same training in-process.
"""

import sys
import time

import numpy as np
import torch

import torchkeras_lite as keras
from torchkeras_lite.callbacks import Callback
from torchkeras_lite.callbacks.backup_and_restore import BackupAndRestore
from torchkeras_lite.layers import Layer
from torchkeras_lite.trainers.trainer import Trainer

EPOCHS, SAMPLES, BATCH = 4, 96, 16  # 6 batches per epoch


class Dense(Layer):
    def __init__(self, units, **kwargs):
        super().__init__(**kwargs)
        self.units = units

    def build(self, shape):
        self.kernel = self.add_weight(shape=(shape[-1], self.units), name="kernel")
        self.bias = self.add_weight(shape=(self.units,), initializer="zeros", name="bias")

    def call(self, x):
        return x @ self.kernel + self.bias


class NoisyNet(Trainer, Layer):
    """Two dense layers with dropout-like noise drawn from the global torch generator."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.d1 = Dense(16)
        self.d2 = Dense(1)

    def call(self, x, training=False):
        h = torch.relu(self.d1(x))
        if training:
            h = h * (torch.rand_like(h) > 0.25).to(h.dtype) / 0.75
        return self.d2(h)


class Report(Callback):
    def __init__(self, delay=0.0, crash_at=None):
        super().__init__()
        self.delay, self.crash_at, self.seen = delay, crash_at, 0

    def on_train_batch_end(self, batch, logs=None):
        self.seen += 1
        print(f"batch {self.epoch} {batch}", flush=True)
        if self.crash_at is not None and self.seen == self.crash_at:
            raise RuntimeError("simulated crash")
        time.sleep(self.delay)

    def on_epoch_begin(self, epoch, logs=None):
        self.epoch = epoch


def data():
    rng = np.random.default_rng(0)
    x = rng.normal(size=(SAMPLES, 4)).astype("float32")
    return x, np.sin(x.sum(axis=1, keepdims=True)).astype("float32")


def run(
    backup_dir=None, save_freq="epoch", crash_at=None, delay=0.0, scheduler=False, **backup_kwargs
):
    """Seeds, builds, compiles and fits; returns `(model, history)`."""
    torch.manual_seed(0)
    np.random.seed(0)
    model = NoisyNet()
    model.build((None, 4))
    model.d1.build((None, 4))
    model.d2.build((None, 16))
    sched = (
        (lambda opt: torch.optim.lr_scheduler.StepLR(opt, step_size=1, gamma=0.5))
        if scheduler
        else None
    )
    model.compile(optimizer=keras.optimizers.Adam(0.01), loss="mse", lr_scheduler=sched)
    callbacks = [Report(delay, crash_at)]
    if backup_dir is not None:
        callbacks.insert(0, BackupAndRestore(backup_dir, save_freq=save_freq, **backup_kwargs))
    x, y = data()
    history = model.fit(
        x, y, epochs=EPOCHS, batch_size=BATCH, shuffle=True, callbacks=callbacks, verbose=0
    )
    return model, history


if __name__ == "__main__":
    run(sys.argv[1], save_freq=int(sys.argv[2]), delay=0.01)
