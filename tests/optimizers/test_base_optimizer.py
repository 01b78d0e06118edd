"""The optimizer as a torch optimizer: lazy build, torch loops, lr schedulers, state dicts, registry."""

import contextlib
import io
import json
import math

import pytest
import torch

from torchkeras_lite import optimizers
from torchkeras_lite.backend.variable import Variable
from torchkeras_lite.optimizers import schedules

ALL = [cls for cls in optimizers.OPTIMIZERS.classes() if cls is not optimizers.LossScaleOptimizer]


def _make(cls, **kwargs):
    if cls is optimizers.LossScaleOptimizer:
        return cls(optimizers.Adam(), **kwargs)
    return cls(**kwargs)


def _params():
    torch.manual_seed(0)
    return [torch.nn.Parameter(torch.randn(4, 3)), torch.nn.Parameter(torch.randn(3))]


# -- registry ---------------------------------------------------------------------------------------
def test_every_registered_optimizer_round_trips_its_config():
    classes = optimizers.OPTIMIZERS.classes()
    assert len(classes) == 11
    for cls in classes:
        opt = _make(cls)
        config = opt.get_config()
        json.dumps(config)
        rebuilt = cls.from_config(config)
        assert type(rebuilt) is cls and rebuilt.get_config() == config
        again = optimizers.deserialize(optimizers.serialize(opt))
        assert type(again) is cls and again.get_config() == config


@pytest.mark.parametrize("cls", ALL, ids=lambda c: c.__name__)
def test_get_by_name_any_case_dict_class_and_instance(cls):
    for name in (cls.__name__, cls.__name__.lower(), cls.__name__.upper()):
        assert type(optimizers.get(name)) is cls
    assert type(optimizers.get({"class_name": cls.__name__, "config": {}})) is cls
    assert type(optimizers.get(cls)) is cls
    instance = cls()
    assert optimizers.get(instance) is instance
    assert optimizers.get(None) is None


def test_get_errors():
    with pytest.raises(ValueError, match="Unknown optimizer: 'adamm'.*Did you mean"):
        optimizers.get("adamm")
    with pytest.raises(ValueError, match="Could not interpret optimizer identifier"):
        optimizers.get(42)


def test_schedule_is_serialized_in_the_optimizer_config():
    schedule = schedules.CosineDecay(0.1, decay_steps=100, warmup_target=0.2, warmup_steps=10)
    opt = optimizers.SGD(learning_rate=schedule, momentum=0.5)
    config = opt.get_config()
    assert config["learning_rate"]["class_name"] == "CosineDecay"
    rebuilt = optimizers.SGD.from_config(json.loads(json.dumps(config)))
    assert rebuilt._lr_source.get_config() == schedule.get_config()
    assert rebuilt.momentum == 0.5


# -- torch loops ------------------------------------------------------------------------------------
def test_plain_torch_loop_with_step_lr_changes_the_lr_used():
    model = torch.nn.Linear(3, 2)
    opt = optimizers.SGD(learning_rate=0.1)
    opt.build(model.parameters())
    scheduler = torch.optim.lr_scheduler.StepLR(opt, step_size=2, gamma=0.1)
    x, y = torch.randn(8, 3), torch.randn(8, 2)
    used = []
    for _ in range(4):
        opt.zero_grad()
        torch.nn.functional.mse_loss(model(x), y).backward()
        before, grad = model.weight.detach().clone(), model.weight.grad.clone()
        opt.step()
        used.append(((before - model.weight.detach()) / grad).mean().item())
        scheduler.step()
    assert used == pytest.approx([0.1, 0.1, 0.01, 0.01], rel=1e-4)
    assert opt.learning_rate == pytest.approx(0.001)
    assert int(opt.iterations) == 4


def test_step_with_closure_returns_loss_and_trains():
    model = torch.nn.Linear(3, 1)
    opt = optimizers.Adam(model.parameters(), lr=0.05)
    x, y = torch.randn(16, 3), torch.randn(16, 1)

    def closure():
        opt.zero_grad()
        loss = torch.nn.functional.mse_loss(model(x), y)
        loss.backward()
        return loss

    first = opt.step(closure).item()
    for _ in range(30):
        last = opt.step(closure).item()
    assert last < first * 0.8


