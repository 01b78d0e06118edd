"""Parity with Keras 3: output shapes, `count_params()` and outputs (with copied weights)."""

import numpy as np
import pytest
import torch

import torchkeras_lite as tk
from torchkeras_lite.layers.core import Dense, Embedding

keras = pytest.importorskip("keras")
L = keras.layers


def _check(ours, theirs, inputs):
    assert ours.count_params() == theirs.count_params()
    assert ours.output_shape == theirs.output_shape
    ours.set_weights(theirs.get_weights())
    expected = theirs(inputs)
    got = ours(
        {k: torch.as_tensor(v) for k, v in inputs.items()}
        if isinstance(inputs, dict)
        else torch.as_tensor(inputs)
    )
    if isinstance(expected, dict):
        assert set(got) == set(expected)
        pairs = [(got[k], expected[k]) for k in expected]
    else:
        pairs = [(got, expected)]
    for g, e in pairs:
        e = keras.ops.convert_to_numpy(e)
        assert tuple(g.shape) == e.shape
        np.testing.assert_allclose(g.detach().numpy(), e, atol=1e-5)


def test_mlp():
    x = tk.Input((16,))
    h = Dense(32, activation="relu")(x)
    ours = tk.Model(x, Dense(4)(Dense(16, activation="relu")(h)))
    k = keras.Input((16,))
    kh = L.Dense(32, activation="relu")(k)
    theirs = keras.Model(k, L.Dense(4)(L.Dense(16, activation="relu")(kh)))
    _check(ours, theirs, np.random.default_rng(0).normal(size=(5, 16)).astype("float32"))


def test_two_inputs_two_outputs_as_a_dict():
    a, b = tk.Input((8,), name="a"), tk.Input((6,), name="b")
    h = Dense(16, activation="relu")(torch.cat([Dense(8)(a), Dense(8)(b)], dim=-1))
    ours = tk.Model(
        [a, b],
        {"score": Dense(1, activation="sigmoid")(h), "cls": Dense(3, activation="softmax")(h)},
    )
    ka, kb = keras.Input((8,), name="a"), keras.Input((6,), name="b")
    kh = L.Dense(16, activation="relu")(L.Concatenate()([L.Dense(8)(ka), L.Dense(8)(kb)]))
    theirs = keras.Model(
        [ka, kb],
        {
            "score": L.Dense(1, activation="sigmoid")(kh),
            "cls": L.Dense(3, activation="softmax")(kh),
        },
    )
    rng = np.random.default_rng(1)
    inputs = {
        "a": rng.normal(size=(4, 8)).astype("float32"),
        "b": rng.normal(size=(4, 6)).astype("float32"),
    }
    _check(ours, theirs, inputs)


def test_shared_embedding_siamese():
    left, right = (
        tk.Input((5,), dtype="int32", name="left"),
        tk.Input((5,), dtype="int32", name="right"),
    )
    embed = Embedding(20, 8)
    distance = torch.abs(embed(left).mean(dim=1) - embed(right).mean(dim=1))
    ours = tk.Model([left, right], Dense(1, activation="sigmoid")(distance))
    kl, kr = (
        keras.Input((5,), dtype="int32", name="left"),
        keras.Input((5,), dtype="int32", name="right"),
    )
    kembed = L.Embedding(20, 8)
    kdist = keras.ops.abs(keras.ops.mean(kembed(kl), axis=1) - keras.ops.mean(kembed(kr), axis=1))
    theirs = keras.Model([kl, kr], L.Dense(1, activation="sigmoid")(kdist))
    rng = np.random.default_rng(2)
    inputs = {n: rng.integers(1, 20, size=(3, 5)).astype("int32") for n in ("left", "right")}
    _check(ours, theirs, inputs)


def test_residual_block_with_plus():
    x = tk.Input((16,))
    h = Dense(16, activation="relu")(x)
    ours = tk.Model(x, Dense(4)(h + Dense(16)(h)))
    k = keras.Input((16,))
    kh = L.Dense(16, activation="relu")(k)
    theirs = keras.Model(k, L.Dense(4)(kh + L.Dense(16)(kh)))
    _check(ours, theirs, np.random.default_rng(3).normal(size=(6, 16)).astype("float32"))


def _nested(api, layers):
    i = api.Input((6,))
    innermost = api.Model(i, layers.Dense(8)(layers.Dense(8, activation="relu")(i)))
    j = api.Input((6,))
    middle = api.Model(j, layers.Dense(5, activation="tanh")(innermost(j)))
    k = api.Input((6,))
    return api.Model(k, layers.Dense(3)(middle(k)))


def test_model_nested_three_deep():
    class Ours:
        Dense = Dense

    ours, theirs = _nested(tk, Ours), _nested(keras, L)
    _check(ours, theirs, np.random.default_rng(4).normal(size=(2, 6)).astype("float32"))
