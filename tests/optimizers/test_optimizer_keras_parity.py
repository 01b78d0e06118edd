"""Parity with Keras 3: the same start weights and 10 random gradient steps give the same weights."""

import numpy as np
import pytest
import torch

from torchkeras_lite import optimizers
from torchkeras_lite.backend.variable import Variable

keras = pytest.importorskip("keras")

NAMES = [
    "SGD",
    "Adam",
    "AdamW",
    "RMSprop",
    "Adagrad",
    "Adadelta",
    "Adamax",
    "Nadam",
    "Lion",
    "Adafactor",
]
COMMON = {
    "defaults": {},
    "weight_decay": {"weight_decay": 0.05},
    "clipnorm": {"clipnorm": 0.5},
    "clipvalue": {"clipvalue": 0.1},
    "global_clipnorm": {"global_clipnorm": 0.5},
    "ema": {"use_ema": True, "ema_momentum": 0.9, "ema_overwrite_frequency": 3},
    "accumulation": {"gradient_accumulation_steps": 3},
    "loss_scale_factor": {"loss_scale_factor": 4.0},
}
SPECIFIC = [
    ("Adam", {"amsgrad": True}),
    ("AdamW", {"amsgrad": True, "weight_decay": 0.1}),
    ("SGD", {"momentum": 0.9}),
    ("SGD", {"momentum": 0.9, "nesterov": True}),
    ("SGD", {"learning_rate": -0.01}),
    ("RMSprop", {"centered": True}),
    ("RMSprop", {"momentum": 0.5}),
    ("RMSprop", {"momentum": 0.5, "centered": True, "rho": 0.8}),
    ("Adagrad", {"initial_accumulator_value": 0.5, "epsilon": 1e-3}),
    ("Adadelta", {"learning_rate": 1.0, "rho": 0.9}),
    ("Lion", {"beta_1": 0.5, "beta_2": 0.9}),
    ("Nadam", {"beta_1": 0.8}),
    ("Adafactor", {"learning_rate": 0.5, "clip_threshold": 0.5}),
]


def _data(seed=0, steps=10):
    rng = np.random.default_rng(seed)
    weights = [rng.normal(size=(4, 3)).astype("float32"), rng.normal(size=(3,)).astype("float32")]
    grads = [[rng.normal(size=w.shape).astype("float32") for w in weights] for _ in range(steps)]
    return weights, grads


def _schedule(module):
    return module.schedules.ExponentialDecay(0.05, decay_steps=3, decay_rate=0.5)


def run_keras(name, kwargs, weights, grads, names=("kernel", "bias")):
    opt = getattr(keras.optimizers, name)(**kwargs)
    variables = [keras.Variable(w, name=n) for w, n in zip(weights, names)]
    for step in grads:
        opt.apply([keras.ops.convert_to_tensor(g) for g in step], variables)
    return opt, [keras.ops.convert_to_numpy(v) for v in variables]


def run_ours(name, kwargs, weights, grads, names=("kernel", "bias")):
    opt = getattr(optimizers, name)(**kwargs)
    variables = [Variable(torch.tensor(w), name=n) for w, n in zip(weights, names)]
    for step in grads:
        opt.apply([torch.tensor(g) for g in step], variables)
    return opt, [v.detach().numpy() for v in variables]


def assert_parity(name, kwargs, ours_kwargs=None):
    weights, grads = _data()
    _, expected = run_keras(name, kwargs, weights, grads)
    _, got = run_ours(name, ours_kwargs or kwargs, weights, grads)
    for e, g, w in zip(expected, got, weights):
        np.testing.assert_allclose(g, e, atol=1e-5, rtol=0)
        assert np.abs(g - w).max() > 0  # the weights did move


@pytest.mark.parametrize("name", NAMES)
@pytest.mark.parametrize("case", list(COMMON))
def test_common_arguments_match_keras(name, case):
    assert_parity(name, COMMON[case])


@pytest.mark.parametrize("name,kwargs", SPECIFIC, ids=[f"{n}-{sorted(k)}" for n, k in SPECIFIC])
def test_specific_arguments_match_keras(name, kwargs):
    assert_parity(name, kwargs)


@pytest.mark.parametrize("name", NAMES)
def test_schedule_as_learning_rate_matches_keras(name):
    assert_parity(
        name,
        {"learning_rate": _schedule(keras.optimizers)},
        {"learning_rate": _schedule(optimizers)},
    )