def test_torch_style_construction_and_param_groups():
    w, b = _params()
    opt = optimizers.SGD([{"params": [w], "lr": 0.5}, {"params": [b]}], lr=0.1)
    assert opt.built and [g["lr"] for g in opt.param_groups] == [0.5, 0.1]
    w0, b0 = w.detach().clone(), b.detach().clone()
    w.grad, b.grad = torch.ones_like(w), torch.ones_like(b)
    opt.step()
    assert torch.allclose(w0 - w.detach(), torch.full_like(w, 0.5))
    assert torch.allclose(b0 - b.detach(), torch.full_like(b, 0.1))
    adam = optimizers.Adam(params=[w])
    assert adam.built and adam.learning_rate == 0.001


def test_per_group_weight_decay():
    w, b = _params()
    opt = optimizers.SGD([{"params": [w], "weight_decay": 0.5}, {"params": [b]}], lr=0.1)
    w0, b0 = w.detach().clone(), b.detach().clone()
    w.grad, b.grad = torch.zeros_like(w), torch.zeros_like(b)
    opt.step()
    assert torch.allclose(w.detach(), w0 * (1 - 0.5 * 0.1))
    assert torch.equal(b.detach(), b0)


def test_step_skips_parameters_without_grad_and_apply_warns():
    w, b = _params()
    opt = optimizers.SGD(learning_rate=0.1)
    opt.build([w, b])
    b0 = b.detach().clone()
    w.grad = torch.ones_like(w)
    opt.step()
    assert torch.equal(b.detach(), b0)
    with pytest.warns(UserWarning, match="Gradients do not exist"):
        opt.apply([torch.ones_like(w), None], [w, b])
    assert int(opt.iterations) == 2


def test_learning_rate_is_readable_and_assignable():
    w, _ = _params()
    opt = optimizers.Adam(learning_rate=0.01)
    assert opt.learning_rate == 0.01
    opt.learning_rate = 0.02
    opt.build([w])
    assert opt.param_groups[0]["lr"] == 0.02
    opt.learning_rate = 0.03
    assert opt.param_groups[0]["lr"] == 0.03 and opt.get_config()["learning_rate"] == 0.03
    opt.learning_rate = schedules.ExponentialDecay(0.1, 1, 0.5)
    w.grad = torch.ones_like(w)
    opt.step()
    opt.step()
    assert opt.learning_rate == pytest.approx(0.025)
    assert opt.param_groups[0]["lr"] == pytest.approx(0.05)  # the rate used by the last step


def test_callable_learning_rate():
    w, _ = _params()
    opt = optimizers.SGD(learning_rate=lambda: 0.25)
    w0 = w.detach().clone()
    opt.apply([torch.ones_like(w)], [w])
    assert torch.allclose(w0 - w.detach(), torch.full_like(w, 0.25))


def test_constraint_applied_after_update():
    var = Variable(torch.zeros(3), constraint=lambda x: x.clamp(-0.05, 0.05))
    plain = torch.nn.Parameter(torch.zeros(3))
    opt = optimizers.SGD(learning_rate=0.1)
    opt.apply([torch.tensor([1.0, -0.2, 0.3]), torch.ones(3)], [var, plain])
    assert torch.allclose(var.detach(), torch.tensor([-0.05, 0.02, -0.03]))
    assert torch.allclose(plain.detach(), torch.full((3,), -0.1))


def test_exclude_from_weight_decay_by_object():
    w, b = _params()
    opt = optimizers.SGD(learning_rate=0.1, weight_decay=0.5)
    opt.exclude_from_weight_decay(var_list=[b])
    w0, b0 = w.detach().clone(), b.detach().clone()
    opt.apply([torch.zeros_like(w), torch.zeros_like(b)], [w, b])
    assert torch.allclose(w.detach(), w0 * 0.95) and torch.equal(b.detach(), b0)


def test_iterations_with_accumulation_and_variables_views():
    w, _ = _params()
    opt = optimizers.Adam(gradient_accumulation_steps=2)
    for _ in range(5):
        opt.apply([torch.ones_like(w)], [w])
    assert int(opt.iterations) == 2 and opt._iterations == 5
    assert int(opt.variables[0]) == 5


