import io
import re
import sys

import numpy as np
import pytest
import torch

from torchkeras_lite.utils import progress
from torchkeras_lite.utils.progress import (
    Progbar,
    format_eta,
    format_rate,
    format_time_per_unit,
    format_value,
    pack_metrics,
    resolve_verbose,
)

CONTROL = re.compile(r"[\x00-\x09\x0b-\x1f\x7f\x9b]")  # anything but "\n"
TIMES = re.compile(r"\d+(s|ms|us)/(step|sample)|\b\d+s\b")


class TTY(io.StringIO):
    def isatty(self):
        return True


class Clock:
    def __init__(self):
        self.t = 1000.0

    def __call__(self):
        return self.t


@pytest.fixture
def clock(monkeypatch):
    clock = Clock()
    monkeypatch.setattr(progress, "_now", clock)
    return clock


class CountingTensor(torch.Tensor):
    """A tensor that counts how often it is read back to the host."""

    reads = 0

    def item(self):
        CountingTensor.reads += 1
        return super().item()

    def __float__(self):
        CountingTensor.reads += 1
        return super().__float__()


def counting(value):
    return torch.tensor(value).as_subclass(CountingTensor)


def test_verbose_2_writes_one_plain_line(clock):
    out = io.StringIO()
    bar = Progbar(4, verbose=2, file=out, stateful_metrics=["loss"])
    for step in range(1, 5):
        clock.t += 0.5
        bar.update(step, [("loss", torch.tensor(0.125 * step)), ("mae", 2e-4)])
    text = out.getvalue()
    assert text == "4/4 - 2s - 500ms/step - loss: 0.5000 - mae: 2.0000e-04\n"
    assert not CONTROL.search(text)


def test_verbose_2_matches_keras_format(capsys):
    keras = pytest.importorskip("keras")
    steps = [[("loss", 1.0 / s), ("acc", 0.25 * s)] for s in range(1, 4)]

    def run(bar):
        for step, values in enumerate(steps, start=1):
            bar.update(step, values, finalize=False if step < 3 else None)

    run(keras.utils.Progbar(3, verbose=2, stateful_metrics=["acc"]))
    theirs = capsys.readouterr().out
    out = io.StringIO()
    run(Progbar(3, verbose=2, stateful_metrics=["acc"], file=out))
    assert TIMES.sub("T", out.getvalue()) == TIMES.sub("T", theirs)
    assert "loss: 0.3333 - acc: 0.7500" in theirs


def test_averaging_like_keras(clock):
    out = io.StringIO()
    bar = Progbar(None, verbose=2, file=out)  # everything averaged, weighted by steps
    bar.update(2, {"loss": 1.0})
    bar.update(3, {"loss": 4.0})
    bar.update(4, {"loss": torch.tensor(2.0)}, finalize=False)
    bar.update(4, finalize=True)
    assert out.getvalue().endswith("loss: 2.0000\n")  # (1*2 + 4*1 + 2*1) / 4
    assert out.getvalue().startswith("4/Unknown")


def test_averaging_does_not_modify_the_callers_tensor():
    value = torch.tensor(3.0)
    bar = Progbar(10, verbose=2, file=io.StringIO())
    bar.update(1, [("loss", value)])
    bar.update(2, [("loss", value)])
    bar.update(3, [("loss", value)])
    assert value.item() == 3.0


def test_verbose_1_without_terminal_prints_one_plain_line(clock):
    out = io.StringIO()
    bar = Progbar(100, verbose=1, file=out, stateful_metrics=["loss"])
    for step in range(1, 101):
        clock.t += 0.01
        bar.update(step, {"loss": 0.5})
    assert out.getvalue().count("\n") == 1 and "100/100" in out.getvalue()
    assert not CONTROL.search(out.getvalue())


def test_verbose_0_is_silent():
    out = io.StringIO()
    bar = Progbar(3, verbose=0, file=out)
    for step in range(1, 4):
        bar.update(step, [("loss", counting(1.0))])
    assert out.getvalue() == ""


