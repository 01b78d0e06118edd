"""Atomic writes: a save killed at any moment leaves the previous or the new complete file."""

import os
import random
import signal
import stat
import sys
import time

import pytest
import torch

from tests.saving.helpers import built_net
from torchkeras_lite.saving import SavingError, load_model
from torchkeras_lite.saving.atomic import atomic_write, atomic_write_bytes


def test_replaces_the_file_and_keeps_its_mode(tmp_path):
    path = tmp_path / "f.bin"
    atomic_write_bytes(path, b"one")
    os.chmod(path, 0o640)
    atomic_write_bytes(path, b"two")
    assert path.read_bytes() == b"two" and stat.S_IMODE(os.stat(path).st_mode) == 0o640
    assert os.listdir(tmp_path) == ["f.bin"]


def test_an_error_midway_leaves_the_old_file_and_no_temporary(tmp_path):
    path = tmp_path / "f.bin"
    atomic_write_bytes(path, b"old")
    with pytest.raises(RuntimeError, match="boom"):
        with atomic_write(path) as f:
            f.write(b"partial")
            raise RuntimeError("boom")
    assert path.read_bytes() == b"old" and os.listdir(tmp_path) == ["f.bin"]


@pytest.mark.slow
@pytest.mark.skipif(not hasattr(os, "fork") or sys.platform == "win32", reason="needs fork")
def test_saving_killed_at_random_points_never_leaves_a_partial_archive(tmp_path):
    """A child saves versions 1, 2, 3, ... of a model in a loop; it is SIGKILLed at random times."""
    path = tmp_path / "model.keras"
    model = built_net(0, hidden=64)
    rng = random.Random(0)
    last_version = 0
    deadline = time.monotonic() + 3.0
    kills = 0
    while time.monotonic() < deadline:
        pid = os.fork()
        if pid == 0:  # the child: save forever, each version with all weights set to its number
            try:
                version = last_version
                while True:
                    version += 1
                    with torch.no_grad():
                        for p in model.parameters():
                            p.fill_(version)
                    model.save(path)
            finally:
                os._exit(0)
        time.sleep(rng.uniform(0.0, 0.08))
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
        kills += 1
        if not path.exists():
            continue
        loaded = load_model(path)  # a partial archive would raise SavingError here
        values = {float(v) for p in loaded.parameters() for v in p.detach().flatten()}
        assert len(values) == 1, "the archive mixes two versions"
        version = int(values.pop())
        assert version >= last_version
        last_version = version
    assert kills >= 10 and last_version > 0
    leftovers = [name for name in os.listdir(tmp_path) if name != "model.keras"]
    assert all(name.startswith(".model.keras.") and name.endswith(".tmp") for name in leftovers)


def test_save_does_not_touch_the_old_file_when_serialization_fails(tmp_path):
    path = tmp_path / "model.keras"
    model = built_net(0)
    model.save(path)
    before = path.read_bytes()
    model.hidden = object()  # get_config now returns something JSON cannot hold
    with pytest.raises(SavingError, match="not JSON-serializable"):
        model.save(path)
    assert path.read_bytes() == before
