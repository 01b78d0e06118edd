"""torch.compile glue that costs nothing at import time."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

import torch

_DISABLED: dict[Callable, Callable] = {}


def eager_only(fn: Callable) -> Callable:
    """Like `@torch.compiler.disable` (the function runs eagerly, a graph break under dynamo), but
    without importing `torch._dynamo` (about 0.7 s) until something is actually compiled."""

    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        if torch.compiler.is_compiling():
            disabled = _DISABLED.get(fn)
            if disabled is None:
                disabled = _DISABLED[fn] = torch.compiler.disable(fn)
            return disabled(*args, **kwargs)
        return fn(*args, **kwargs)

    return wrapper
