"""Layer and model names: snake_case from the class name, made unique with a numeric suffix."""

from __future__ import annotations

import collections
import re

_NAME_COUNTS: collections.Counter[str] = collections.Counter()


def to_snake_case(name: str) -> str:
    """`"BatchNormalization"` -> `"batch_normalization"`, `"Conv2D"` -> `"conv2d"`."""
    s = re.sub(r"(.)([A-Z][a-z]+)", r"\1_\2", name)
    s = re.sub(r"([a-z])([A-Z])", r"\1_\2", s).lower()
    return s if not s.startswith("_") else "private" + s


def uniquify(base: str) -> str:
    """The first request for `base` returns it as is; later ones add `_1`, `_2`, ..."""
    count = _NAME_COUNTS[base]
    _NAME_COUNTS[base] += 1
    return base if count == 0 else f"{base}_{count}"


def reset_names() -> None:
    """Forgets the names handed out so far (`keras.backend.clear_session()`)."""
    _NAME_COUNTS.clear()
