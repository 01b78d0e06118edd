"""TerminateOnNaN and LambdaCallback."""

import pytest
import torch

from torchkeras_lite.callbacks import CallbackList, LambdaCallback, TerminateOnNaN


@pytest.mark.parametrize(
    "bad", [float("nan"), float("inf"), torch.tensor(float("nan")), torch.tensor(-float("inf"))]
)
def test_terminate_on_nan_stops(fake_model, bad, capsys):
    cb = TerminateOnNaN()
    cb.set_model(fake_model)
    cb.on_train_batch_end(0, {"loss": torch.tensor(0.5)})
    cb.on_train_batch_end(1, {"accuracy": float("nan")})  # only the loss is watched
    assert not fake_model.stop_training
    cb.on_train_batch_end(2, {"loss": bad})
    assert fake_model.stop_training
    assert "Batch 2: Invalid loss, terminating training" in capsys.readouterr().out


def test_terminate_on_nan_raise_error(fake_model):
    cb = TerminateOnNaN(raise_error=True)
    cb.set_model(fake_model)
    with pytest.raises(RuntimeError, match="NaN or Inf loss encountered at batch 3"):
        cb.on_train_batch_end(3, {"loss": torch.tensor(float("nan"))})


def test_terminate_on_nan_matches_keras(make_model):
    keras = pytest.importorskip("keras")
    for loss in (0.5, float("nan"), float("inf")):
        ours_model, keras_model = make_model(), make_model()
        for cb, model in (
            (TerminateOnNaN(), ours_model),
            (keras.callbacks.TerminateOnNaN(), keras_model),
        ):
            cb.set_model(model)
            cb.on_train_batch_end(0, {"loss": loss})
        assert ours_model.stop_training == keras_model.stop_training


def test_lambda_callback_calls_only_the_given_hooks(fake_model):
    calls = []
    cb = LambdaCallback(
        on_epoch_begin=lambda epoch, logs: calls.append(("epoch_begin", epoch)),
        on_epoch_end=lambda epoch, logs: calls.append(("epoch_end", epoch, logs["loss"])),
        on_train_begin=lambda logs: calls.append(("train_begin",)),
        on_train_end=lambda logs: calls.append(("train_end",)),
        on_train_batch_end=lambda batch, logs: calls.append(("batch_end", batch)),
        on_test_end=lambda logs: calls.append(("test_end", logs["loss"])),
    )
    cbs = CallbackList([cb], model=fake_model)
    assert cbs._batch_callbacks["on_train_batch_end"] == [cb]
    assert cbs._batch_callbacks["on_train_batch_begin"] == []
    cbs.on_train_begin()
    cbs.on_epoch_begin(0)
    cbs.on_train_batch_begin(0)
    cbs.on_train_batch_end(0, {"loss": 1.0})
    cbs.on_test_end({"loss": 2.0})
    cbs.on_epoch_end(0, {"loss": 0.5})
    cbs.on_train_end()
    assert calls == [
        ("train_begin",),
        ("epoch_begin", 0),
        ("batch_end", 0),
        ("test_end", 2.0),
        ("epoch_end", 0, 0.5),
        ("train_end",),
    ]


def test_lambda_callback_on_batch_end_alias():
    batches = []
    cb = LambdaCallback(on_batch_end=lambda batch, logs: batches.append(batch))
    CallbackList([cb]).on_train_batch_end(4, {})
    assert batches == [4]


def test_lambda_callback_errors():
    with pytest.raises(
        ValueError, match="only accepts the hooks of `Callback`.*Received: on_epoch_middle="
    ):
        LambdaCallback(on_epoch_middle=lambda epoch, logs: None)
    with pytest.raises(ValueError, match="hooks must be callables. Received: on_epoch_end=3"):
        LambdaCallback(on_epoch_end=3)
