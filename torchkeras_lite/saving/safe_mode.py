"""Safe mode: loading never runs code from a file unless the user opts in.

`load_model(..., safe_mode=True)` (the default) refuses anything that would execute code stored in
the file, such as a Lambda layer's Python bytecode. Opt in per call with `safe_mode=False`, or for
the whole process with `enable_unsafe_deserialization()` (`keras.config.enable_unsafe_deserialization`).
Layers that deserialize code (Lambda) ask `in_safe_mode()` in their `from_config`.
"""

from __future__ import annotations

import threading

_STATE = threading.local()
_UNSAFE_GLOBALLY = False


def enable_unsafe_deserialization() -> None:
    """Allows loading files that hold code (Lambda functions) in this process, for every call.

    Only do this for files you trust: their code runs when the model is loaded.
    """
    global _UNSAFE_GLOBALLY
    _UNSAFE_GLOBALLY = True


def in_safe_mode() -> bool:
    """Whether deserializing code is refused right now (True unless the user opted in)."""
    if _UNSAFE_GLOBALLY:
        return False
    stack = getattr(_STATE, "stack", None)
    return stack[-1] if stack else True


class SafeModeScope:
    """Within this scope, `in_safe_mode()` returns `safe_mode` (unless unsafe loading is global).

    Args:
        safe_mode: True refuses code from files; False allows it.

    Example:
        >>> with SafeModeScope(False):
        ...     layer = Lambda.from_config(config)
    """

    def __init__(self, safe_mode: bool = True):
        self.safe_mode = bool(safe_mode) if safe_mode is not None else True

    def __enter__(self) -> SafeModeScope:
        if not hasattr(_STATE, "stack"):
            _STATE.stack = []
        _STATE.stack.append(self.safe_mode)
        return self

    def __exit__(self, *exc) -> None:
        _STATE.stack.pop()


def unsafe_message(what: str) -> str:
    """The refusal message for `what` (e.g. "the Lambda layer 'scale'"), with how to opt in."""
    return (
        f"Refusing to deserialize {what}: it holds Python code (bytecode), and loading it would run "
        "that code. This is only safe for files you trust. To load it, pass `safe_mode=False` to "
        "`load_model()`, or call `keras.config.enable_unsafe_deserialization()` first."
    )
