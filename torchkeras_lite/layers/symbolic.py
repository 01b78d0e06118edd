"""Symbolic (functional-API) calls of layers. Filled in by the functional API work."""

from __future__ import annotations

from typing import Any


def any_symbolic(args: tuple, kwargs: dict) -> bool:
    return False


def symbolic_call(layer: Any, args: tuple, kwargs: dict) -> Any:
    raise TypeError("Symbolic inputs are not supported yet.")


def infer_output_shape(layer: Any, args: tuple, kwargs: dict) -> Any:
    raise TypeError("Output shape inference is not supported yet.")


def compute_output_spec(layer: Any, args: tuple, kwargs: dict) -> Any:
    raise TypeError("Output spec inference is not supported yet.")
