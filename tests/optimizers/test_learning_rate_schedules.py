"""Learning rate schedules: Keras' values over a range of steps, Python and tensor steps, serialisation."""

import json

import numpy as np
import pytest
import torch

from torchkeras_lite.optimizers import schedules

keras = pytest.importorskip("keras")

CASES = [
    ("ExponentialDecay", {"initial_learning_rate": 0.1, "decay_steps": 7, "decay_rate": 0.8}),
    (
        "ExponentialDecay",
        {"initial_learning_rate": 0.1, "decay_steps": 7, "decay_rate": 0.8, "staircase": True},
    ),
    ("PiecewiseConstantDecay", {"boundaries": [5, 12, 20], "values": [1.0, 0.5, 0.25, 0.1]}),
    ("PolynomialDecay", {"initial_learning_rate": 0.1, "decay_steps": 15}),
    (
        "PolynomialDecay",
        {"initial_learning_rate": 0.1, "decay_steps": 10, "power": 0.5, "cycle": True},
    ),
    (
        "PolynomialDecay",
        {"initial_learning_rate": 0.1, "decay_steps": 10, "end_learning_rate": 0.01, "power": 2.0},
    ),
    ("InverseTimeDecay", {"initial_learning_rate": 0.1, "decay_steps": 4, "decay_rate": 0.5}),
    (
        "InverseTimeDecay",
        {"initial_learning_rate": 0.1, "decay_steps": 4, "decay_rate": 0.5, "staircase": True},
    ),
    ("CosineDecay", {"initial_learning_rate": 0.1, "decay_steps": 20}),
    ("CosineDecay", {"initial_learning_rate": 0.1, "decay_steps": 20, "alpha": 0.1}),
    (
        "CosineDecay",
        {
            "initial_learning_rate": 0.0,
            "decay_steps": 20,
            "warmup_target": 0.2,
            "warmup_steps": 8,
            "alpha": 0.05,
        },
    ),
    ("CosineDecayRestarts", {"initial_learning_rate": 0.1, "first_decay_steps": 5}),
    (
        "CosineDecayRestarts",
        {"initial_learning_rate": 0.1, "first_decay_steps": 4, "t_mul": 1.0, "m_mul": 0.5},
    ),
    (
        "CosineDecayRestarts",
        {
            "initial_learning_rate": 0.1,
            "first_decay_steps": 3,
            "t_mul": 1.5,
            "m_mul": 0.8,
            "alpha": 0.1,
        },
    ),
]
STEPS = list(range(0, 45))


@pytest.mark.parametrize("name,kwargs", CASES, ids=[f"{n}-{i}" for i, (n, _) in enumerate(CASES)])
def test_schedule_values_match_keras(name, kwargs):
    theirs = getattr(keras.optimizers.schedules, name)(**kwargs)
    ours = getattr(schedules, name)(**kwargs)
    expected = np.array([float(keras.ops.convert_to_numpy(theirs(step))) for step in STEPS])
    python_values = [ours(step) for step in STEPS]
    assert all(isinstance(v, float) for v in python_values)
    np.testing.assert_allclose(python_values, expected, rtol=1e-5, atol=1e-7)
    tensor_values = [ours(torch.tensor(step)) for step in STEPS]
    assert all(isinstance(v, torch.Tensor) and v.dtype == torch.float32 for v in tensor_values)
    np.testing.assert_allclose([v.item() for v in tensor_values], expected, rtol=1e-5, atol=1e-7)


@pytest.mark.parametrize("name,kwargs", CASES, ids=[f"{n}-{i}" for i, (n, _) in enumerate(CASES)])
def test_schedule_serialization_round_trip_and_keras_config(name, kwargs):
    ours = getattr(schedules, name)(**kwargs)
    config = schedules.serialize(ours)
    json.dumps(config)
    rebuilt = schedules.deserialize(config)
    assert type(rebuilt) is type(ours) and rebuilt.get_config() == ours.get_config()
    theirs = getattr(keras.optimizers.schedules, name)(**kwargs)
    assert ours.get_config() == theirs.get_config()
    from_keras = schedules.deserialize(keras.optimizers.schedules.serialize(theirs))
    assert [from_keras(s) for s in (0, 7, 30)] == [ours(s) for s in (0, 7, 30)]


def test_custom_schedule_default_get_config():
    class Halving(schedules.LearningRateSchedule):
        def __init__(self, initial_learning_rate, every=10):
            self.initial_learning_rate = initial_learning_rate
            self.every = every

        def __call__(self, step):
            return self.initial_learning_rate * 0.5 ** (step // self.every)

    schedule = Halving(0.4, every=5)
    assert schedule.get_config() == {"initial_learning_rate": 0.4, "every": 5}
    assert Halving.from_config(schedule.get_config())(10) == pytest.approx(0.1)
    rebuilt = schedules.deserialize(
        schedules.serialize(schedule), custom_objects={"Halving": Halving}
    )
    assert rebuilt(5) == pytest.approx(0.2)


def test_custom_schedule_without_stored_arguments_cannot_serialize():
    class Opaque(schedules.LearningRateSchedule):
        def __init__(self, rate):
            self._rate = rate

        def __call__(self, step):
            return self._rate

    with pytest.raises(TypeError, match="must override `get_config\\(\\)`"):
        Opaque(0.1).get_config()


def test_base_schedule_is_abstract():
    with pytest.raises(TypeError):
        schedules.LearningRateSchedule()


@pytest.mark.parametrize(
    "factory,match",
    [
        (lambda: schedules.ExponentialDecay(0.1, 0, 0.5), "decay_steps` must be > 0"),
        (lambda: schedules.PolynomialDecay(0.1, -1), "decay_steps` must be > 0"),
        (lambda: schedules.InverseTimeDecay(0.1, 0, 0.5), "decay_steps` must be > 0"),
        (lambda: schedules.CosineDecay(0.1, 0), "decay_steps` must be > 0"),
        (lambda: schedules.CosineDecayRestarts(0.1, 0), "first_decay_steps` must be > 0"),
        (
            lambda: schedules.PiecewiseConstantDecay([1, 2], [1.0, 0.5]),
            "1 less than the length of values",
        ),
    ],
)
def test_schedule_argument_errors(factory, match):
    with pytest.raises(ValueError, match=match):
        factory()


def test_unknown_schedule_name():
    with pytest.raises(ValueError, match="Unknown learning rate schedule"):
        schedules.deserialize({"class_name": "NoSuchDecay", "config": {}})
