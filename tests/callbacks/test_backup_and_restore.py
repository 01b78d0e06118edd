"""BackupAndRestore: a crashed or killed run, restarted, ends bit-identical to an uninterrupted one."""

import importlib.util
import os
import signal
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
import torch

from torchkeras_lite.callbacks.backup_and_restore import BackupAndRestore
from torchkeras_lite.saving import SavingError

_WORKER = Path(__file__).with_name("backup_worker.py")
_spec = importlib.util.spec_from_file_location("backup_worker", _WORKER)
worker = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(worker)


def _same_weights(a, b):
    sa, sb = a.state_dict(), b.state_dict()
    return list(sa) == list(sb) and all(torch.equal(sa[k], sb[k]) for k in sa)


@pytest.fixture(scope="module")
def reference():
    return worker.run()


@pytest.fixture(scope="module")
def reference_with_scheduler():
    return worker.run(scheduler=True)


def test_arguments_are_checked():
    with pytest.raises(ValueError, match="Empty `backup_dir` argument passed"):
        BackupAndRestore("")
    with pytest.raises(ValueError, match="Invalid value for argument `save_freq`"):
        BackupAndRestore("/tmp/x", save_freq="batch")
    with pytest.raises(ValueError, match="Received: save_freq=0"):
        BackupAndRestore("/tmp/x", save_freq=0)


@pytest.mark.parametrize("save_freq, crash_at", [("epoch", 15), (4, 15), (6, 12), (5, 23)])
def test_crash_and_restart_matches_an_uninterrupted_run(tmp_path, reference, save_freq, crash_at):
    backup = tmp_path / "backup"
    with pytest.raises(RuntimeError, match="simulated crash"):
        worker.run(backup, save_freq=save_freq, crash_at=crash_at)
    assert (backup / "latest.backup").is_file()
    model, history = worker.run(backup, save_freq=save_freq)
    assert _same_weights(model, reference[0])
    done = len(reference[1].history["loss"]) - len(history.history["loss"])
    assert history.history["loss"] == reference[1].history["loss"][done:]
    assert not backup.exists()  # delete_checkpoint: removed once training ended


def test_lr_scheduler_and_epoch_backups(tmp_path, reference_with_scheduler):
    backup = tmp_path / "backup"
    with pytest.raises(RuntimeError):
        worker.run(backup, crash_at=14, scheduler=True, delete_checkpoint=False)
    model, _ = worker.run(backup, scheduler=True, delete_checkpoint=False)
    assert _same_weights(model, reference_with_scheduler[0])
    assert (
        model._binding.scheduler.get_last_lr()
        == reference_with_scheduler[0]._binding.scheduler.get_last_lr()
    )
    assert (backup / "latest.backup").is_file()


def test_double_checkpoint_falls_back_to_the_previous_backup(tmp_path, reference):
    backup = tmp_path / "backup"
    with pytest.raises(RuntimeError):
        worker.run(backup, save_freq=4, crash_at=13, double_checkpoint=True)
    assert (backup / "previous.backup").is_file()
    (backup / "latest.backup").write_bytes(b"damaged")
    with pytest.warns(UserWarning, match="Could not read the backup"):
        model, _ = worker.run(backup, save_freq=4, double_checkpoint=True)
    assert _same_weights(model, reference[0])


def test_a_damaged_backup_without_fallback_raises(tmp_path):
    backup = tmp_path / "backup"
    backup.mkdir()
    (backup / "latest.backup").write_bytes(b"PK\x03\x04 damaged")
    with pytest.warns(UserWarning), pytest.raises(SavingError, match="latest.backup"):
        worker.run(backup)


def test_backup_contents(tmp_path):
    backup = tmp_path / "backup"
    with pytest.raises(RuntimeError):
        worker.run(backup, save_freq=4, crash_at=10)
    with zipfile.ZipFile(backup / "latest.backup") as zf:
        assert set(zf.namelist()) == {
            "model.weights.safetensors",
            "optimizer.safetensors",
            "optimizer.json",
            "training_state.json",
            "training_state.safetensors",
        }


@pytest.mark.slow
def test_sigkill_mid_epoch_then_restart_is_bit_identical(tmp_path, reference):
    """A real process, killed with SIGKILL in the middle of epoch 2, is resumed by a new run."""
    backup = tmp_path / "backup"
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join(
            [str(Path(__file__).parents[2]), os.environ.get("PYTHONPATH", "")]
        ),
    }
    child = subprocess.Popen(
        [sys.executable, str(_WORKER), str(backup), "4"],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        env=env,
    )
    seen = 0
    for line in child.stdout:
        if line.startswith("batch"):
            seen += 1
            if seen == 10:  # epoch 1, batch 3 (6 batches per epoch); last backup after batch 8
                os.kill(child.pid, signal.SIGKILL)
                break
    child.wait()
    assert child.returncode == -signal.SIGKILL
    assert (backup / "latest.backup").is_file()
    model, history = worker.run(backup, save_freq=4)
    assert history.epoch[0] == 1  # resumed inside epoch 2 (index 1)
    assert _same_weights(model, reference[0])
