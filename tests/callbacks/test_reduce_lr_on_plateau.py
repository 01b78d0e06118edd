import pytest
import torch

from torchkeras_lite.callbacks import ReduceLROnPlateau, get_learning_rate

CASES = [
    ([1.0, 1.0, 1.0, 1.0, 1.0, 1.0], dict(factor=0.5, patience=1)),
    ([1.0, 0.9, 0.9, 0.9, 0.8, 0.8, 0.8, 0.8], dict(factor=0.1, patience=2)),
    ([1.0] * 10, dict(factor=0.5, patience=1, cooldown=2)),
    ([1.0] * 12, dict(factor=0.1, patience=1, min_lr=0.001)),
    ([1.0] * 12, dict(factor=0.5, patience=2, cooldown=1, min_lr=0.1)),
    ([1.0, 0.99995, 0.9999, 0.9, 0.9, 0.9], dict(factor=0.5, patience=1)),  # min_delta 1e-4
    ([1.0, 0.9, 0.8, 0.7, 0.6], dict(factor=0.5, patience=1, min_delta=0.2)),
    ([0.5, 0.6, 0.6, 0.6, 0.7, 0.7], dict(factor=0.5, patience=1, mode="max", monitor="val_acc")),
]


def drive(callback, model, values, monitor):
    callback.set_model(model)
    callback.on_train_begin()
    lrs, logged = [], []
    for epoch, value in enumerate(values):
        logs = {monitor: value}
        callback.on_epoch_end(epoch, logs)
        logged.append(logs["learning_rate"])
        lrs.append(get_learning_rate(model.optimizer))
    return lrs, logged


@pytest.mark.parametrize("values,kwargs", CASES)
def test_same_learning_rates_as_keras(values, kwargs, make_model, sgd_model):
    keras = pytest.importorskip("keras")
    monitor = kwargs.pop("monitor", "val_loss")
    keras_model = make_model(optimizer=keras.optimizers.SGD(learning_rate=1.0))
    theirs = keras.callbacks.ReduceLROnPlateau(monitor=monitor, **kwargs)
    ours = ReduceLROnPlateau(monitor=monitor, **kwargs)
    their_lrs, their_logged = drive(theirs, keras_model, values, monitor)
    our_lrs, our_logged = drive(ours, sgd_model, values, monitor)
    assert our_lrs == pytest.approx(their_lrs, rel=1e-6)
    assert our_logged == pytest.approx(their_logged, rel=1e-6)
    assert ours.wait == theirs.wait and ours.cooldown_counter == theirs.cooldown_counter
    assert len(set(our_lrs)) > 1  # every case does reduce


def test_torch_sgd_steps_with_the_reduced_rate(sgd_model):
    cb = ReduceLROnPlateau(monitor="loss", factor=0.25, patience=1)
    drive(cb, sgd_model, [1.0, 1.0], "loss")
    param = sgd_model.optimizer.param_groups[0]["params"][0]
    param.grad = torch.ones(3)
    sgd_model.optimizer.step()
    assert param.detach().tolist() == [-0.25, -0.25, -0.25]  # lr 1.0 -> 0.25, grad 1


def test_every_param_group_is_updated(make_model):
    a, b = torch.nn.Parameter(torch.zeros(1)), torch.nn.Parameter(torch.zeros(1))
    opt = torch.optim.SGD([{"params": [a]}, {"params": [b], "lr": 2.0}], lr=1.0)
    cb = ReduceLROnPlateau(monitor="loss", factor=0.5, patience=0)
    drive(cb, make_model(optimizer=opt), [1.0, 1.0], "loss")
    assert [g["lr"] for g in opt.param_groups] == [0.5, 0.5]  # set to the reduced first-group rate


def test_verbose_message(sgd_model, capsys):
    cb = ReduceLROnPlateau(monitor="loss", factor=0.5, patience=0, verbose=1)
    drive(cb, sgd_model, [1.0, 1.0], "loss")
    assert "Epoch 2: ReduceLROnPlateau reducing learning rate to 0.5." in capsys.readouterr().out


def test_factor_must_be_below_one():
    with pytest.raises(ValueError, match="does not support a factor >= 1.0. Received: factor=1.5"):
        ReduceLROnPlateau(factor=1.5)


def test_needs_an_optimizer(fake_model):
    cb = ReduceLROnPlateau(monitor="loss")
    cb.set_model(fake_model)
    with pytest.raises(ValueError, match="needs a model with an optimizer"):
        cb.on_epoch_end(0, {"loss": 1.0})


def test_missing_monitor_warns(sgd_model):
    cb = ReduceLROnPlateau(monitor="val_loss", patience=0)
    cb.set_model(sgd_model)
    with pytest.warns(UserWarning, match="conditioned on metric `val_loss` which is not available"):
        cb.on_epoch_end(0, {"loss": 1.0})
    assert sgd_model.optimizer.param_groups[0]["lr"] == 1.0
