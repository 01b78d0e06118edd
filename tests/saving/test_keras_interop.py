"""Keras 3 files (config.json + model.weights.h5) load here with the same predictions."""

import numpy as np
import pytest

pytest.importorskip("h5py")
K = pytest.importorskip("keras")

from torchkeras_lite.saving import SavingError, load_model, load_weights  # noqa: E402


def _trained(model):
    rng = np.random.default_rng(0)
    model.compile(optimizer="adam", loss="mse", metrics=["mae"])
    model.fit(rng.normal(size=(32, 4)), rng.normal(size=(32, 2)), epochs=2, verbose=0)
    return model


def _inputs():
    return np.random.default_rng(1).normal(size=(7, 4)).astype("float32")


def test_keras_sequential_mlp_loads_with_the_same_predictions(tmp_path):
    model = _trained(
        K.Sequential(
            [
                K.Input((4,)),
                K.layers.Dense(8, activation="relu"),
                K.layers.Dropout(0.3),
                K.layers.BatchNormalization(),
                K.layers.Dense(2),
            ]
        )
    )
    path = tmp_path / "keras_seq.keras"
    model.save(path)
    ours = load_model(path)
    x = _inputs()
    np.testing.assert_allclose(ours.predict(x, verbose=0), model.predict(x, verbose=0), atol=1e-5)
    assert ours.optimizer.iterations.item() == int(model.optimizer.iterations.numpy())
    moment = ours.optimizer.variables[2].detach().numpy()
    np.testing.assert_allclose(moment, model.optimizer.variables[2].numpy(), atol=1e-7)


def test_keras_functional_mlp_and_weights_file(tmp_path):
    inputs = K.Input((4,), name="features")
    hidden = K.layers.Dense(6, activation="tanh", name="hidden")(inputs)
    hidden = K.layers.Dropout(0.1)(hidden)
    outputs = K.layers.Dense(2, name="head")(hidden)
    model = _trained(K.Model(inputs, outputs))
    model.save(tmp_path / "keras_fn.keras")
    ours = load_model(tmp_path / "keras_fn.keras", compile=False)
    x = _inputs()
    np.testing.assert_allclose(ours.predict(x, verbose=0), model.predict(x, verbose=0), atol=1e-5)

    model.layers[1].kernel.assign(np.ones((4, 6)))
    model.save_weights(tmp_path / "keras.weights.h5")
    load_weights(ours, tmp_path / "keras.weights.h5")
    np.testing.assert_allclose(ours.predict(x, verbose=0), model.predict(x, verbose=0), atol=1e-5)
    model.layers[1].kernel.assign(np.zeros((4, 6)))
    model.save(tmp_path / "again.keras")
    load_weights(ours, tmp_path / "again.keras")  # the weights of a Keras archive
    np.testing.assert_allclose(ours.predict(x, verbose=0), model.predict(x, verbose=0), atol=1e-5)


def test_unsupported_layer_is_named(tmp_path):
    @K.saving.register_keras_serializable(package="interop_tests")
    class Twice(K.layers.Layer):
        def call(self, x):
            return 2 * x

    model = K.Sequential([K.Input((4,)), K.layers.Dense(3), Twice(name="twice")])
    model.save(tmp_path / "custom.keras")
    with pytest.raises(SavingError, match=r"does not provide: Twice \(layer 'twice'\)"):
        load_model(tmp_path / "custom.keras")


def test_unsupported_option_is_named(tmp_path):
    model = K.Sequential([K.Input((4,)), K.layers.BatchNormalization(renorm=True, name="bn")])
    model.save(tmp_path / "renorm.keras")
    with pytest.raises(SavingError, match=r"sets `renorm=True` on layer 'bn'"):
        load_model(tmp_path / "renorm.keras")


def test_mismatched_keras_weights_are_listed(tmp_path):
    model = K.Sequential([K.Input((4,)), K.layers.Dense(3, name="dense_a")])
    model.save(tmp_path / "a.keras")
    other = K.Sequential([K.Input((5,)), K.layers.Dense(3, name="dense_a")])
    other.save_weights(tmp_path / "b.weights.h5")
    ours = load_model(tmp_path / "a.keras")
    with pytest.raises(
        SavingError,
        match=r"1 weight\(s\) with a different shape: layers/dense/vars/0 \(model \(4, 3\), file \(5, 3\)\)",
    ):
        load_weights(ours, tmp_path / "b.weights.h5")
