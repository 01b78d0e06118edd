"""ModelCheckpoint: file name templates, save_best_only, weights-only, batch frequency, errors."""

import os

import numpy as np
import pytest
import torch

import torchkeras_lite as keras
from torchkeras_lite.callbacks.model_checkpoint import ModelCheckpoint
from torchkeras_lite.layers import Layer
from torchkeras_lite.saving import load_model
from torchkeras_lite.saving.model_saving import SavingMixin
from torchkeras_lite.trainers.trainer import Trainer


@keras.saving.register_keras_serializable("checkpoint_tests")
class CkptNet(SavingMixin, Trainer, Layer):
    def __init__(self, **kwargs):
        super().__init__(**kwargs)

    def build(self, shape):
        self.kernel = self.add_weight(shape=(shape[-1], 1), name="kernel")

    def call(self, x):
        return x @ self.kernel


def _fit(callback, epochs=3, validation=True, **fit_kwargs):
    torch.manual_seed(0)
    rng = np.random.default_rng(0)
    x = rng.normal(size=(40, 3)).astype("float32")
    y = (x @ np.array([[1.0], [-2.0], [0.5]])).astype("float32")
    model = CkptNet()
    model.build((None, 3))
    model.compile(optimizer=keras.optimizers.SGD(0.05), loss="mse")
    kwargs = {"validation_data": (x[:8], y[:8])} if validation else {}
    history = model.fit(
        x, y, epochs=epochs, batch_size=8, callbacks=[callback], verbose=0, **kwargs, **fit_kwargs
    )
    return model, history


def test_epoch_templates_with_metrics(tmp_path):
    template = str(tmp_path / "ckpt-{epoch:02d}-{val_loss:.2f}.weights.safetensors")
    model, history = _fit(ModelCheckpoint(template, save_weights_only=True))
    names = sorted(os.listdir(tmp_path))
    expected = [
        f"ckpt-{e + 1:02d}-{v:.2f}.weights.safetensors"
        for e, v in enumerate(history.history["val_loss"])
    ]
    assert names == sorted(expected)
    twin = CkptNet()
    twin.build((None, 3))
    twin.load_weights(tmp_path / expected[-1])
    assert torch.equal(twin.kernel, model.kernel)


def test_full_model_checkpoints_load(tmp_path):
    model, _ = _fit(ModelCheckpoint(str(tmp_path / "m-{epoch}.keras")), epochs=2)
    loaded = load_model(tmp_path / "m-2.keras")
    assert torch.equal(loaded.kernel, model.kernel) and loaded.optimizer.iterations.item() == 10


def test_save_best_only_keeps_improvements(tmp_path, capsys):
    path = tmp_path / "best.keras"
    callback = ModelCheckpoint(str(path), monitor="loss", save_best_only=True, verbose=1)
    _, history = _fit(callback, epochs=3, validation=False)
    losses = history.history["loss"]
    assert losses == sorted(losses, reverse=True)  # improving every epoch: always saved
    out = capsys.readouterr().out
    assert (
        "Epoch 1: loss improved from None to" in out
        and f"{losses[-1]:.5f}, saving model to {path}" in out
    )
    assert callback.best == losses[-1]


def test_initial_value_threshold_blocks_worse_models(tmp_path, capsys):
    path = tmp_path / "best.keras"
    callback = ModelCheckpoint(
        str(path), monitor="val_loss", save_best_only=True, initial_value_threshold=0.0, verbose=1
    )
    _fit(callback, epochs=2)
    assert not path.exists()
    assert "val_loss did not improve from 0.00000" in capsys.readouterr().out


def test_mode_max_and_missing_monitor(tmp_path, capsys):
    path = tmp_path / "w.weights.safetensors"
    callback = ModelCheckpoint(
        str(path),
        monitor="loss",
        mode="max",
        save_best_only=True,
        save_weights_only=True,
        verbose=1,
    )
    _, history = _fit(callback, epochs=3, validation=False)
    out = capsys.readouterr().out
    assert out.count("saving model to") == 1 and out.count("did not improve") == 2
    assert callback.best == history.history["loss"][0] and path.exists()
    with pytest.warns(UserWarning, match="Can save best model only with val_acc available"):
        _fit(
            ModelCheckpoint(str(tmp_path / "x.keras"), monitor="val_acc", save_best_only=True),
            epochs=1,
        )
    assert (tmp_path / "x.keras").exists()


def test_integer_save_freq_counts_batches(tmp_path):
    template = str(tmp_path / "e{epoch}-b{batch}.weights.safetensors")
    _fit(ModelCheckpoint(template, save_weights_only=True, save_freq=3), epochs=2, validation=False)
    # 5 batches per epoch, a save every 3 batches: global batches 3, 6, 9.
    assert sorted(os.listdir(tmp_path)) == sorted(
        ["e1-b3.weights.safetensors", "e2-b1.weights.safetensors", "e2-b4.weights.safetensors"]
    )


def test_argument_errors(tmp_path):
    with pytest.raises(ValueError, match=r"must end in `\.weights\.safetensors`"):
        ModelCheckpoint(str(tmp_path / "w.h5"), save_weights_only=True)
    with pytest.raises(ValueError, match=r"must end in `\.keras`"):
        ModelCheckpoint(str(tmp_path / "w.weights.safetensors"))
    with pytest.raises(ValueError, match="Unrecognized save_freq"):
        ModelCheckpoint(str(tmp_path / "m.keras"), save_freq="batch")
    with pytest.raises(KeyError, match="Failed to format this callback filepath"):
        _fit(ModelCheckpoint(str(tmp_path / "{nope}.keras")), epochs=1)
    (tmp_path / "dir.keras").mkdir()
    with pytest.raises(OSError, match="non-directory filepath"):
        _fit(ModelCheckpoint(str(tmp_path / "dir.keras")), epochs=1)