def test_schedule_with_accumulation_matches_keras():
    kwargs = {"gradient_accumulation_steps": 2}
    assert_parity(
        "Adam",
        dict(kwargs, learning_rate=_schedule(keras.optimizers)),
        dict(kwargs, learning_rate=_schedule(optimizers)),
    )


@pytest.mark.parametrize("name", ["Adam", "SGD"])
def test_ema_averages_and_finalize_match_keras(name):
    weights, grads = _data()
    kwargs = {"use_ema": True, "ema_momentum": 0.8}
    k_opt, k_weights = run_keras(name, kwargs, weights, grads)
    opt, got = run_ours(name, kwargs, weights, grads)
    for e, g in zip(k_weights, got):
        np.testing.assert_allclose(g, e, atol=1e-5)
    k_avgs = [keras.ops.convert_to_numpy(v) for v in k_opt._model_variables_moving_average]
    params = opt._all_params()
    for k_avg, p in zip(k_avgs, params):
        np.testing.assert_allclose(opt.state[p]["average"].numpy(), k_avg, atol=1e-5)
    opt.finalize_variable_values(params)
    for k_avg, p in zip(k_avgs, params):
        np.testing.assert_allclose(p.detach().numpy(), k_avg, atol=1e-5)


def test_exclude_from_weight_decay_matches_keras():
    weights, grads = _data()
    k_opt = keras.optimizers.AdamW(weight_decay=0.5)
    k_opt.exclude_from_weight_decay(var_names=["bias"])
    k_vars = [keras.Variable(w, name=n) for w, n in zip(weights, ("kernel", "bias"))]
    opt = optimizers.AdamW(weight_decay=0.5)
    opt.exclude_from_weight_decay(var_names=["bias"])
    ours = [Variable(torch.tensor(w), name=n) for w, n in zip(weights, ("kernel", "bias"))]
    for step in grads:
        k_opt.apply([keras.ops.convert_to_tensor(g) for g in step], k_vars)
        opt.apply([torch.tensor(g) for g in step], ours)
    for k, o in zip(k_vars, ours):
        np.testing.assert_allclose(o.detach().numpy(), keras.ops.convert_to_numpy(k), atol=1e-5)
    # the bias moved as plain Adam would move it
    _, plain = run_ours("Adam", {}, weights, grads)
    np.testing.assert_allclose(ours[1].detach().numpy(), plain[1], atol=1e-6)


@pytest.mark.parametrize(
    "name,kwargs",
    [
        ("SGD", {"momentum": 0.9}),
        ("Adam", {"amsgrad": True}),
        ("RMSprop", {"momentum": 0.5, "centered": True}),
        ("Nadam", {}),
        ("Adafactor", {}),
        ("Adam", {"use_ema": True, "gradient_accumulation_steps": 2}),
    ]
    + [(n, {}) for n in ("Adagrad", "Adadelta", "Adamax", "Lion")],
)
def test_variables_have_keras_layout_and_load_keras_values(name, kwargs):
    weights, grads = _data(steps=4)
    k_opt, _ = run_keras(name, kwargs, weights, grads)
    opt = getattr(optimizers, name)(**kwargs)
    opt.build([Variable(torch.tensor(w)) for w in weights])
    assert [tuple(v.shape) for v in opt.variables] == [tuple(v.shape) for v in k_opt.variables]
    opt.set_weights([keras.ops.convert_to_numpy(v) for v in k_opt.variables])
    assert int(opt._iterations) == 4
    for mine, theirs in zip(opt.variables, k_opt.variables):
        np.testing.assert_allclose(mine.numpy(), keras.ops.convert_to_numpy(theirs), atol=1e-6)


@pytest.mark.parametrize("name", NAMES)
def test_config_matches_keras_and_keras_configs_load(name):
    k_opt = getattr(keras.optimizers, name)(learning_rate=0.25)
    opt = getattr(optimizers, name)(learning_rate=0.25)
    k_config, config = k_opt.get_config(), opt.get_config()
    assert set(config) == set(k_config)
    rebuilt = optimizers.deserialize(keras.optimizers.serialize(k_opt))
    assert type(rebuilt) is type(opt)
    for key, value in k_config.items():
        if key != "name":
            assert rebuilt.get_config()[key] == pytest.approx(value)


def test_keras_config_with_schedule_loads():
    k_opt = keras.optimizers.SGD(learning_rate=_schedule(keras.optimizers))
    opt = optimizers.deserialize(keras.optimizers.serialize(k_opt))
    assert isinstance(opt._lr_source, optimizers.schedules.ExponentialDecay)
    assert opt.learning_rate == pytest.approx(0.05)
