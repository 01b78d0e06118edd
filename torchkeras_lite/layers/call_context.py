"""The state shared by nested layer calls: the training flag, call depth and call id.

A single module-level object, read on every `Layer.__call__`. The outermost call (depth 0) resolves
the training flag and starts a new call id; nested calls inherit the flag unless given one
explicitly, in which case it applies to their subtree.
"""

from __future__ import annotations

import torch


class CallContext:
    """The call state. A plain object rather than `threading.local` (3x cheaper per access on the
    hot path): calls of layers from several threads at once are not supported."""

    __slots__ = (
        "depth",
        "training",
        "call_id",
        "build_device",
        "graph_checked",
        "last_loss_call_id",
        "compiled_losses",
    )

    def __init__(self):
        self.depth = 0
        self.training = False
        self.call_id = 0
        self.build_device: torch.device | None = None
        self.last_loss_call_id = -1  # the call id of the latest `add_loss`
        self.compiled_losses: list = []  # `add_loss` values inside a torch.compile'd step
        # True while a functional graph runs: its inputs were checked and every layer's input
        # shape was validated when the graph was built, so per-layer InputSpec checks are skipped.
        self.graph_checked = False


CONTEXT = CallContext()

# Bumped whenever a Layer gains or loses a submodule, so cached traversals know to refresh.
_STRUCTURE_VERSION = [0]


def bump_structure_version() -> None:
    _STRUCTURE_VERSION[0] += 1


def structure_version() -> int:
    return _STRUCTURE_VERSION[0]
