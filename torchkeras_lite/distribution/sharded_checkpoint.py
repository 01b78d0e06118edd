"""Sharded weights: every process writes its own shard (torch.distributed.checkpoint), in parallel.

The folder reloads into a model sharded the same or another way, on any number of processes,
or into a plain model in a single process (no process group needed).
"""

from __future__ import annotations

import contextlib
import os
import warnings
from collections.abc import Iterator
from typing import Any

from torchkeras_lite.distribution import process_group
from torchkeras_lite.saving.errors import SavingError


@contextlib.contextmanager
def _single_process_quiet() -> Iterator[None]:
    """Without a process group, DCP warns that it assumes one process: that is the intent here."""
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message="torch.distributed is disabled")
        yield


def _module(model: Any) -> Any:
    """The module whose state is saved: the FSDP1 wrapper when there is one, else the model."""
    wrapper = model.__dict__.get("_ddp_module")
    return wrapper if type(wrapper).__name__ == "FullyShardedDataParallel" else model


def save_sharded_weights(model: Any, directory: str | os.PathLike) -> None:
    """Writes the model's weights as a sharded checkpoint folder (every process must call it).

    Args:
        model: the model (sharded by `ModelParallel`, replicated, or in a single process).
        directory: the folder (created; files in it are replaced).

    Example:
        >>> keras.distribution.save_sharded_weights(model, "ckpt/step_1000")
        >>> # later, in one process:
        >>> keras.distribution.load_sharded_weights(plain_model, "ckpt/step_1000")
    """
    path = os.fspath(directory)
    import torch.distributed.checkpoint as dcp  # ~1 s to import: only when used
    from torch.distributed.checkpoint.state_dict import get_model_state_dict

    state = get_model_state_dict(_module(model))
    with (
        process_group.collective_errors(f"Saving the sharded weights to '{path}'"),
        _single_process_quiet(),
    ):
        dcp.save(state, checkpoint_id=path, no_dist=not process_group.is_initialized())


def load_sharded_weights(model: Any, directory: str | os.PathLike) -> None:
    """Loads a folder written by `save_sharded_weights` into `model` (built, sharded or not).

    Args:
        model: the model; in a single process a plain model receives the full weights.
        directory: the folder.
    """
    path = os.fspath(directory)
    if not os.path.isfile(os.path.join(path, ".metadata")):
        raise SavingError(
            f"'{path}' is not a sharded checkpoint folder (it has no '.metadata' file). "
            f"Received: directory={path!r}"
        )
    module = _module(model)
    import torch.distributed.checkpoint as dcp  # ~1 s to import: only when used
    from torch.distributed.checkpoint.state_dict import get_model_state_dict, set_model_state_dict

    state = get_model_state_dict(module)
    try:
        with (
            process_group.collective_errors(f"Loading the sharded weights from '{path}'"),
            _single_process_quiet(),
        ):
            dcp.load(state, checkpoint_id=path, no_dist=not process_group.is_initialized())
    except process_group.DistributedError:
        raise
    except Exception as e:  # CheckpointException: missing keys, other shapes
        raise SavingError(
            f"Could not load the sharded weights from '{path}' into the model: {e}"
        ) from e
    set_model_state_dict(module, state)
