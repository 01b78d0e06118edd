"""The process group: find an initialized one, or start one from the torchrun environment.

One process per device: gloo on the CPU, NCCL on CUDA (each process on the GPU of its local rank).
Every collective has a timeout (`initialize(timeout=...)`, the environment variable
`TORCHKERAS_LITE_DIST_TIMEOUT` in seconds, default 1800 s): when a process crashes or stops
calling the collectives, the others fail with a `DistributedError` instead of waiting forever
(at once when the crashed process closed its connections, else after the timeout).
"""

from __future__ import annotations

import atexit
import contextlib
import datetime
import os
from collections.abc import Iterator

import torch
import torch.distributed as dist

from torchkeras_lite.backend import config as backend_config

TIMEOUT_ENV = "TORCHKERAS_LITE_DIST_TIMEOUT"
DEFAULT_TIMEOUT_S = 1800.0
_TORCHRUN_ENV = ("RANK", "WORLD_SIZE", "MASTER_ADDR", "MASTER_PORT")
_COLLECTIVE_MARKERS = (
    "gloo",
    "nccl",
    "connection closed by peer",
    "connection reset by peer",
    "timed out",
    "processgroup",
    "broken pipe",
)


_INITIALIZED_WITH: dict[str, float] = {}  # the timeout of the process group started here


class DistributedError(RuntimeError):
    """A collective operation failed: another process crashed, raised, or stopped participating."""


def is_initialized() -> bool:
    """True when a `torch.distributed` default process group exists."""
    return dist.is_available() and dist.is_initialized()


def launched_by_torchrun() -> bool:
    """True when the environment describes a job of several processes (torchrun, SLURM wrappers)."""
    env = os.environ
    return all(k in env for k in _TORCHRUN_ENV) and int(env["WORLD_SIZE"]) > 1


def rank() -> int:
    """This process' rank in the job (0 without a process group)."""
    return dist.get_rank() if is_initialized() else 0


def world_size() -> int:
    """The number of processes in the job (1 without a process group)."""
    return dist.get_world_size() if is_initialized() else 1


def local_rank() -> int:
    """This process' rank on its machine (`LOCAL_RANK`, else the rank modulo the GPU count)."""
    if "LOCAL_RANK" in os.environ:
        return int(os.environ["LOCAL_RANK"])
    count = torch.cuda.device_count()
    return rank() % count if count else 0


def is_distributed() -> bool:
    """True when a process group of more than one process is running."""
    return is_initialized() and dist.get_world_size() > 1


def is_chief() -> bool:
    """True on rank 0 (and in a single process): the process that prints and writes files."""
    return not is_initialized() or dist.get_rank() == 0


def _timeout(timeout: float | None) -> datetime.timedelta:
    seconds = timeout if timeout is not None else os.environ.get(TIMEOUT_ENV)
    try:
        value = float(seconds) if seconds is not None else DEFAULT_TIMEOUT_S
    except ValueError:
        value = -1.0
    if not value > 0:
        raise ValueError(
            f"The collective timeout must be a positive number of seconds (argument `timeout` or "
            f"the environment variable {TIMEOUT_ENV}). Received: timeout={seconds!r}"
        )
    return datetime.timedelta(seconds=value)


def timeout_seconds() -> float:
    """The timeout of collectives that `initialize` sets (from the argument or the environment)."""
    return _timeout(None).total_seconds()


def device() -> torch.device:
    """The device this process trains on: its local GPU under NCCL, else the configured device or CPU."""
    configured = backend_config._DEVICE
    if configured is not None and torch.device(configured).type == "cpu":
        return torch.device("cpu")
    nccl = is_initialized() and dist.get_backend() == "nccl"
    if nccl or (configured is not None and torch.device(configured).type == "cuda"):
        return torch.device("cuda", local_rank() % max(torch.cuda.device_count(), 1))
    return torch.device("cpu")


