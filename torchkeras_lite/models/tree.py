"""Nested structures (lists, tuples, namedtuples, dicts) of tensors: flatten, map and repack.

Dicts flatten in sorted key order, as in Keras, so `model.outputs` lists a dict's values by key.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any


def _same_tuple_type(x: tuple, items: Any) -> tuple:
    """A tuple of `items` of `x`'s type: plain tuples, namedtuples and structseqs (`torch.return_types`)."""
    cls = type(x)
    if cls is tuple:
        return tuple(items)
    if hasattr(cls, "_fields"):
        return cls(*items)
    if hasattr(cls, "n_sequence_fields"):
        return cls(list(items))
    return tuple(items)


def _sorted_keys(d: dict) -> list:
    try:
        return sorted(d)
    except TypeError:
        return list(d)


def flatten(x: Any) -> list:
    """The leaves of a structure, depth-first (dict values in sorted key order)."""
    out: list = []
    _flatten_into(x, out)
    return out


def _flatten_into(x: Any, out: list) -> None:
    if isinstance(x, (list, tuple)):
        for e in x:
            _flatten_into(e, out)
    elif isinstance(x, dict):
        for k in _sorted_keys(x):
            _flatten_into(x[k], out)
    else:
        out.append(x)


def flatten_with_paths(x: Any, prefix: tuple = ()) -> list[tuple[tuple, Any]]:
    """`(path, leaf)` pairs, where a path is the tuple of indices/keys leading to the leaf."""
    if isinstance(x, (list, tuple)):
        return [p for i, e in enumerate(x) for p in flatten_with_paths(e, (*prefix, i))]
    if isinstance(x, dict):
        return [p for k in _sorted_keys(x) for p in flatten_with_paths(x[k], (*prefix, k))]
    return [(prefix, x)]


def map_structure(fn: Callable[[Any], Any], x: Any) -> Any:
    """Applies `fn` to every leaf, keeping the containers' types."""
    if isinstance(x, tuple):
        return _same_tuple_type(x, [map_structure(fn, e) for e in x])
    if isinstance(x, list):
        return [map_structure(fn, e) for e in x]
    if isinstance(x, dict):
        return {k: map_structure(fn, v) for k, v in x.items()}
    return fn(x)


def pack_as(structure: Any, flat: list) -> Any:
    """Fills `structure`'s leaves, in `flatten` order, with the items of `flat`."""
    it = iter(flat)
    paths = {p: next(it) for p, _ in flatten_with_paths(structure)}
    return _rebuild(structure, (), paths)


def _rebuild(x: Any, prefix: tuple, paths: dict) -> Any:
    if isinstance(x, tuple):
        return _same_tuple_type(x, [_rebuild(e, (*prefix, i), paths) for i, e in enumerate(x)])
    if isinstance(x, list):
        return [_rebuild(e, (*prefix, i), paths) for i, e in enumerate(x)]
    if isinstance(x, dict):
        return {k: _rebuild(v, (*prefix, k), paths) for k, v in x.items()}
    return paths[prefix]


def any_leaf(predicate: Callable[[Any], bool], x: Any) -> bool:
    if isinstance(x, (list, tuple)):
        return any(any_leaf(predicate, e) for e in x)
    if isinstance(x, dict):
        return any(any_leaf(predicate, e) for e in x.values())
    return predicate(x)
