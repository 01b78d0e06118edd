"""fit/evaluate/predict against Keras 3 (torch backend): same weights, same data order, same numbers."""

import numpy as np
import pytest

import torchkeras_lite as tkl

keras = pytest.importorskip("keras")


def _pair(build):
    ours, theirs = build(tkl), build(keras)
    theirs.set_weights([w.copy() for w in ours.get_weights()])
    return ours, theirs


def _mlp(k):
    return k.Sequential(
        [
            k.Input((8,)),
            k.layers.Dense(16, activation="relu"),
            k.layers.Dense(3, activation="softmax"),
        ]
    )


def _regressor(k):
    return k.Sequential([k.Input((8,)), k.layers.Dense(8, activation="tanh"), k.layers.Dense(1)])


def _assert_history(ours, theirs, atol=1e-4):
    assert set(ours.history) == set(theirs.history)
    for key in theirs.history:
        np.testing.assert_allclose(ours.history[key], theirs.history[key], atol=atol, err_msg=key)


def test_classification_fit_matches_keras():
    rng = np.random.default_rng(0)
    x = rng.normal(size=(100, 8)).astype("float32")
    y = rng.integers(0, 3, size=(100,)).astype("int64")
    ours, theirs = _pair(_mlp)
    for m, k in ((ours, tkl), (theirs, keras)):
        m.compile(
            optimizer=k.optimizers.Adam(1e-2),
            loss="sparse_categorical_crossentropy",
            metrics=["accuracy"],
        )
    kw = dict(epochs=3, batch_size=16, shuffle=False, verbose=0, validation_split=0.2)
    _assert_history(ours.fit(x, y, **kw), theirs.fit(x, y, **kw))
    np.testing.assert_allclose(
        ours.evaluate(x, y, verbose=0), theirs.evaluate(x, y, verbose=0), atol=1e-4
    )
    np.testing.assert_allclose(ours.predict(x, verbose=0), theirs.predict(x, verbose=0), atol=1e-5)
    for a, b in zip(ours.get_weights(), theirs.get_weights()):
        np.testing.assert_allclose(a, b, atol=1e-4)


def test_regression_with_sample_weights_and_momentum_matches_keras():
    rng = np.random.default_rng(1)
    x = rng.normal(size=(64, 8)).astype("float32")
    y = rng.normal(size=(64, 1)).astype("float32")
    sw = rng.uniform(0, 2, size=(64,)).astype("float32")
    ours, theirs = _pair(_regressor)
    for m, k in ((ours, tkl), (theirs, keras)):
        m.compile(
            optimizer=k.optimizers.SGD(0.05, momentum=0.9),
            loss="mse",
            metrics=["mae"],
            weighted_metrics=["mse"],
        )
    kw = dict(epochs=3, batch_size=10, shuffle=False, verbose=0, sample_weight=sw)
    _assert_history(ours.fit(x, y, **kw), theirs.fit(x, y, **kw))
