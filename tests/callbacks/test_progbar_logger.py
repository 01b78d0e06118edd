import io
import re
import sys

import pytest
import torch

from torchkeras_lite.callbacks import CallbackList, ProgbarLogger
from torchkeras_lite.utils import progress

CONTROL = re.compile(r"[\x00-\x09\x0b-\x1f\x7f\x9b]")
TIMES = re.compile(r"\d+(s|ms|us)/(step|sample)|\b\d+s\b")


class TTY(io.StringIO):
    def isatty(self):
        return True


class Clock:
    t = 1000.0

    def __call__(self):
        return self.t


class CountingTensor(torch.Tensor):
    reads = 0

    def item(self):
        CountingTensor.reads += 1
        return super().item()


def counting(value):
    return torch.tensor(value).as_subclass(CountingTensor)


def fit(cls_list, model, verbose, epochs=2, steps=3, batch_logs=None, progbar=None):
    """Drives a callback list like `fit` with validation; returns nothing (output goes to stdout)."""
    callbacks = [progbar] if progbar is not None else []
    cbs = cls_list(callbacks, add_history=True, add_progbar=True, model=model,
                   verbose=verbose, epochs=epochs, steps=steps)  # fmt: skip
    cbs.on_train_begin()
    for epoch in range(epochs):
        cbs.on_epoch_begin(epoch)
        for batch in range(steps):
            cbs.on_train_batch_begin(batch)
            logs = batch_logs(batch) if batch_logs else {"loss": 1.0 / (batch + 1), "acc": 0.5}
            cbs.on_train_batch_end(batch, logs)
        cbs.on_test_begin()
        for batch in range(2):
            cbs.on_test_batch_begin(batch)
            cbs.on_test_batch_end(batch, {"loss": 9.0})
        cbs.on_test_end({"loss": 0.75})
        cbs.on_epoch_end(epoch, {"loss": 0.5 - epoch / 8, "acc": 0.5, "val_loss": 0.75})
    cbs.on_train_end()


def evaluate(cls_list, model, verbose, steps=4):
    cbs = cls_list([], add_progbar=True, model=model, verbose=verbose, epochs=1, steps=steps)
    cbs.on_test_begin()
    for batch in range(steps):
        cbs.on_test_batch_begin(batch)
        cbs.on_test_batch_end(batch, {"loss": 0.25, "mae": 0.5})
    cbs.on_test_end({"loss": 0.25, "mae": 0.5})


def test_verbose_2_fit_prints_like_keras(make_model, capsys):
    keras = pytest.importorskip("keras")
    fit(keras.callbacks.CallbackList, make_model(), verbose=2)
    theirs = capsys.readouterr().out
    fit(CallbackList, make_model(), verbose=2)
    ours = capsys.readouterr().out
    assert TIMES.sub("T", ours) == TIMES.sub("T", theirs)
    assert ours.splitlines()[0] == "Epoch 1/2" and ours.count("\n") == 4
    assert "3/3 - " in ours and "- acc: 0.5000 - loss: 0.3750 - val_loss: 0.7500" in ours
    assert not CONTROL.search(ours)


def test_verbose_2_evaluate_prints_like_keras(make_model, capsys):
    keras = pytest.importorskip("keras")
    evaluate(keras.callbacks.CallbackList, make_model(), verbose=2)
    theirs = capsys.readouterr().out
    evaluate(CallbackList, make_model(), verbose=2)
    ours = capsys.readouterr().out
    assert TIMES.sub("T", ours) == TIMES.sub("T", theirs)
    assert ours.startswith("4/4 - ") and "loss: 0.2500 - mae: 0.5000" in ours


def test_verbose_1_in_a_log_file_has_no_control_characters(fake_model, capsys):
    fit(CallbackList, fake_model, verbose=1)
    out = capsys.readouterr().out
    assert not CONTROL.search(out)
    assert out.splitlines()[0] == "Epoch 1/2" and out.count("\n") == 4
    assert "val_loss: 0.7500" in out and "9.0" not in out  # validation batches stay silent


