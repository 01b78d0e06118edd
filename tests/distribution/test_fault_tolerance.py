"""A process that fails mid-epoch makes the others fail with a clear error, not hang."""

import json
import os
import subprocess

import pytest

from tests.distribution import launch

pytestmark = pytest.mark.slow  # starts subprocesses

TIMEOUT_S = 5


def test_other_rank_fails_with_a_clear_error_within_the_collective_timeout(tmp_path):
    out = str(tmp_path)
    env = {"TORCHKERAS_LITE_DIST_TIMEOUT": str(TIMEOUT_S), "WORKER_LINGER": "60"}
    rank0, rank1 = launch.spawn("crash", out, env=env)
    try:
        rank0.communicate(timeout=90)
    except subprocess.TimeoutExpired:
        rank0.kill()
        pytest.fail("rank 0 hung after rank 1 failed")
    finally:
        rank1.kill()  # it lingers on purpose, alive but out of the collectives
        rank1.communicate()
    assert rank0.returncode != 0
    with open(os.path.join(out, "crash1.json")) as f:
        failed = json.load(f)
    assert failed["error"] == "RuntimeError" and "failed on purpose" in failed["message"]
    with open(os.path.join(out, "crash0.json")) as f:
        waiting = json.load(f)
    assert waiting["error"] == "DistributedError"
    assert waiting["message"].startswith("Training failed on rank 0 of 2")
    assert f"time out after {TIMEOUT_S} s" in waiting["message"]
    assert waiting["seconds"] < TIMEOUT_S + 20
