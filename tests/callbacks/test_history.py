import pytest
import torch

from torchkeras_lite.callbacks import CallbackList, History

EPOCH_LOGS = [
    {"loss": 0.5, "val_loss": 0.75, "accuracy": 0.25},
    {"loss": torch.tensor(0.25), "val_loss": 0.5, "accuracy": 0.5},
    {"loss": 0.125, "val_loss": 0.25, "accuracy": 0.75, "learning_rate": 0.1},
]


def fit(cls_list, model, epochs=EPOCH_LOGS):
    cbs = cls_list([], add_history=True, model=model, verbose=0, epochs=len(epochs), steps=2)
    cbs.on_train_begin()
    for epoch, logs in enumerate(epochs):
        cbs.on_epoch_begin(epoch)
        cbs.on_train_batch_begin(0)
        cbs.on_train_batch_end(0, {"loss": torch.tensor(1.0)})
        cbs.on_epoch_end(epoch, dict(logs))
    cbs.on_train_end(dict(epochs[-1]))
    return model.history


def test_collects_like_keras(make_model):
    keras = pytest.importorskip("keras")
    ours = fit(CallbackList, make_model())
    theirs = fit(keras.callbacks.CallbackList, make_model())
    assert isinstance(ours, History)
    assert ours.history == theirs.history
    assert list(ours.history) == list(theirs.history)
    assert ours.epoch == theirs.epoch == [0, 1, 2]
    assert ours.params == theirs.params == {"verbose": 0, "epochs": 3, "steps": 2}
    assert ours.history["learning_rate"] == [0.1]  # keys seen late get a shorter list, as in Keras


def test_history_accumulates_across_fits(fake_model):
    history = History()
    history.set_model(fake_model)
    for _ in range(2):
        history.on_train_begin()
        history.on_epoch_end(0, {"loss": 1.0})
    assert history.history == {"loss": [1.0, 1.0]} and history.epoch == [0]
    assert fake_model.history is history