def test_single_epoch_has_no_header(fake_model, capsys):
    fit(CallbackList, fake_model, verbose=2, epochs=1)
    assert not capsys.readouterr().out.startswith("Epoch")


def test_auto_verbose_in_a_log_file_is_2(fake_model, capsys):
    fit(CallbackList, fake_model, verbose="auto")
    assert capsys.readouterr().out.count("\n") == 4


def test_live_bar_reads_tensors_a_few_times_per_second(fake_model, monkeypatch):
    clock = Clock()
    monkeypatch.setattr(progress, "_now", clock)
    monkeypatch.setattr(sys, "stdout", TTY())

    def batch_logs(batch):
        clock.t += 0.01  # 100 steps/s
        return {"loss": counting(0.5), "acc": counting(0.25)}

    CountingTensor.reads = 0
    fit(CallbackList, fake_model, verbose=1, epochs=1, steps=1000, batch_logs=batch_logs)
    assert CountingTensor.reads <= 2 * (10 / 0.2 + 2)  # two metrics, ~5 draws per second
    assert CountingTensor.reads >= 2 * 40
    assert "1000/1000" in sys.stdout.getvalue()


def test_verbose_2_never_reads_batch_tensors(fake_model, capsys):
    CountingTensor.reads = 0
    fit(
        CallbackList, fake_model, verbose=2, steps=200, batch_logs=lambda b: {"loss": counting(0.5)}
    )
    assert CountingTensor.reads == 0


def test_predict_with_unknown_steps(fake_model, capsys):
    cbs = CallbackList([], add_progbar=True, model=fake_model, verbose=2, epochs=1, steps=None)
    cbs.on_predict_begin()
    for batch in range(5):
        cbs.on_predict_batch_begin(batch)
        cbs.on_predict_batch_end(batch, {"outputs": torch.zeros(2)})
    cbs.on_predict_end()
    out = capsys.readouterr().out
    assert out.startswith("5/5 - ") and "outputs" not in out


def test_count_mode_samples(fake_model, capsys):
    logger = ProgbarLogger(count_mode="samples")
    cbs = CallbackList([logger], model=fake_model, verbose=2, epochs=1, samples=10, batch_size=4)
    cbs.on_train_begin()
    cbs.on_epoch_begin(0)
    for batch, size in enumerate([4, 4, 2]):
        cbs.on_train_batch_end(batch, {"loss": 0.5, "size": size})
    assert logger.seen == 10
    cbs.on_epoch_end(0, {"loss": 0.5})
    out = capsys.readouterr().out
    assert out.startswith("10/10 - ") and "/sample - loss: 0.5000" in out


def test_count_mode_error():
    with pytest.raises(
        ValueError, match="Expected 'steps' or 'samples'. Received: count_mode='epochs'"
    ):
        ProgbarLogger(count_mode="epochs")


@pytest.mark.cuda
def test_cuda_batch_logs_are_not_synced_per_batch(fake_model, capsys):
    values = [torch.tensor(float(i), device="cuda") for i in range(50)]
    cbs = CallbackList([], add_history=True, add_progbar=True, model=fake_model,
                       verbose=2, epochs=1, steps=50)  # fmt: skip
    cbs.on_train_begin()
    cbs.on_epoch_begin(0)
    torch.cuda.set_sync_debug_mode("error")  # any host sync raises
    try:
        for batch in range(50):
            cbs.on_train_batch_begin(batch)
            cbs.on_train_batch_end(batch, {"loss": values[batch]})
    finally:
        torch.cuda.set_sync_debug_mode(0)
    cbs.on_epoch_end(0, {"loss": 1.0})
    cbs.on_train_end()
    assert "50/50 - " in capsys.readouterr().out
