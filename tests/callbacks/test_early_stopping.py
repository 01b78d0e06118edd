import warnings

import numpy as np
import pytest

from torchkeras_lite.callbacks import EarlyStopping

# Values are multiples of 1/64 and deltas powers of two, so float32 (Keras) and float64 agree.
CASES = [
    ("loss", [1.0, 0.875, 0.9375, 0.9375, 0.96875, 0.5], dict(patience=2)),
    ("val_loss", [1.0, 0.875, 0.9375, 0.9375, 0.96875, 0.5], dict(patience=0)),
    (
        "loss",
        [1.0, 0.96875, 0.953125, 0.875, 0.859375, 0.84375, 0.828125],
        dict(min_delta=0.0625, patience=1),
    ),
    ("loss", [1.0, 0.875, 0.75, 0.625, 0.5625, 0.5625, 0.5625], dict(baseline=0.5, patience=2)),
    ("loss", [1.0, 0.875, 0.4375, 0.5, 0.5, 0.5, 0.5], dict(baseline=0.5, patience=2)),
    ("loss", [1.0, 1.0, 1.0, 1.0], dict(baseline=0.5, patience=1, restore_best_weights=True)),
    ("val_accuracy", [0.5, 0.625, 0.625, 0.5625, 0.75, 0.75, 0.75], dict(mode="max", patience=1)),
    (
        "val_accuracy",
        [0.5, 0.625, 0.6875, 0.5625, 0.75],
        dict(mode="max", patience=1, min_delta=0.125),
    ),
    ("loss", [1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0], dict(start_from_epoch=3, patience=1)),
    (
        "loss",
        [5.0, 4.0, 3.0, 3.5, 3.25, 2.0, 2.5, 2.75, 3.0],
        dict(patience=2, restore_best_weights=True),
    ),
    ("loss", [5.0, 6.0, 7.0, 8.0], dict(patience=2, restore_best_weights=True, start_from_epoch=1)),
]


def run(callback, model, monitor, values):
    """Drives the callback like `fit`; returns the epochs run."""
    callback.set_model(model)
    callback.on_train_begin()
    epochs = 0
    for epoch, value in enumerate(values):
        model.weights_value = float(epoch)  # the weights "of" this epoch
        callback.on_epoch_end(epoch, {monitor: value, "other": 0.0})
        epochs += 1
        if model.stop_training:
            break
    callback.on_train_end()
    return epochs


@pytest.mark.parametrize("monitor,values,kwargs", CASES)
def test_stops_at_the_same_epoch_as_keras(monitor, values, kwargs, make_model):
    FakeModel = make_model
    keras = pytest.importorskip("keras")
    ours_model, keras_model = FakeModel(), FakeModel()
    ours = EarlyStopping(monitor=monitor, **kwargs)
    theirs = keras.callbacks.EarlyStopping(monitor=monitor, **kwargs)
    assert run(ours, ours_model, monitor, values) == run(theirs, keras_model, monitor, values)
    assert ours.stopped_epoch == theirs.stopped_epoch
    assert ours.wait == theirs.wait
    assert ours.best == pytest.approx(float(theirs.best))
    assert ours.best_epoch == theirs.best_epoch
    assert ours_model.stop_training == keras_model.stop_training
    assert ours_model.weights_value == keras_model.weights_value
    assert len(ours_model.set_weights_calls) == len(keras_model.set_weights_calls)


def test_random_sequences_match_keras(make_model):
    FakeModel = make_model
    keras = pytest.importorskip("keras")
    rng = np.random.default_rng(0)
    for _ in range(40):
        values = [float(v) / 64 for v in rng.integers(0, 64, size=int(rng.integers(2, 12)))]
        kwargs = dict(
            patience=int(rng.integers(0, 4)),
            min_delta=float(rng.choice([0.0, 0.03125, 0.125])),
            baseline=[None, 0.5][int(rng.integers(0, 2))],
            mode=str(rng.choice(["min", "max", "auto"])),
            restore_best_weights=bool(rng.integers(0, 2)),
            start_from_epoch=int(rng.integers(0, 3)),
        )
        ours_model, keras_model = FakeModel(), FakeModel()
        ours = EarlyStopping(monitor="val_loss", **kwargs)
        theirs = keras.callbacks.EarlyStopping(monitor="val_loss", **kwargs)
        assert run(ours, ours_model, "val_loss", values) == run(
            theirs, keras_model, "val_loss", values
        ), (values, kwargs)
        assert ours_model.weights_value == keras_model.weights_value, (values, kwargs)


def test_restores_the_best_weights(fake_model):
    cb = EarlyStopping(monitor="loss", patience=2, restore_best_weights=True)
    epochs = run(cb, fake_model, "loss", [3.0, 1.0, 2.0, 2.5, 0.5])
    assert epochs == 4 and cb.stopped_epoch == 3 and cb.best_epoch == 1
    assert fake_model.weights_value == 1.0  # the weights of epoch 1 are back


