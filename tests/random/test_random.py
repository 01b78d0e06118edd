"""`keras.random`: seeded results equal Keras' torch backend; SeedGenerator state and saving."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from torchkeras_lite import random
from torchkeras_lite.layers import Layer

keras = pytest.importorskip("keras")

LOGITS = np.log(np.array([[0.2, 0.8], [0.5, 0.5]], "float32"))
CASES = [
    ("normal", ((2, 3),), {"mean": 1.0, "stddev": 2.0}),
    ("uniform", ((2, 3),), {"minval": -1.0, "maxval": 2.0}),
    ("uniform", ((),), {"dtype": "float64"}),
    ("randint", ((4, 2), 0, 10), {}),
    ("randint", ((3,), -5, 5), {"dtype": "int64"}),
    ("categorical", (LOGITS, 6), {}),
    ("shuffle", (np.arange(12).reshape(4, 3),), {}),
    ("shuffle", (np.arange(12).reshape(4, 3),), {"axis": 1}),
    ("gamma", ((3, 2), 2.0), {}),
    ("beta", ((4,), 2.0, 3.0), {}),
    ("binomial", ((4,), 5.0, 0.3), {}),
    ("dropout", (torch.ones(3, 4), 0.5), {}),
    ("dropout", (torch.ones(3, 4), 0.25), {"noise_shape": (None, 1)}),
]


@pytest.mark.parametrize("name,args,kwargs", CASES, ids=[c[0] for c in CASES])
def test_seeded_draws_match_keras(name, args, kwargs):
    expected = getattr(keras.random, name)(*args, seed=7, **kwargs)
    got = getattr(random, name)(*args, seed=7, **kwargs)
    assert got.dtype == expected.dtype
    torch.testing.assert_close(got, torch.as_tensor(expected))
    torch.testing.assert_close(
        getattr(random, name)(*args, seed=7, **kwargs), got
    )  # int seed: same


def test_seed_generator_advances_like_keras():
    theirs, ours = keras.random.SeedGenerator(1337), random.SeedGenerator(1337)
    for _ in range(3):
        torch.testing.assert_close(
            random.normal((4,), seed=ours), keras.random.normal((4,), seed=theirs)
        )
    assert ours.state.tolist() == [1337, 3]
    assert ours.get_config() == {"seed": 1337, "name": ours.name}
    assert random.SeedGenerator.from_config(ours.get_config()).state.tolist() == [1337, 0]
    draws = [random.uniform((2,), seed=ours) for _ in range(2)]
    assert not torch.equal(draws[0], draws[1])


def test_truncated_normal_stays_within_two_stddevs():
    x = random.truncated_normal((20000,), mean=1.0, stddev=0.5, seed=3)
    assert x.min() >= 0.0 and x.max() <= 2.0
    assert abs(float(x.mean()) - 1.0) < 0.02 and 0.4 < float(x.std()) < 0.46
    torch.testing.assert_close(
        random.truncated_normal((5,), seed=3), random.truncated_normal((5,), seed=3)
    )


def test_unseeded_draws_follow_torch_global_seed():
    torch.manual_seed(11)
    a = random.normal((3,))
    torch.manual_seed(11)
    torch.testing.assert_close(random.normal((3,)), a)
    assert float(random.dropout(np.ones(4, "float32"), 1.0).sum()) == 0.0
    torch.testing.assert_close(random.dropout(torch.ones(3), 0.0), torch.ones(3))


def test_seeded_gamma_leaves_the_global_stream_alone():
    torch.manual_seed(5)
    expected = torch.rand(2)
    torch.manual_seed(5)
    random.gamma((3,), 1.5, seed=9)
    torch.testing.assert_close(torch.rand(2), expected)


class Noisy(Layer):
    """The pattern of Keras' SeedGenerator docs: a layer holding a seed generator."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.seed_generator = random.SeedGenerator(1337)

    def call(self, x, training=False):
        return random.dropout(x, rate=0.5, seed=self.seed_generator) if training else x


def test_layers_save_and_restore_their_seed_generator():
    layer = Noisy()
    x = torch.ones(2, 8)
    layer(x, training=True)
    state = {k: v.clone() for k, v in layer.state_dict().items()}
    assert state["seed_generator.state"].tolist() == [1337, 1]
    assert layer.weights == [] and layer.get_weights() == []  # as in Keras
    after = layer(x, training=True)
    restored = Noisy()
    restored.load_state_dict(state)
    torch.testing.assert_close(restored(x, training=True), after)
    moved = restored.to(torch.float64)
    assert isinstance(moved.seed_generator.state, type(layer.seed_generator.state))


def test_seed_errors():
    with pytest.raises(ValueError, match="must be an integer or a `SeedGenerator`"):
        random.normal((2,), seed="1")
    with pytest.raises(ValueError, match="`seed` must be an integer"):
        random.SeedGenerator(1.5)
    with pytest.raises(ValueError, match="Unrecognized keyword arguments"):
        random.SeedGenerator(1, backend="jax")
    with pytest.raises(ValueError, match=r"`rate` must be in \[0, 1\]"):
        random.dropout(np.ones(2), 1.5)
