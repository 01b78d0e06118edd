"""LossScaleOptimizer: skipping non-finite steps, scale updates, Keras parity, torch loops."""

import numpy as np
import pytest
import torch

from torchkeras_lite import optimizers


def _params():
    torch.manual_seed(0)
    return [torch.nn.Parameter(torch.randn(4, 3)), torch.nn.Parameter(torch.randn(3))]


def test_non_finite_grads_skip_the_step_and_halve_the_scale():
    params = _params()
    opt = optimizers.LossScaleOptimizer(optimizers.Adam(learning_rate=0.1), initial_scale=1024.0)
    opt.apply([torch.ones(4, 3), torch.ones(3)], params)
    before = [p.detach().clone() for p in params]
    state_before = {k: v.clone() for k, v in opt.state[params[0]].items()}
    opt.apply([torch.full((4, 3), float("inf")), torch.ones(3)], params)
    assert all(torch.equal(b, p) for b, p in zip(before, params))
    assert all(torch.equal(state_before[k], opt.state[params[0]][k]) for k in state_before)
    assert opt.dynamic_scale.item() == 512.0
    assert int(opt.iterations) == 1
    opt.apply([torch.full((4, 3), float("nan")), torch.ones(3)], params)
    assert opt.dynamic_scale.item() == 256.0


def test_finite_grads_are_unscaled_and_the_scale_grows():
    params = _params()
    start = [p.detach().clone() for p in params]
    opt = optimizers.LossScaleOptimizer(
        optimizers.SGD(learning_rate=0.5), initial_scale=8.0, dynamic_growth_steps=2
    )
    grads = [torch.full((4, 3), 8.0), torch.full((3,), 8.0)]
    opt.apply(grads, params)
    assert torch.equal(grads[0], torch.full((4, 3), 8.0))  # the caller's gradients are untouched
    assert torch.allclose(params[0].detach(), start[0] - 0.5)
    assert opt.dynamic_scale.item() == 8.0
    opt.apply(grads, params)
    assert opt.dynamic_scale.item() == 16.0
    assert int(opt.iterations) == 2


def test_matches_keras_with_an_overflow():
    keras = pytest.importorskip("keras")
    rng = np.random.default_rng(1)
    weights = [rng.normal(size=(4, 3)).astype("float32"), rng.normal(size=(3,)).astype("float32")]
    steps = [[rng.normal(size=w.shape).astype("float32") * 64 for w in weights] for _ in range(8)]
    steps[2][0][1, 1] = np.inf
    steps[5][1][0] = np.nan
    k_opt = keras.optimizers.LossScaleOptimizer(
        keras.optimizers.Adam(0.01), initial_scale=64.0, dynamic_growth_steps=2
    )
    k_vars = [keras.Variable(w) for w in weights]
    opt = optimizers.LossScaleOptimizer(
        optimizers.Adam(0.01), initial_scale=64.0, dynamic_growth_steps=2
    )
    ours = [torch.nn.Parameter(torch.tensor(w)) for w in weights]
    for grads in steps:
        k_opt.apply([keras.ops.convert_to_tensor(g) for g in grads], k_vars)
        opt.apply([torch.tensor(g) for g in grads], ours)
        assert opt.dynamic_scale.item() == float(keras.ops.convert_to_numpy(k_opt.dynamic_scale))
    for k, o in zip(k_vars, ours):
        np.testing.assert_allclose(o.detach().numpy(), keras.ops.convert_to_numpy(k), atol=1e-5)
    assert int(opt.iterations) == int(keras.ops.convert_to_numpy(k_opt.iterations))
    assert [tuple(v.shape) for v in opt.variables] == [tuple(v.shape) for v in k_opt.variables]
    config = keras.optimizers.serialize(k_opt)
    rebuilt = optimizers.deserialize(config)
    assert isinstance(rebuilt.inner_optimizer, optimizers.Adam) and rebuilt.initial_scale == 64.0


def test_float16_torch_loop():
    torch.manual_seed(0)
    model = torch.nn.Linear(4, 1).to(torch.float16)
    opt = optimizers.LossScaleOptimizer(optimizers.SGD(learning_rate=0.1), initial_scale=2.0**20)
    opt.build(model.parameters())
    scheduler = torch.optim.lr_scheduler.StepLR(opt, step_size=1, gamma=0.5)
    x = torch.randn(32, 4, dtype=torch.float16)
    y = x.float() @ torch.tensor([[1.0], [-1.0], [0.5], [2.0]])
    losses = []
    for _ in range(12):
        opt.zero_grad()
        loss = torch.nn.functional.mse_loss(model(x).float(), y)
        opt.scale_loss(loss).backward()
        opt.step()
        scheduler.step()
        losses.append(loss.item())
    assert opt.dynamic_scale.item() < 2.0**20  # the first, overflowing steps lowered the scale
    assert 0 < int(opt.iterations) < 12
    assert losses[-1] < losses[0]
    assert opt.learning_rate == pytest.approx(0.1 * 0.5**12)


def test_delegation_config_and_state():
    inner = optimizers.Adam(learning_rate=0.01)
    opt = optimizers.LossScaleOptimizer(inner)
    assert opt.scale_loss(torch.tensor(2.0)).item() == 2.0**16
    opt.learning_rate = 0.05
    assert inner.learning_rate == 0.05
    params = _params()
    opt.build(params)
    assert opt.param_groups is inner.param_groups and opt.state is inner.state
    config = opt.get_config()
    rebuilt = optimizers.LossScaleOptimizer.from_config(config)
    assert rebuilt.get_config() == config
    assert (
        type(optimizers.get({"class_name": "LossScaleOptimizer", "config": config}))
        is optimizers.LossScaleOptimizer
    )


@pytest.mark.parametrize(
    "kwargs,match",
    [
        ({"dynamic": False}, "no longer supports `dynamic=False`"),
        ({"clipnorm": 1.0}, "does not support `clipnorm`"),
        ({"use_ema": True}, "does not support `use_ema`"),
        ({"bogus": 1}, "does not support arguments: `bogus`"),
    ],
)
def test_argument_errors(kwargs, match):
    with pytest.raises(ValueError, match=match):
        optimizers.LossScaleOptimizer(optimizers.Adam(), **kwargs)


def test_inner_must_be_an_optimizer_and_usage_errors():
    with pytest.raises(ValueError, match="`inner_optimizer` must be a torchkeras_lite optimizer"):
        optimizers.LossScaleOptimizer(torch.optim.SGD([torch.nn.Parameter(torch.zeros(1))], lr=0.1))
    assert isinstance(optimizers.LossScaleOptimizer("sgd").inner_optimizer, optimizers.SGD)
    opt = optimizers.LossScaleOptimizer(optimizers.Adam())
    with pytest.raises(ValueError, match="call `optimizer.build\\(params\\)` before"):
        opt.step()
    with pytest.raises(ValueError, match="must already be built"):
        opt.apply([torch.ones(3)])
