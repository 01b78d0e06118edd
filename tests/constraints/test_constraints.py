"""Constraints: registry round-trips, values equal to Keras', error messages."""

import json

import numpy as np
import pytest
import torch

from torchkeras_lite import constraints
from torchkeras_lite.constraints import REGISTRY


@pytest.fixture
def keras():
    return pytest.importorskip("keras")


@pytest.mark.parametrize("cls", REGISTRY.classes(), ids=lambda c: c.__name__)
def test_every_class_round_trips(cls):
    constraint = cls()
    cfg = constraint.get_config()
    json.dumps(cfg)
    assert cls.from_config(cfg).get_config() == cfg
    serialized = constraints.serialize(constraint)
    json.dumps(serialized)
    restored = constraints.deserialize(serialized)
    assert type(restored) is cls and restored.get_config() == cfg
    assert type(constraints.get(serialized)) is cls
    assert constraints.get(cls.__name__).get_config() == cfg
    w = torch.randn(4, 3)
    assert constraint(w).shape == w.shape


@pytest.mark.parametrize("name", REGISTRY.names())
def test_every_name_gives_an_instance(name):
    obj = constraints.get(name)
    assert isinstance(obj, constraints.Constraint)
    assert type(obj) is REGISTRY.lookup(name)


def test_aliases_and_passthrough():
    assert isinstance(constraints.get("max_norm"), constraints.MaxNorm)
    assert constraints.max_norm is constraints.MaxNorm and constraints.non_neg is constraints.NonNeg
    assert constraints.get(None) is None
    fn = torch.abs
    assert constraints.get(fn) is fn
    assert constraints.get({"class_name": "UnitNorm", "config": {"axis": [0, 1]}}).axis == [0, 1]
    w = torch.randn(3)
    assert constraints.Constraint()(w) is w


CASES = [
    ("MaxNorm", {}),
    ("MaxNorm", {"max_value": 1.5, "axis": 1}),
    ("MaxNorm", {"max_value": 0.5, "axis": [0, 1, 2]}),
    ("MinMaxNorm", {}),
    ("MinMaxNorm", {"min_value": 0.5, "max_value": 1.2, "rate": 0.7, "axis": 1}),
    ("MinMaxNorm", {"min_value": 2.5, "max_value": 3.0, "axis": [0, 1]}),
    ("NonNeg", {}),
    ("UnitNorm", {}),
    ("UnitNorm", {"axis": -1}),
    ("UnitNorm", {"axis": [0, 1, 2]}),
]


@pytest.mark.parametrize("name,kwargs", CASES)
def test_values_match_keras(keras, name, kwargs):
    rng = np.random.default_rng(1)
    axis = kwargs.get("axis", 0)
    shape = (3, 3, 4, 5) if isinstance(axis, list) else (6, 5)
    w = (rng.normal(size=shape) * 1.3).astype("float32")
    ours = getattr(constraints, name)(**kwargs)(torch.tensor(w))
    theirs = keras.ops.convert_to_numpy(getattr(keras.constraints, name)(**kwargs)(w))
    np.testing.assert_allclose(ours.numpy(), theirs, atol=1e-5, rtol=1e-6)


def test_norm_constraints_bound_the_norms():
    w = torch.randn(10, 6) * 3
    norms = torch.linalg.vector_norm(constraints.MaxNorm(1.0)(w), dim=0)
    assert (norms <= 1.0 + 1e-6).all()
    norms = torch.linalg.vector_norm(constraints.UnitNorm(axis=1)(w), dim=1)
    torch.testing.assert_close(norms, torch.ones(10), atol=1e-5, rtol=0)
    norms = torch.linalg.vector_norm(constraints.MinMaxNorm(2.0, 3.0)(w * 0.01), dim=0)
    assert ((norms >= 2.0 - 1e-4) & (norms <= 3.0 + 1e-4)).all()


def test_keras_configs_deserialize_here(keras):
    for keras_obj in [
        keras.constraints.MaxNorm(3, axis=1),
        keras.constraints.MinMaxNorm(0.1, 0.9, 0.5, axis=[0, 1]),
        keras.constraints.NonNeg(),
        keras.constraints.UnitNorm(axis=2),
    ]:
        ours = constraints.deserialize(keras.constraints.serialize(keras_obj))
        assert type(ours).__name__ == type(keras_obj).__name__
        assert ours.get_config() == keras_obj.get_config()


def test_unknown_name_lists_close_matches():
    with pytest.raises(
        ValueError, match=r"Unknown constraint: 'max_nrom'.*Did you mean.*'max_norm'"
    ):
        constraints.get("max_nrom")


@pytest.mark.parametrize(
    "make,match",
    [
        (
            lambda: constraints.MaxNorm(-1),
            r"`max_value` must be a non-negative number. Received: max_value=-1",
        ),
        (
            lambda: constraints.MaxNorm(axis="rows"),
            r"`axis` must be an int or a list of ints. Received: axis='rows'",
        ),
        (
            lambda: constraints.MinMaxNorm(2.0, 1.0),
            r"must not exceed `max_value`. Received: min_value=2.0, max_value=1.0",
        ),
        (
            lambda: constraints.MinMaxNorm(rate=1.5),
            r"`rate` must be a number in \[0, 1\]. Received: rate=1.5",
        ),
        (lambda: constraints.MinMaxNorm(min_value=-0.1), r"Received: min_value=-0.1"),
        (lambda: constraints.UnitNorm(axis=1.5), r"Received: axis=1.5"),
    ],
)
def test_argument_errors(make, match):
    with pytest.raises(ValueError, match=match):
        make()
