"""Regularizers: registry round-trips, values equal to Keras', error messages."""

import json
import math

import numpy as np
import pytest
import torch

from torchkeras_lite import regularizers
from torchkeras_lite.regularizers import REGISTRY


@pytest.fixture
def keras():
    return pytest.importorskip("keras")


@pytest.mark.parametrize("cls", REGISTRY.classes(), ids=lambda c: c.__name__)
def test_every_class_round_trips(cls):
    reg = cls()
    cfg = reg.get_config()
    json.dumps(cfg)
    assert cls.from_config(cfg).get_config() == cfg
    serialized = regularizers.serialize(reg)
    json.dumps(serialized)
    restored = regularizers.deserialize(serialized)
    assert type(restored) is cls and restored.get_config() == cfg
    assert type(regularizers.get(serialized)) is cls
    assert regularizers.get(cls.__name__).get_config() == cfg
    penalty = reg(torch.randn(4, 3))
    assert penalty.shape == () and penalty.dtype == torch.float32


@pytest.mark.parametrize("name", REGISTRY.names())
def test_every_name_gives_an_instance(name):
    obj = regularizers.get(name)
    assert isinstance(obj, regularizers.Regularizer)
    assert type(obj) is REGISTRY.lookup(name)


def test_names_defaults_and_aliases():
    assert regularizers.get("l1").get_config() == {"l1": 0.01}
    assert regularizers.get("l2").get_config() == {"l2": 0.01}
    assert regularizers.get("l1_l2").get_config() == {"l1": 0.0, "l2": 0.0}
    assert regularizers.l1 is regularizers.L1 and regularizers.l1_l2 is regularizers.L1L2
    assert regularizers.l2(0.5).get_config() == {"l2": 0.5}
    assert isinstance(
        regularizers.get("orthogonal_regularizer"), regularizers.OrthogonalRegularizer
    )
    assert regularizers.L1(None).l1 == 0.01 and regularizers.L1L2(None, None).l2 == 0.0


def test_get_passes_callables_and_none_through():
    def penalty(x):
        return x.sum()

    assert regularizers.get(penalty) is penalty
    assert regularizers.get(None) is None
    assert isinstance(regularizers.get(regularizers.L2), regularizers.L2)


def test_base_regularizer_penalizes_nothing():
    out = regularizers.Regularizer()(torch.ones(3, dtype=torch.float64))
    assert out.dtype == torch.float64 and out.item() == 0.0


def test_penalty_keeps_dtype_and_gradient():
    w = torch.randn(5, 4, dtype=torch.float64, requires_grad=True)
    penalty = regularizers.L1L2(l1=0.1, l2=0.2)(w)
    assert penalty.dtype == torch.float64 and penalty.shape == ()
    penalty.backward()
    torch.testing.assert_close(w.grad, 0.1 * torch.sign(w) + 0.4 * w.detach())


CASES = [
    ("L1", {"l1": 0.3}),
    ("L1", {}),
    ("L2", {"l2": 0.2}),
    ("L1L2", {"l1": 0.1, "l2": 0.05}),
    ("L1L2", {"l2": 0.1}),
    ("OrthogonalRegularizer", {"factor": 0.1, "mode": "rows"}),
    ("OrthogonalRegularizer", {"factor": 0.7, "mode": "columns"}),
]


@pytest.mark.parametrize("name,kwargs", CASES)
@pytest.mark.parametrize("shape", [(8, 5), (3, 9)])
def test_values_match_keras(keras, name, kwargs, shape):
    x = np.random.default_rng(0).normal(size=shape).astype("float32")
    ours = getattr(regularizers, name)(**kwargs)(torch.tensor(x))
    # A backend tensor, as Keras passes weights (its numpy path of `normalize` breaks "columns").
    theirs = getattr(keras.regularizers, name)(**kwargs)(keras.ops.convert_to_tensor(x))
    theirs = keras.ops.convert_to_numpy(theirs)
    np.testing.assert_allclose(ours.numpy(), theirs, atol=1e-5, rtol=1e-6)


def test_orthogonal_regularizer_is_zero_for_orthogonal_rows():
    assert regularizers.OrthogonalRegularizer(1.0)(torch.eye(4)).item() == 0.0
    rows = torch.tensor([[1.0, 0.0], [2.0, 0.0], [0.0, 3.0]])  # |cos| of the 3 pairs: 1, 0, 0
    assert regularizers.OrthogonalRegularizer(0.6)(rows).item() == pytest.approx(0.6 / 3)


def test_keras_configs_deserialize_here(keras):
    for keras_obj in [
        keras.regularizers.L1(0.25),
        keras.regularizers.L2(0.5),
        keras.regularizers.L1L2(0.1, 0.2),
        keras.regularizers.OrthogonalRegularizer(0.5, mode="columns"),
    ]:
        ours = regularizers.deserialize(keras.regularizers.serialize(keras_obj))
        assert type(ours).__name__ == type(keras_obj).__name__
        for key, value in keras_obj.get_config().items():
            assert ours.get_config()[key] == pytest.approx(value)


def test_unknown_name_lists_close_matches():
    with pytest.raises(ValueError, match=r"Unknown regularizer: 'l3'.*Did you mean.*'l1'"):
        regularizers.get("l3")


@pytest.mark.parametrize(
    "make,match",
    [
        (
            lambda: regularizers.L1(-1),
            r"Invalid value for argument l1: expected a non-negative float. Received: l1=-1",
        ),
        (lambda: regularizers.L2(math.nan), r"Received: l2=nan"),
        (lambda: regularizers.L1L2(l2=math.inf), r"Received: l2=inf"),
        (lambda: regularizers.L2("0.1"), r"Received: l2='0.1'"),
        (lambda: regularizers.OrthogonalRegularizer(factor=-0.5), r"Received: factor=-0.5"),
        (
            lambda: regularizers.OrthogonalRegularizer(mode="diag"),
            r"Expected one of \('rows', 'columns'\). Received: mode='diag'",
        ),
    ],
)
def test_argument_errors(make, match):
    with pytest.raises(ValueError, match=match):
        make()


def test_orthogonal_regularizer_needs_rank_2():
    with pytest.raises(ValueError, match=r"must have rank 2. Received: inputs.shape=\(2, 3, 4\)"):
        regularizers.OrthogonalRegularizer()(torch.ones(2, 3, 4))
