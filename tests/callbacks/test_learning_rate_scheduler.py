import pytest

from torchkeras_lite.callbacks import LearningRateScheduler


def drive(cb, model, epochs):
    cb.set_model(model)
    lrs, logged = [], []
    for epoch in range(epochs):
        cb.on_epoch_begin(epoch)
        lrs.append(model.optimizer.param_groups[0]["lr"])
        logs = {"loss": 1.0}
        cb.on_epoch_end(epoch, logs)
        logged.append(logs["learning_rate"])
    return lrs, logged


def test_schedule_of_epoch_and_lr(sgd_model):
    lrs, logged = drive(
        LearningRateScheduler(lambda epoch, lr: lr * 0.5 if epoch else lr), sgd_model, 4
    )
    assert lrs == [1.0, 0.5, 0.25, 0.125] and logged == lrs


def test_schedule_of_epoch_only(sgd_model):
    lrs, _ = drive(LearningRateScheduler(lambda epoch: 0.1 * (epoch + 1)), sgd_model, 3)
    assert lrs == pytest.approx([0.1, 0.2, 0.3])


def test_same_rates_as_keras(make_model, sgd_model):
    keras = pytest.importorskip("keras")

    def schedule(epoch, lr):
        return lr if epoch < 2 else lr * 0.9

    keras_model = make_model(optimizer=keras.optimizers.SGD(learning_rate=1.0))
    theirs = keras.callbacks.LearningRateScheduler(schedule)
    theirs.set_model(keras_model)
    their_lrs = []
    for epoch in range(5):
        theirs.on_epoch_begin(epoch)
        their_lrs.append(float(keras_model.optimizer.learning_rate))
    ours, _ = drive(LearningRateScheduler(schedule), sgd_model, 5)
    assert ours == pytest.approx(their_lrs, rel=1e-6)


def test_verbose(sgd_model, capsys):
    drive(LearningRateScheduler(lambda epoch, lr: 0.5, verbose=1), sgd_model, 1)
    assert "Epoch 1: LearningRateScheduler setting learning rate to 0.5." in capsys.readouterr().out


def test_bad_schedule_output(sgd_model):
    cb = LearningRateScheduler(lambda epoch, lr: "fast")
    cb.set_model(sgd_model)
    with pytest.raises(ValueError, match="should be a float. Received: learning_rate='fast'"):
        cb.on_epoch_begin(0)


def test_not_callable_and_no_optimizer(fake_model):
    with pytest.raises(ValueError, match="`schedule` must be a function"):
        LearningRateScheduler(0.1)
    cb = LearningRateScheduler(lambda epoch, lr: lr)
    cb.set_model(fake_model)
    with pytest.raises(ValueError, match="needs a model with an optimizer"):
        cb.on_epoch_begin(0)
