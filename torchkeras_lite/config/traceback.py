"""Keras' traceback-filtering switch.

Keras trims its own frames from error tracebacks. torchkeras_lite never filters tracebacks (torch's
frames are useful when debugging), so the switch only records the choice, for code that toggles it.
"""

from __future__ import annotations

_FILTERING = False


def enable_traceback_filtering() -> None:
    """Records that traceback filtering was requested (tracebacks are shown in full anyway)."""
    global _FILTERING
    _FILTERING = True


def disable_traceback_filtering() -> None:
    """Records that traceback filtering was turned off (the behaviour torchkeras_lite always has)."""
    global _FILTERING
    _FILTERING = False


def is_traceback_filtering_enabled() -> bool:
    """Whether `enable_traceback_filtering()` was the last call (False by default)."""
    return _FILTERING