def test_best_weights_are_a_snapshot(make_model):
    FakeModel = make_model
    import torch

    class TensorModel(FakeModel):
        def __init__(self):
            super().__init__()
            self.weight = torch.zeros(2)

        def get_weights(self):
            return [self.weight]  # a live reference, as a careless model might return

        def set_weights(self, weights):
            self.weight = weights[0]

    model = TensorModel()
    cb = EarlyStopping(monitor="loss", patience=1, restore_best_weights=True)
    cb.set_model(model)
    cb.on_train_begin()
    cb.on_epoch_end(0, {"loss": 1.0})
    model.weight.add_(5.0)  # training continues in place
    cb.on_epoch_end(1, {"loss": 2.0})
    cb.on_train_end()
    assert model.weight.tolist() == [0.0, 0.0]


def test_verbose_messages(fake_model, capsys):
    cb = EarlyStopping(monitor="loss", patience=1, verbose=1, restore_best_weights=True)
    run(cb, fake_model, "loss", [1.0, 0.5, 0.75, 0.875])
    out = capsys.readouterr().out
    assert "Epoch 3: early stopping" in out
    assert "Restoring model weights from the end of the best epoch: 2." in out


def test_missing_monitor_warns_like_keras(fake_model, make_model):
    FakeModel = make_model
    keras = pytest.importorskip("keras")
    with pytest.warns(UserWarning) as ours_record:
        cb = EarlyStopping(monitor="val_loss")
        cb.set_model(fake_model)
        cb.on_train_begin()
        cb.on_epoch_end(0, {"loss": 1.0, "accuracy": 0.5})
    with pytest.warns(UserWarning) as keras_record:
        theirs = keras.callbacks.EarlyStopping(monitor="val_loss")
        theirs.set_model(FakeModel())
        theirs.on_train_begin()
        theirs.on_epoch_end(0, {"loss": 1.0, "accuracy": 0.5})
    assert str(ours_record[0].message) == str(keras_record[0].message)
    assert "Available metrics are: loss,accuracy" in str(ours_record[0].message)
    assert not fake_model.stop_training


@pytest.mark.parametrize(
    "monitor,direction",
    [("val_accuracy", "max"), ("acc", "max"), ("val_auc", "max"), ("val_sparse_categorical_accuracy", "max"),
     ("val_precision", "max"), ("f1_score", "max"), ("loss", "min"), ("val_mse", "min"),
     ("val_mean_absolute_error", "min"), ("val_binary_crossentropy", "min")],
)  # fmt: skip
def test_auto_mode_from_the_metric_name(fake_model, monitor, direction):
    cb = EarlyStopping(monitor=monitor, patience=0)
    cb.set_model(fake_model)
    cb.on_train_begin()
    cb.on_epoch_end(0, {monitor: 0.5})
    cb.on_epoch_end(1, {monitor: 0.75})  # an improvement only when maximising
    assert fake_model.stop_training == (direction == "min")


def test_auto_mode_uses_the_metric_direction_of_the_model(fake_model):
    class Metric:
        name = "my_score_thing"
        _direction = "up"

    class Container:  # like the compiled-metrics container of `model.metrics`
        metrics = [Metric()]

    fake_model.metrics = [Container()]
    cb = EarlyStopping(monitor="val_my_score_thing", patience=0)
    cb.set_model(fake_model)
    cb.on_train_begin()
    cb.on_epoch_end(0, {"val_my_score_thing": 0.5})
    cb.on_epoch_end(1, {"val_my_score_thing": 0.75})
    assert not fake_model.stop_training


def test_auto_mode_unknown_metric_raises(fake_model):
    cb = EarlyStopping(monitor="val_widgets")
    cb.set_model(fake_model)
    with pytest.raises(ValueError, match="cannot tell whether that metric should be maximized"):
        cb.on_epoch_end(0, {"val_widgets": 1.0})


def test_unknown_mode_warns_and_falls_back_to_auto():
    with pytest.warns(UserWarning, match="mode 'sideways' is unknown, fallback to auto mode"):
        cb = EarlyStopping(mode="sideways")
    assert cb.mode == "auto"


def test_reusable_across_fits(fake_model):
    cb = EarlyStopping(monitor="loss", patience=0)
    run(cb, fake_model, "loss", [1.0, 2.0])
    assert cb.stopped_epoch == 1
    fake_model.stop_training = False
    assert run(cb, fake_model, "loss", [3.0, 2.0, 1.0]) == 3 and cb.stopped_epoch == 0


def test_no_warning_when_monitor_present(fake_model):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        run(EarlyStopping(), fake_model, "val_loss", [1.0, 0.5])
