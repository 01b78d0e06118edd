"""Starting the worker processes of a test: torchrun, or plain processes with torchrun's environment."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys

import numpy as np

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _env(extra: dict | None = None) -> dict:
    env = dict(os.environ)
    env.update({"OMP_NUM_THREADS": "1", "TORCHKERAS_LITE_DEVICE": "cpu", "PYTHONPATH": ROOT})
    env.update(extra or {})
    return env


def torchrun(scenario: str, out: str, nproc: int = 2, timeout: float = 240) -> None:
    """Runs `worker.py SCENARIO OUT` under torchrun; fails with the workers' output."""
    cmd = [
        sys.executable,
        "-m",
        "torch.distributed.run",
        f"--nproc_per_node={nproc}",
        "--master_addr=127.0.0.1",
        f"--master_port={free_port()}",
        "-m",
        "tests.distribution.worker",
        scenario,
        out,
    ]
    proc = subprocess.run(
        cmd, cwd=ROOT, env=_env(), capture_output=True, text=True, timeout=timeout
    )
    if proc.returncode != 0:
        raise AssertionError(f"torchrun failed ({proc.returncode}):\n{proc.stdout}\n{proc.stderr}")


def spawn(scenario: str, out: str, nproc: int = 2, env: dict | None = None) -> list:
    """Starts the ranks as plain processes (no elastic agent that would stop the others)."""
    port = free_port()
    procs = []
    for rank in range(nproc):
        rank_env = {
            "MASTER_ADDR": "127.0.0.1",
            "MASTER_PORT": str(port),
            "RANK": str(rank),
            "LOCAL_RANK": str(rank),
            "WORLD_SIZE": str(nproc),
            "LOCAL_WORLD_SIZE": str(nproc),
            **(env or {}),
        }
        procs.append(
            subprocess.Popen(
                [sys.executable, "-m", "tests.distribution.worker", scenario, out],
                cwd=ROOT,
                env=_env(rank_env),
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
            )
        )
    return procs


def results(out: str, rank: int) -> tuple[dict, dict]:
    """The arrays and the JSON values a rank saved."""
    arrays = dict(np.load(os.path.join(out, f"rank{rank}.npz")))
    with open(os.path.join(out, f"rank{rank}.json")) as f:
        return arrays, json.load(f)