# -- state ------------------------------------------------------------------------------------------
@pytest.mark.parametrize("cls", ALL + [optimizers.LossScaleOptimizer], ids=lambda c: c.__name__)
def test_state_dict_round_trip(cls):
    grads = [[torch.randn(4, 3), torch.randn(3)] for _ in range(6)]
    params_a = _params()
    opt_a = _make(cls)
    for g in grads[:3]:
        opt_a.apply(g, params_a)
    buffer = io.BytesIO()
    torch.save(opt_a.state_dict(), buffer)
    buffer.seek(0)
    params_b = [torch.nn.Parameter(p.detach().clone()) for p in params_a]
    opt_b = _make(cls)
    opt_b.build(params_b)
    opt_b.load_state_dict(torch.load(buffer, weights_only=True))
    assert int(opt_b.iterations) == 3
    for g in grads[3:]:
        opt_a.apply(g, params_a)
        opt_b.apply(g, params_b)
    for a, b in zip(params_a, params_b):
        assert torch.equal(a, b)


def test_set_weights_and_own_variables_round_trip():
    grads = [torch.randn(4, 3), torch.randn(3)]
    params = _params()
    opt = optimizers.Nadam(learning_rate=0.01)
    opt.apply(grads, params)
    opt.apply(grads, params)
    store = {}
    opt.save_own_variables(store)
    fresh = optimizers.Nadam(learning_rate=0.5)
    fresh.build([torch.nn.Parameter(p.detach().clone()) for p in params])
    fresh.load_own_variables(store)
    assert fresh._iterations == 2 and fresh.learning_rate == pytest.approx(0.01)
    assert fresh._u_product == pytest.approx(opt._u_product)
    with pytest.warns(UserWarning, match="Skipping variable loading"):
        optimizers.Nadam().load_own_variables(store)


def test_deepcopy_keeps_keras_state():
    import copy

    opt = optimizers.Adam(learning_rate=0.3, clipnorm=1.0)
    opt.apply([torch.ones(3)], [torch.nn.Parameter(torch.zeros(3))])
    clone = copy.deepcopy(opt)
    assert clone.clipnorm == 1.0 and clone._iterations == 1 and clone.learning_rate == 0.3


# -- no host sync ---------------------------------------------------------------------------------
@contextlib.contextmanager
def _forbid_host_reads(monkeypatch):
    def boom(*args, **kwargs):
        raise AssertionError("host sync in the optimizer step")

    with monkeypatch.context() as m:
        for attr in ("item", "tolist", "__bool__", "__float__", "__int__", "numpy"):
            m.setattr(torch.Tensor, attr, boom)
        yield


@pytest.mark.parametrize("cls", ALL, ids=lambda c: c.__name__)
def test_step_never_reads_tensors_back(cls, monkeypatch):
    schedule = schedules.PiecewiseConstantDecay([2], [0.01, 0.001])
    for kwargs in (
        {
            "global_clipnorm": 1.0,
            "use_ema": True,
            "ema_overwrite_frequency": 2,
            "weight_decay": 0.1,
        },
        {"clipnorm": 1.0, "gradient_accumulation_steps": 2, "learning_rate": schedule},
    ):
        params = _params()
        opt = cls(**kwargs)
        opt.build(params)
        for p in params:
            p.grad = torch.randn_like(p)
        with _forbid_host_reads(monkeypatch):
            for _ in range(4):
                opt.step()
        assert all(torch.isfinite(p).all() for p in params)


def test_forbidding_host_reads_catches_a_sync(monkeypatch):
    with _forbid_host_reads(monkeypatch), pytest.raises(AssertionError, match="host sync"):
        bool(torch.ones(()) > 0)


@pytest.mark.cuda
def test_cuda_step_does_not_sync():
    params = [
        torch.nn.Parameter(torch.randn(64, 32, device="cuda")),
        torch.nn.Parameter(torch.randn(32, device="cuda")),
    ]
    opt = optimizers.AdamW(
        global_clipnorm=1.0, use_ema=True, learning_rate=schedules.CosineDecay(1e-3, 100)
    )
    opt.build(params)
    for p in params:
        p.grad = torch.randn_like(p)
    opt.step()
    torch.cuda.set_sync_debug_mode("error")
    try:
        for _ in range(3):
            opt.step()
    finally:
        torch.cuda.set_sync_debug_mode("default")


