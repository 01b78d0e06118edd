"""Initializers: registry round-trips, determinism, dtypes, `get` and error messages."""

import json

import numpy as np
import pytest
import torch

from torchkeras_lite import initializers
from torchkeras_lite.backend import config
from torchkeras_lite.initializers import REGISTRY

RANDOM_CLASSES = [
    initializers.RandomNormal,
    initializers.RandomUniform,
    initializers.TruncatedNormal,
    initializers.Orthogonal,
    initializers.VarianceScaling,
    initializers.GlorotUniform,
    initializers.GlorotNormal,
    initializers.HeUniform,
    initializers.HeNormal,
    initializers.LecunUniform,
    initializers.LecunNormal,
]


# -- registry walk ---------------------------------------------------------------------------------
@pytest.mark.parametrize("cls", REGISTRY.classes(), ids=lambda c: c.__name__)
def test_every_class_round_trips(cls):
    init = cls()
    cfg = init.get_config()
    json.dumps(cfg)
    rebuilt = cls.from_config(cfg)
    assert type(rebuilt) is cls and rebuilt.get_config() == cfg
    serialized = initializers.serialize(init)
    assert serialized["class_name"] == cls.__name__
    json.dumps(serialized)
    restored = initializers.deserialize(serialized)
    assert type(restored) is cls and restored.get_config() == cfg
    assert type(initializers.get(serialized)) is cls
    assert initializers.get(cls.__name__).get_config() == cfg
    values = init((4, 5))
    assert values.shape == (4, 5) and values.dtype == torch.float32


@pytest.mark.parametrize("name", REGISTRY.names())
def test_every_name_gives_an_instance(name):
    obj = initializers.get(name)
    assert isinstance(obj, initializers.Initializer)
    assert type(obj) is REGISTRY.lookup(name)


def test_snake_case_aliases():
    assert isinstance(initializers.get("glorot_uniform"), initializers.GlorotUniform)
    assert isinstance(initializers.get("he_normal"), initializers.HeNormal)
    assert isinstance(initializers.get("zeros"), initializers.Zeros)
    assert initializers.glorot_uniform is initializers.GlorotUniform


def test_get_passes_callables_and_none_through():
    def fn(shape, dtype=None):
        return torch.full(shape, 7.0)

    init = initializers.Ones()
    assert initializers.get(fn) is fn
    assert initializers.get(init) is init
    assert initializers.get(None) is None
    assert isinstance(initializers.get(initializers.Zeros), initializers.Zeros)


def test_get_with_a_tensor_uses_its_values():
    value = torch.arange(6.0).reshape(2, 3)
    init = initializers.get(value)
    out = init((2, 3), dtype="float64")
    assert out.dtype == torch.float64 and torch.equal(out, value.double())
    with pytest.raises(
        ValueError, match=r"Expected `shape` to be \(2, 3\).*Received: shape=\(3, 2\)"
    ):
        init((3, 2))
    assert torch.equal(initializers.get(np.ones((2,)))((2,)), torch.ones(2))


def test_custom_objects_in_deserialize():
    class MyInit(initializers.Initializer):
        def __call__(self, shape, dtype=None):
            return torch.full(tuple(shape), 5.0)

    restored = initializers.deserialize(
        {"class_name": "MyInit", "config": {}}, custom_objects={"MyInit": MyInit}
    )
    assert torch.equal(restored((2,)), torch.full((2,), 5.0))
    assert initializers.get("MyInit", custom_objects={"MyInit": MyInit}).clone() is not None


# -- determinism and dtypes ------------------------------------------------------------------------
@pytest.mark.parametrize("cls", RANDOM_CLASSES, ids=lambda c: c.__name__)
def test_seeded_initializers_repeat_and_unseeded_follow_torch_seed(cls):
    seeded = cls(seed=3)
    assert torch.equal(seeded((6, 4)), seeded((6, 4)))
    assert not torch.equal(seeded((6, 4)), cls(seed=4)((6, 4)))
    unseeded = cls()
    torch.manual_seed(11)
    first = unseeded((6, 4))
    second = unseeded((6, 4))
    torch.manual_seed(11)
    assert torch.equal(unseeded((6, 4)), first)
    assert not torch.equal(first, second)


