"""Sequential and functional models of built-in layers: save, load, continue training."""

import numpy as np
import pytest
import torch

import torchkeras_lite as keras
from tests.saving.helpers import data
from torchkeras_lite.layers import BatchNormalization, Dense, Dropout
from torchkeras_lite.models import Input, Model, Sequential
from torchkeras_lite.saving import load_model, save_model


def _sequential():
    return Sequential(
        [Input((4,)), Dense(16, activation="relu"), Dropout(0.2), BatchNormalization(), Dense(1)]
    )


def _functional():
    inputs = Input((4,), name="x")
    hidden = Dense(8, activation="tanh", name="hidden")(inputs)
    outputs = Dense(1, name="out")(torch.cat([hidden, torch.relu(inputs)], dim=-1) * 0.5)
    return Model(inputs, outputs)


def _weights(model):
    return {k: v.clone() for k, v in model.state_dict().items()}


@pytest.mark.parametrize("make", [_sequential, _functional], ids=["sequential", "functional"])
def test_save_after_two_epochs_then_two_more_equals_four(tmp_path, make):
    x, y = data()
    torch.manual_seed(0)
    model = make()
    model.compile(optimizer=keras.optimizers.Adam(0.01), loss="mse", metrics=["mae"])
    model.fit(x, y, epochs=2, batch_size=16, verbose=0)
    save_model(model, tmp_path / "m.keras")
    torch.manual_seed(1)  # dropout and shuffling draw the same numbers in both continuations
    uninterrupted = model.fit(x, y, epochs=4, initial_epoch=2, batch_size=16, verbose=0)

    loaded = load_model(tmp_path / "m.keras")
    assert type(loaded) is type(model)
    torch.manual_seed(1)
    resumed = loaded.fit(x, y, epochs=4, initial_epoch=2, batch_size=16, verbose=0)
    assert resumed.history == uninterrupted.history
    expected, actual = _weights(model), _weights(loaded)
    assert list(actual) == list(expected)
    assert all(torch.equal(actual[k], expected[k]) for k in expected)


def test_predictions_and_layer_names_survive(tmp_path):
    torch.manual_seed(0)
    model = _functional()
    save_model(model, tmp_path / "f.keras")
    loaded = load_model(tmp_path / "f.keras")
    assert [layer.name for layer in loaded.layers] == [layer.name for layer in model.layers]
    x = np.random.default_rng(0).normal(size=(5, 4)).astype("float32")
    np.testing.assert_array_equal(loaded.predict(x, verbose=0), model.predict(x, verbose=0))
    assert not getattr(loaded, "compiled", False)