# -- errors -----------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "factory,match",
    [
        (lambda: optimizers.Adam(clipnorm=1.0, global_clipnorm=1.0), "Only one of `clipnorm`"),
        (lambda: optimizers.SGD(clipvalue=1.0, clipnorm=1.0), "Only one of `clipnorm`"),
        (lambda: optimizers.Adam(learning_rate="fast"), "should be float"),
        (lambda: optimizers.Adam(learning_rate=True), "should be float"),
        (lambda: optimizers.Adam(gradient_accumulation_steps=1), "must be an integer >= 2"),
        (
            lambda: optimizers.Adam(use_ema=True, ema_momentum=1.5),
            "must be in the range \\[0, 1\\]",
        ),
        (
            lambda: optimizers.Adam(use_ema=True, ema_overwrite_frequency=1.5),
            "integer >= 1 or None",
        ),
        (lambda: optimizers.Adam(foo=1), "Argument\\(s\\) not recognized"),
        (lambda: optimizers.Adam(lr=0.1), "Argument `lr` is only accepted"),
        (lambda: optimizers.SGD(momentum=1.5), "`momentum` must be a float between"),
        (lambda: optimizers.Lion(beta_1=0.0), "`beta_1` must be in the \\[0, 1\\] range"),
        (lambda: optimizers.AdamW(weight_decay=None), "`weight_decay` must be a float"),
    ],
)
def test_constructor_errors(factory, match):
    with pytest.raises(ValueError, match=match):
        factory()


def test_negative_learning_rate_is_accepted_like_keras():
    w = torch.nn.Parameter(torch.zeros(2))
    optimizers.SGD(learning_rate=-0.5).apply([torch.ones(2)], [w])
    assert torch.allclose(w.detach(), torch.full((2,), 0.5))


def test_assigning_learning_rate_on_a_schedule_raises():
    opt = optimizers.Adam(learning_rate=schedules.ExponentialDecay(0.1, 10, 0.9))
    with pytest.raises(TypeError, match="learning rate is not settable"):
        opt.learning_rate = 0.5


def test_decay_argument_warns():
    with pytest.warns(UserWarning, match="`decay` is no longer supported"):
        optimizers.SGD(decay=0.1)


def test_usage_errors():
    w, b = _params()
    opt = optimizers.Adam()
    with pytest.raises(ValueError, match="call `optimizer.build\\(params\\)`"):
        opt.step()
    with pytest.raises(ValueError, match="must already be built"):
        opt.apply([torch.ones(4, 3)])
    with pytest.raises(ValueError, match="has not yet been built"):
        opt.set_weights([])
    with pytest.raises(ValueError, match="must be built before `load_state_dict"):
        opt.load_state_dict({})
    opt.build([w])
    with pytest.raises(ValueError, match="Unknown variable"):
        opt.apply([torch.ones(3)], [b])
    with pytest.raises(ValueError, match="variables the optimizer was built with one-to-one"):
        opt.apply([torch.ones(4, 3), torch.ones(3)])
    with pytest.raises(ValueError, match="No gradients provided"):
        opt.apply([None], [w])
    with pytest.raises(ValueError, match="expected as many weights"):
        opt.set_weights([0])
    with pytest.raises(ValueError, match="not compatible with the provided weight"):
        opt.set_weights(
            [v.numpy() if v.dim() else 0 for v in opt.variables[:2]] + [torch.zeros(2)] * 2
        )
    with pytest.raises(ValueError, match="Sparse gradients are not supported"):
        opt.apply([torch.ones(4, 3).to_sparse()], [w])


def test_weights_move_downhill_for_every_optimizer():
    target = torch.tensor([1.0, -2.0, 0.5])
    for cls in ALL:
        w = torch.nn.Parameter(torch.zeros(3))
        opt = cls(learning_rate=0.05) if cls is not optimizers.Adadelta else cls(learning_rate=1.0)
        for _ in range(50):
            loss = ((w - target) ** 2).sum()
            (grad,) = torch.autograd.grad(loss, [w])
            opt.apply([grad], [w])
        final = ((w.detach() - target) ** 2).sum().item()
        assert math.isfinite(final) and final < 5.25 - 1e-2, cls.__name__