def initialize(
    job_addresses: str | None = None,
    num_processes: int | None = None,
    process_id: int | None = None,
    backend: str | None = None,
    timeout: float | None = None,
) -> None:
    """Starts the default process group (nothing happens when one is running already).

    Without arguments everything comes from the environment torchrun sets (`MASTER_ADDR`,
    `MASTER_PORT`, `RANK`, `WORLD_SIZE`, `LOCAL_RANK`); `fit`, `evaluate` and `predict` call this
    themselves under torchrun, so scripts need not.

    Args:
        job_addresses: `"host:port"` of the rank-0 process (a comma-separated list is accepted,
            as in Keras; its first entry is used).
        num_processes: the number of processes (default: `WORLD_SIZE`).
        process_id: this process' rank (default: `RANK`).
        backend: `"gloo"` or `"nccl"` (default: NCCL when CUDA is available, else gloo).
        timeout: seconds a collective may wait for the other processes before failing
            (default: `TORCHKERAS_LITE_DIST_TIMEOUT`, else 1800).

    Example:
        >>> keras.distribution.initialize()  # under `torchrun --nproc_per_node=2 train.py`
    """
    if is_initialized():
        return
    if not dist.is_available():
        raise RuntimeError("This build of torch has no `torch.distributed` support.")
    env = os.environ
    world = num_processes if num_processes is not None else int(env.get("WORLD_SIZE", 1))
    this_rank = process_id if process_id is not None else int(env.get("RANK", 0))
    if not 0 <= this_rank < world:
        raise ValueError(
            f"The process id must be in [0, num_processes). Received: process_id={this_rank}, "
            f"num_processes={world}"
        )
    if job_addresses:
        address = job_addresses.split(",")[0].strip()
        host, _, port = address.rpartition(":")
        if not host or not port.isdigit():
            raise ValueError(
                f"`job_addresses` must be 'host:port'. Received: job_addresses={job_addresses!r}"
            )
        init_method = f"tcp://{host}:{port}"
    elif "MASTER_ADDR" in env and "MASTER_PORT" in env:
        init_method = "env://"
    else:
        raise ValueError(
            "Cannot start the process group: set MASTER_ADDR and MASTER_PORT (torchrun does) or pass "
            f"`job_addresses='host:port'`. Received: job_addresses={job_addresses!r}"
        )
    cuda = torch.cuda.is_available() and (backend_config._DEVICE or "cuda").startswith("cuda")
    backend = backend or ("nccl" if cuda else "gloo")
    if backend == "nccl":
        torch.cuda.set_device(local_rank() % torch.cuda.device_count())
    limit = _timeout(timeout)
    dist.init_process_group(
        backend, init_method=init_method, rank=this_rank, world_size=world, timeout=limit
    )
    _INITIALIZED_WITH["timeout"] = limit.total_seconds()
    atexit.register(_shutdown)


def _shutdown() -> None:
    """Destroys the process group started here when the program ends (a clean exit for gloo/NCCL)."""
    if is_initialized():
        with contextlib.suppress(Exception):
            dist.destroy_process_group()


def ensure_initialized() -> bool:
    """Starts the process group from the torchrun environment when there is one; True if running."""
    if not is_initialized() and launched_by_torchrun():
        initialize()
    return is_distributed()


def _is_collective_error(error: BaseException) -> bool:
    dist_error = getattr(dist, "DistError", None)
    if dist_error is not None and isinstance(error, dist_error):
        return True
    text = str(error).lower()
    return isinstance(error, RuntimeError) and any(m in text for m in _COLLECTIVE_MARKERS)


@contextlib.contextmanager
def collective_errors(what: str) -> Iterator[None]:
    """Turns the failure of a collective inside the block into a `DistributedError` that says why."""
    try:
        yield
    except DistributedError:
        raise
    except Exception as error:
        if not _is_collective_error(error):
            raise
        limit = _INITIALIZED_WITH.get("timeout")
        after = f"{limit:g} s" if limit is not None else "the process group's timeout"
        raise DistributedError(
            f"{what} failed on rank {rank()} of {world_size()}: a collective operation did not "
            "complete. Another process probably crashed, raised an error, or stopped running the "
            f"same steps (collectives time out after {after}; see the other processes' logs for "
            f"the original error). Received: error={error}"
        ) from error


def collective_device() -> torch.device:
    """Where tensors for collectives must live: the local GPU under NCCL, else the CPU."""
    if is_initialized() and dist.get_backend() == "nccl":
        return torch.device("cuda", torch.cuda.current_device())
    return torch.device("cpu")


def barrier(what: str = "A barrier") -> None:
    """Waits until every process reaches this point (a no-op in a single process)."""
    if is_distributed():
        with collective_errors(what):
            dist.barrier()
