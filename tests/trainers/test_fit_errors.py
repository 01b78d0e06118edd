"""Bad input to compile/fit/evaluate gets a clear error at the earliest point."""

import numpy as np
import pytest
import torch
from torch.utils.data import DataLoader, TensorDataset

import torchkeras_lite as keras
from tests.trainers.helpers import MLP, classification_data, regression_data


def _compiled(**kwargs):
    model = MLP(**kwargs)
    model.compile(optimizer="sgd", loss="mse")
    return model


def test_x_and_y_of_different_lengths():
    x, y = regression_data(n=20)
    with pytest.raises(
        ValueError, match=r"Data cardinality is ambiguous.*'x' sizes: 20.*'y' sizes: 19"
    ):
        _compiled().fit(x, y[:19], verbose=0)


def test_fit_and_evaluate_before_compile():
    x, y = regression_data(n=8)
    with pytest.raises(
        RuntimeError, match=r"You must call `compile\(\)` before training the model"
    ):
        MLP().fit(x, y, verbose=0)
    with pytest.raises(
        RuntimeError, match=r"You must call `compile\(\)` before evaluating the model"
    ):
        MLP().evaluate(x, y, verbose=0)


def test_sparse_label_outside_the_class_range():
    x, y = classification_data(n=16, classes=3)
    y = y.copy()
    y[5] = 7
    model = MLP(out=3, softmax=True)
    model.compile(optimizer="sgd", loss="sparse_categorical_crossentropy")
    with pytest.raises(ValueError, match="7"):
        model.fit(x, y, verbose=0)


def test_unknown_names_list_close_matches():
    x, y = regression_data(n=8)
    with pytest.raises(ValueError, match=r"Unknown loss: 'mean_squared_eror'.*mean_squared_error"):
        MLP().compile(optimizer="sgd", loss="mean_squared_eror")
    with pytest.raises(ValueError, match=r"Unknown metric: 'acuracy'.*accuracy"):
        MLP().compile(optimizer="sgd", loss="mse", metrics=["acuracy"])
    with pytest.raises(ValueError, match=r"Unknown optimizer: 'adamm'.*adam"):
        MLP().compile(optimizer="adamm", loss="mse")


def test_targets_that_do_not_match_the_outputs():
    class TwoOut(keras.Model):
        def __init__(self):
            super().__init__()
            self.net = MLP()

        def call(self, x):
            out = self.net(x)
            return [out, out * 2]

    x, y = regression_data(n=8)
    model = TwoOut()
    model.compile(optimizer="sgd", loss=["mse", "mse"])
    with pytest.raises(ValueError, match="several outputs, so the targets must be a list or dict"):
        model.fit(x, y, verbose=0)
    model.compile(optimizer="sgd", loss=["mse", "mse", "mse"])
    with pytest.raises(ValueError, match="2 outputs, but the loss list has 3 entries"):
        model.fit(x, [y, y], verbose=0)


def test_empty_data_and_too_many_steps():
    x, y = regression_data(n=16)
    with pytest.raises(ValueError, match="non-empty dataset"):
        _compiled().fit(x[:0], y[:0], verbose=0)
    with pytest.raises(
        ValueError,
        match=r"`steps_per_epoch=5` is larger than the number of batches the data provides \(2\)",
    ):
        _compiled().fit(x, y, batch_size=8, steps_per_epoch=5, verbose=0)


def test_batch_size_is_rejected_for_loaders_and_generators():
    x, y = regression_data(n=16)
    loader = DataLoader(TensorDataset(torch.from_numpy(x), torch.from_numpy(y)), batch_size=4)
    with pytest.raises(ValueError, match="torch DataLoader, `batch_size` should not be specified"):
        _compiled().fit(loader, batch_size=4, verbose=0)
    with pytest.raises(
        ValueError, match="generator or iterable of batches, `batch_size` should not be specified"
    ):
        _compiled().fit(((x, y) for _ in range(2)), batch_size=4, verbose=0)
    with pytest.raises(ValueError, match="`y` should not be passed"):
        _compiled().fit(loader, y, verbose=0)


def test_exhausted_generator_in_a_later_epoch():
    x, y = regression_data(n=16)
    gen = ((x[i : i + 8], y[i : i + 8]) for i in range(0, 16, 8))
    with pytest.raises(ValueError, match="provided no batches for this epoch"):
        _compiled().fit(gen, epochs=2, verbose=0)


def test_wrong_feature_shape_names_the_layer():
    model = keras.Sequential([keras.Input((4,)), keras.layers.Dense(2)])
    model.compile(optimizer="sgd", loss="mse")
    with pytest.raises(ValueError, match=r"expected shape|incompatible"):
        model.fit(np.zeros((8, 5), "float32"), np.zeros((8, 2), "float32"), verbose=0)


def test_bad_compile_arguments():
    with pytest.raises(ValueError, match="steps_per_execution"):
        MLP().compile(loss="mse", steps_per_execution=0)
    with pytest.raises(ValueError, match="Could not interpret optimizer"):
        MLP().compile(optimizer=3, loss="mse")
    with pytest.raises(
        ValueError, match=r"`verbose` must be 0, 1, 2 or 'auto'. Received: verbose=5"
    ):
        _compiled().fit(*regression_data(n=8), verbose=5)
