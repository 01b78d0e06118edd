"""Rank-0-only I/O: one process writes, the others wait for it (and fail with it).

Files (checkpoints, backups, logs) are written by rank 0 alone; every process calls the saving
function, the others skip the writing and wait at a barrier until rank 0 is done, so no process
reads a half-written file. When rank 0 fails to write, every process raises.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from torchkeras_lite.distribution import process_group
from torchkeras_lite.distribution.collectives import from_chief

T = TypeVar("T")


def run_on_chief(fn: Callable[[], T], what: str = "Writing a file") -> T | None:
    """Runs `fn` on rank 0 only, then waits until it is done on every process.

    In a single process this is just `fn()`. Every process must call it (at the same point).

    Args:
        fn: the writing function (its result is returned on rank 0, None elsewhere).
        what: a description for the error messages.

    Example:
        >>> keras.distribution.run_on_chief(lambda: model.save_weights("w.weights.safetensors"))
    """
    if not process_group.is_distributed():
        return fn()
    result: Any = None
    error: BaseException | None = None
    if process_group.rank() == 0:
        try:
            result = fn()
        except Exception as e:  # re-raised after the others were told
            error = e
    with process_group.collective_errors(what):
        ok = from_chief(0 if error is not None else 1)
    if error is not None:
        raise error
    if not ok:
        raise process_group.DistributedError(
            f"{what} failed on rank 0 (see its error); rank {process_group.rank()} stops too."
        )
    return result


def decide_on_chief(flag: bool, what: str = "A decision") -> bool:
    """Rank 0's `flag` on every process (so that all take the same branch around collectives)."""
    if not process_group.is_distributed():
        return flag
    with process_group.collective_errors(what):
        return bool(from_chief(1 if flag else 0))