@pytest.mark.parametrize("dtype", ["float64", torch.bfloat16, "float16"])
def test_random_initializers_honour_dtype(dtype):
    for cls in RANDOM_CLASSES:
        out = cls(seed=0)((8, 8), dtype=dtype)
        assert out.dtype == initializers.base_initializer.dtypes.to_torch_dtype(dtype)


def test_none_dtype_is_floatx():
    config.set_floatx("float64")
    try:
        assert initializers.GlorotUniform(seed=0)((2, 2)).dtype == torch.float64
        assert initializers.Zeros()((2, 2)).dtype == torch.float64
    finally:
        config.set_floatx("float32")


def test_constant_initializers_accept_integer_dtypes():
    assert initializers.Zeros()((2,), dtype="int32").dtype == torch.int32
    assert torch.equal(initializers.Constant(3)((2,), dtype="int64"), torch.tensor([3, 3]))
    broadcast = initializers.Constant([1.0, 2.0])((2, 2))
    assert torch.equal(broadcast, torch.tensor([[1.0, 2.0], [1.0, 2.0]]))
    assert initializers.Constant(np.float32(2.5)).get_config() == {"value": 2.5}


def test_compute_fans():
    assert initializers.compute_fans((3, 3, 16, 32)) == (144, 288)
    assert initializers.compute_fans((10, 20)) == (10, 20)
    assert initializers.compute_fans((7,)) == (7, 7)
    assert initializers.compute_fans(()) == (1, 1)
    assert initializers.compute_fans((4, 5, 6), input_axes=[0], output_axes=[1, 2]) == (4, 30)


# -- errors ----------------------------------------------------------------------------------------
def test_unknown_name_lists_close_matches():
    with pytest.raises(
        ValueError, match=r"Unknown initializer: 'glorot_unifrom'.*Did you mean.*'glorot_uniform'"
    ):
        initializers.get("glorot_unifrom")


def test_bad_identifier():
    with pytest.raises(
        ValueError, match=r"Could not interpret initializer identifier.*Received: initializer=3"
    ):
        initializers.get(3)


@pytest.mark.parametrize(
    "kwargs,match",
    [
        ({"scale": -1}, r"`scale` must be a positive float. Received: scale=-1"),
        ({"scale": 0.0}, r"Received: scale=0.0"),
        ({"mode": "bad"}, r"Invalid `mode` argument.*Received: mode='bad'"),
        (
            {"distribution": "gaussian"},
            r"Invalid `distribution` argument.*Received: distribution='gaussian'",
        ),
        ({"seed": "1"}, r"`seed` argument should be an integer or None. Received: seed='1'"),
        (
            {"input_axes": [0]},
            r"must be given together.*Received: input_axes=\[0\], output_axes=None",
        ),
    ],
)
def test_variance_scaling_argument_errors(kwargs, match):
    with pytest.raises(ValueError, match=match):
        initializers.VarianceScaling(**kwargs)


def test_call_errors():
    with pytest.raises(
        ValueError, match=r"only be used for 2D matrices. Received: shape=\(2, 2, 2\)"
    ):
        initializers.Identity()((2, 2, 2))
    with pytest.raises(ValueError, match=r"at least two-dimensional. Received: shape=\(4,\)"):
        initializers.Orthogonal()((4,))
    with pytest.raises(ValueError, match=r"non-negative integer.*Received: shape=\(2, -1\)"):
        initializers.Zeros()((2, -1))
    with pytest.raises(ValueError, match=r"Received: shape=\(None, 3\)"):
        initializers.Ones()((None, 3))
    with pytest.raises(
        ValueError, match=r"RandomNormal draws random floats.*Received: dtype='int32'"
    ):
        initializers.RandomNormal()((2,), dtype="int32")
    with pytest.raises(ValueError, match=r"cannot be broadcast.*Received: shape=\(3,\)"):
        initializers.Constant([1.0, 2.0])((3,))
    with pytest.raises(ValueError, match=r"Unknown dtype.*Received: dtype='float7'"):
        initializers.Zeros()((2,), dtype="float7")
