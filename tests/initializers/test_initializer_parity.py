"""Initializers against Keras 3: exact values, distribution statistics and fan scaling."""

import math

import numpy as np
import pytest
import torch

from torchkeras_lite import initializers
from torchkeras_lite.initializers import REGISTRY


@pytest.fixture
def keras():
    return pytest.importorskip("keras")


def _np(keras, tensor):
    return np.asarray(keras.ops.convert_to_numpy(tensor))


@pytest.mark.parametrize(
    "name,kwargs,shape",
    [
        ("Zeros", {}, (3, 4)),
        ("Ones", {}, (2, 3, 4)),
        ("Constant", {"value": 2.5}, (5,)),
        ("Identity", {}, (3, 5)),
        ("Identity", {"gain": 3.0}, (4, 2)),
    ],
)
def test_deterministic_initializers_match_keras(keras, name, kwargs, shape):
    ours = getattr(initializers, name)(**kwargs)(shape)
    theirs = _np(keras, getattr(keras.initializers, name)(**kwargs)(shape))
    np.testing.assert_array_equal(ours.numpy(), theirs)


@pytest.mark.parametrize("shape", [(6, 6), (3, 5), (8, 3), (3, 3, 4, 8)])
def test_orthogonal(keras, shape):
    w = initializers.Orthogonal(gain=2.0, seed=1)(shape)
    theirs = _np(keras, keras.initializers.Orthogonal(gain=2.0, seed=1)(shape))
    assert w.shape == shape == theirs.shape
    m = w.reshape(-1, shape[-1]) / 2.0
    gram = m.T @ m if m.shape[0] >= m.shape[1] else m @ m.T
    torch.testing.assert_close(gram, torch.eye(gram.shape[0]), atol=1e-5, rtol=0)


def _stats(values):
    values = np.asarray(values, dtype=np.float64)
    return values.mean(), values.std(), values.min(), values.max()


@pytest.mark.parametrize(
    "name,kwargs",
    [
        ("RandomNormal", {"mean": 1.0, "stddev": 2.0}),
        ("RandomUniform", {"minval": -3.0, "maxval": 2.0}),
        ("TruncatedNormal", {"mean": 1.0, "stddev": 2.0}),
    ],
)
def test_random_distributions_match_keras(keras, name, kwargs):
    shape = (400, 500)
    ours = _stats(getattr(initializers, name)(seed=1, **kwargs)(shape).numpy())
    theirs = _stats(_np(keras, getattr(keras.initializers, name)(seed=1, **kwargs)(shape)))
    assert ours[0] == pytest.approx(theirs[0], abs=0.02)
    assert ours[1] == pytest.approx(theirs[1], rel=0.01)
    if name == "RandomUniform":
        assert ours[2] >= -3.0 and ours[3] < 2.0
        assert ours[2] == pytest.approx(-3.0, abs=1e-3) and ours[3] == pytest.approx(2.0, abs=1e-3)
    if name == "TruncatedNormal":
        assert ours[2] >= 1.0 - 4.0 and ours[3] <= 1.0 + 4.0
        assert ours[1] == pytest.approx(2.0 * 0.8796, rel=0.01)


CONV_SHAPE = (3, 3, 16, 32)  # fan_in 144, fan_out 288


@pytest.mark.parametrize(
    "name,kwargs,expected_std",
    [
        ("GlorotUniform", {}, math.sqrt(2 / (144 + 288))),
        ("GlorotNormal", {}, math.sqrt(2 / (144 + 288))),
        ("HeUniform", {}, math.sqrt(2 / 144)),
        ("HeNormal", {}, math.sqrt(2 / 144)),
        ("LecunUniform", {}, math.sqrt(1 / 144)),
        ("LecunNormal", {}, math.sqrt(1 / 144)),
        (
            "VarianceScaling",
            {"scale": 3.0, "mode": "fan_out", "distribution": "untruncated_normal"},
            math.sqrt(3 / 288),
        ),
        (
            "VarianceScaling",
            {"scale": 0.5, "mode": "fan_avg", "distribution": "normal"},
            math.sqrt(1 / 432),
        ),
    ],
)
def test_variance_scaling_matches_keras_for_a_conv_kernel(keras, name, kwargs, expected_std):
    shape = (20,) + CONV_SHAPE  # many samples; the fans keep the receptive field of the conv kernel
    ours_init = getattr(initializers, name)(seed=2, **kwargs)
    ours = ours_init(CONV_SHAPE)
    assert ours.shape == CONV_SHAPE
    ours_many = torch.stack(
        [getattr(initializers, name)(seed=s, **kwargs)(CONV_SHAPE) for s in range(20)]
    )
    theirs = _np(keras, getattr(keras.initializers, name)(seed=2, **kwargs)(CONV_SHAPE))
    theirs_many = np.stack(
        [
            _np(keras, getattr(keras.initializers, name)(seed=s, **kwargs)(CONV_SHAPE))
            for s in range(20)
        ]
    )
    assert ours_many.shape == shape
    ours_std, theirs_std = ours_many.double().std().item(), theirs_many.std()
    assert ours_std == pytest.approx(expected_std, rel=0.03)
    assert ours_std == pytest.approx(theirs_std, rel=0.03)
    assert abs(ours_many.double().mean().item()) < 0.05 * expected_std
    bound = np.abs(theirs).max()
    if kwargs.get("distribution", "uniform" if "Uniform" in name else "") == "uniform":
        limit = math.sqrt(3) * expected_std
        assert ours.abs().max().item() <= limit and bound <= limit + 1e-7
        assert ours_many.abs().max().item() == pytest.approx(limit, rel=1e-3)


def test_keras_configs_deserialize_here(keras):
    for cls in REGISTRY.classes():
        keras_cls = getattr(keras.initializers, cls.__name__)
        keras_obj = keras_cls(seed=5) if "seed" in cls().get_config() else keras_cls()
        ours = initializers.deserialize(keras.initializers.serialize(keras_obj))
        assert type(ours) is cls
        # Keras' Identity forgets `gain` in its config; ours keeps it, so compare Keras' keys.
        theirs = keras_obj.get_config()
        assert {k: ours.get_config()[k] for k in theirs} == theirs
