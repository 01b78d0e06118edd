"""Argument validation shared by the convolution, pooling and spatial reshaping layers.

Errors follow Keras' wording and end with `Received: name=value`.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from torchkeras_lite.backend import config


def standardize_tuple(value: Any, n: int, name: str, allow_zero: bool = False) -> tuple[int, ...]:
    """An int or an iterable of `n` ints as a tuple of `n` positive (or non-negative) ints.

    Args:
        value: an int (repeated `n` times) or an iterable of `n` ints.
        n: the tuple's length.
        name: the argument's name, for the error message.
        allow_zero: accept 0 (e.g. for paddings and croppings).

    Example:
        >>> standardize_tuple(3, 2, "kernel_size")
        (3, 3)
    """
    if isinstance(value, bool):
        raise ValueError(
            f"The `{name}` argument must be a tuple of {n} integers. Received: {name}={value!r}"
        )
    if isinstance(value, int):
        values: tuple = (value,) * n
    else:
        if not isinstance(value, Iterable) or isinstance(value, str):
            raise ValueError(
                f"The `{name}` argument must be a tuple of {n} integers. Received: {name}={value!r}"
            )
        values = tuple(value)
        if len(values) != n or not all(
            isinstance(v, int) and not isinstance(v, bool) for v in values
        ):
            raise ValueError(
                f"The `{name}` argument must be a tuple of {n} integers. Received: {name}={value!r}"
            )
    bad = [v for v in values if (v < 0 if allow_zero else v <= 0)]
    if bad:
        req = ">= 0" if allow_zero else "> 0"
        raise ValueError(
            f"The `{name}` argument must contain only values {req}. Received: {name}={value!r}"
        )
    return tuple(int(v) for v in values)


def standardize_padding(value: Any, allow_causal: bool = False) -> str:
    """`"valid"`, `"same"` (or `"causal"` where allowed), case-insensitive, lower-cased.

    Example:
        >>> standardize_padding("SAME")
        'same'
    """
    allowed = ("valid", "same", "causal") if allow_causal else ("valid", "same")
    padding = value.lower() if isinstance(value, str) else value
    if padding not in allowed:
        raise ValueError(
            f"The `padding` argument must be one of {allowed}. Received: padding={value!r}"
        )
    return padding


def standardize_data_format(data_format: str | None) -> str:
    """`"channels_last"` or `"channels_first"`; None gives `keras.config.image_data_format()`."""
    return config.standardize_data_format(data_format)


def check_positive_int(value: Any, name: str) -> int:
    """`value` as an int, or a ValueError unless it is a strictly positive int."""
    if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
        raise ValueError(
            f"Invalid value for argument `{name}`. Expected a strictly positive integer. "
            f"Received: {name}={value!r}"
        )
    return int(value)


def pair_spec(value: Any, rank: int, name: str) -> tuple[tuple[int, int], ...]:
    """Per-dimension `(before, after)` pairs from an int, `rank` ints or `rank` pairs.

    Used by the cropping and zero-padding layers: `1` -> `((1, 1),) * rank`, `(1, 2)` ->
    `((1, 1), (2, 2))` for rank 2, `((1, 0), (2, 3))` is taken as is. Every entry is >= 0.

    Example:
        >>> pair_spec(((1, 0), 2), 2, "padding")
        ((1, 0), (2, 2))
    """
    if isinstance(value, int) and not isinstance(value, bool):
        if value < 0:
            raise ValueError(f"`{name}` cannot be negative. Received: {name}={value!r}")
        return ((int(value), int(value)),) * rank
    if not isinstance(value, Iterable) or isinstance(value, str):
        raise ValueError(
            f"`{name}` should be an int, a tuple of {rank} ints or a tuple of {rank} tuples of "
            f"2 ints. Received: {name}={value!r}"
        )
    entries = tuple(value)
    if len(entries) != rank:
        raise ValueError(f"`{name}` should have {rank} elements. Received: {name}={value!r}")
    ordinals = ("1st", "2nd", "3rd")
    return tuple(
        standardize_tuple(e, 2, f"{ordinals[i]} entry of {name}", allow_zero=True)
        for i, e in enumerate(entries)
    )