def test_live_bar_in_a_terminal(clock):
    out = TTY()
    bar = Progbar(50, verbose=1, file=out, stateful_metrics=["loss"])
    for step in range(1, 51):
        clock.t += 0.1
        bar.update(step, {"loss": torch.tensor(1.0 / step)})
    text = out.getvalue()
    assert "\x1b[" in text  # drawn live, with cursor control
    assert "ETA" in text and "steps/s" in text and "━" in text
    plain = re.sub(r"\x1b\[[0-9;?]*[A-Za-z]", "", text)
    assert "50/50" in plain and "loss: 0.0200" in plain and "10.0 steps/s" in plain
    assert bar._live is None  # stopped at the last step


def test_tensors_are_read_only_when_drawn(clock):
    CountingTensor.reads = 0
    bar = Progbar(1000, verbose=1, interval=0.2, file=TTY(), stateful_metrics=["loss", "acc"])
    for step in range(1, 1001):
        clock.t += 0.01  # 10 s in all
        bar.update(step, {"loss": counting(0.5), "acc": counting(0.25)})
    draws = 10 / 0.2 + 2
    assert 2 * 40 <= CountingTensor.reads <= 2 * draws  # ~50 draws, not 1000

    CountingTensor.reads = 0
    bar = Progbar(1000, verbose=2, file=io.StringIO())
    for step in range(1, 1001):
        bar.update(step, {"loss": counting(0.5)})
    assert CountingTensor.reads == 1  # only the final line


def test_add_and_unit_name():
    out = io.StringIO()
    bar = Progbar(64, verbose=2, unit_name="sample", file=out, stateful_metrics=[])
    bar.add(32)
    bar.add(32, [("loss", 0.5)])
    assert out.getvalue().startswith("64/64 - ") and "/sample - loss: 0.5000" in out.getvalue()


def test_auto_verbose(monkeypatch):
    monkeypatch.setattr(sys, "stdout", TTY())
    assert resolve_verbose("auto") == 1 and Progbar(3, verbose="auto").verbose == 1
    monkeypatch.setattr(sys, "stdout", io.StringIO())
    assert resolve_verbose("auto") == 2
    assert (
        resolve_verbose(0) == 0 and resolve_verbose(True) == 1 and resolve_verbose(np.int64(2)) == 2
    )


def test_errors():
    with pytest.raises(ValueError, match="`verbose` must be 0 .* Received: verbose=3"):
        resolve_verbose(3)
    with pytest.raises(ValueError, match="Only one of `stateful_metrics` or `stateless_metrics`"):
        Progbar(3, stateful_metrics=["a"], stateless_metrics=["b"])


def test_formatting():
    assert format_value(0.123456) == "0.1235" and format_value(-2.5) == "-2.5000"
    assert format_value(1e-4) == "1.0000e-04" and format_value("n/a") == "n/a"
    assert format_eta(3725) == "1:02:05" and format_eta(125) == "2:05" and format_eta(42.7) == "42s"
    assert format_time_per_unit(2.2, "step") == "2s/step"
    assert format_time_per_unit(0.035, "step") == "35ms/step"
    assert format_time_per_unit(0.00012, "step") == "120us/step"
    assert (
        format_rate(0.01, "sample") == "100.0 samples/s" and format_rate(2.5, "step") == "2.5s/step"
    )


def test_pack_metrics():
    parts = ["loss: 0.1000", "accuracy: 0.5000", "mean_squared_error: 0.2500"]
    assert pack_metrics(parts, first_room=100, room=100) == [
        " - loss: 0.1000 - accuracy: 0.5000 - mean_squared_error: 0.2500"
    ]
    assert pack_metrics(parts, first_room=40, room=50) == [
        " - loss: 0.1000 - accuracy: 0.5000",
        "  mean_squared_error: 0.2500",
    ]
    assert pack_metrics(parts, first_room=5, room=40) == [
        "",
        "  loss: 0.1000 - accuracy: 0.5000",
        "  mean_squared_error: 0.2500",
    ]
