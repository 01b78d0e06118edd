"""The examples run to completion and print what they claim."""

import pathlib
import subprocess
import sys

import pytest

EXAMPLES = pathlib.Path(__file__).resolve().parents[2] / "examples"


def _run(name: str) -> str:
    proc = subprocess.run(
        [sys.executable, str(EXAMPLES / name)], capture_output=True, text=True, timeout=300
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    return proc.stdout


def test_inside_keras_example():
    out = _run("inside_keras.py")
    assert "2. before the first call: False []" in out
    assert "after: True [(5, 3), (3,)]" in out
    assert "3. accumulator: [4. 4.]" in out
    assert "losses after a zero input: [0.0]" in out
    step0 = float(out.split("5. step   0: loss ")[1].split()[0])
    step99 = float(out.split("5. step  99: loss ")[1].split()[0])
    assert step99 < step0 / 10


@pytest.mark.slow
def test_quickstart_example():
    out = _run("quickstart.py")
    assert "Epoch 1/" in out and "reloaded predictions match: True" in out
