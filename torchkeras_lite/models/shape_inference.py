"""Shape inference on fake tensors: run a layer, module or torch function without real data.

KerasTensor arguments are replaced by fake tensors (their `None` dimensions filled with a placeholder
size); real tensors such as weights are accepted as they are. Two runs with different placeholder
sizes tell which output dimensions are unknown (`None`).
"""

from __future__ import annotations

from typing import Any

import torch

from torchkeras_lite.layers.call_context import CONTEXT
from torchkeras_lite.layers.symbolic import any_symbolic, fake_run


def _is_kt(x: Any) -> bool:
    return getattr(type(x), "_tkl_symbolic", False)


class ShapeSpec:
    """A shape-only stand-in passed to `Layer._maybe_build` (has `.shape`, like a tensor)."""

    __slots__ = ("shape", "dtype")

    def __init__(self, shape: tuple, dtype: torch.dtype | None = None):
        self.shape = shape
        self.dtype = dtype


def placeholder_free(shape: Any) -> tuple:
    from torchkeras_lite.models.keras_tensor import PLACEHOLDER_SIZES

    return tuple(None if d in PLACEHOLDER_SIZES else int(d) for d in shape)


def to_shape_specs(x: Any) -> Any:
    """KerasTensors -> their Keras shapes; fake tensors -> shapes with placeholder sizes as None."""
    from torchkeras_lite.models import tree

    def convert(a):
        if _is_kt(a):
            d = a.__dict__
            shape = (
                placeholder_free(d["_concrete"])
                if d["_internal"] is not None
                else d["_keras_shape"]
            )
            with torch._C.DisableTorchFunctionSubclass():
                return ShapeSpec(shape, a.dtype)
        if isinstance(a, torch.Tensor):
            return ShapeSpec(placeholder_free(a.shape), a.dtype)
        return a

    return tree.map_structure(convert, x)


def keras_shapes(x: Any) -> Any:
    from torchkeras_lite.models import tree

    return tree.map_structure(lambda a: a.__dict__["_keras_shape"] if _is_kt(a) else a, x)


def shapes_text(args: tuple, kwargs: dict) -> str:
    """The shapes of the symbolic arguments, for error messages (the first argument's alone if it has them all)."""
    from torchkeras_lite.models import tree

    if len(tree.flatten(args[:1])) and not any_symbolic(args[1:], kwargs):
        return str(keras_shapes(args[0]))
    return str(keras_shapes((args, kwargs)))


def reraise_with_context(error: Exception, context: str) -> None:
    """Raises `error`'s type with `context` prepended (or `error` itself if that type can't be made)."""
    try:
        new = type(error)(f"{context}{error}")
    except Exception:
        raise error from None
    raise new from error


def fake_call(fn: Any, args: tuple, kwargs: dict, size: int | None, what: str) -> Any:
    """Calls `fn` on fake tensors standing for the KerasTensors in `args`/`kwargs`.

    `size` fills the `None` dimensions (None: use each tensor's concrete shape).
    """
    from torchkeras_lite.layers.layer import Layer
    from torchkeras_lite.models import tree
    from torchkeras_lite.models.keras_tensor import concrete_shape

    saved_id = CONTEXT.call_id
    try:
        with fake_run():

            def fake(a):
                if not _is_kt(a):
                    return a
                d = a.__dict__
                shape = d["_concrete"] if size is None else concrete_shape(d["_keras_shape"], size)
                with torch._C.DisableTorchFunctionSubclass():
                    dtype = a.dtype
                t = torch.empty(shape, dtype=dtype)
                if d.get("_keras_mask") is not None:  # symbolic masks travel like real ones
                    t._keras_mask = fake(d["_keras_mask"])
                return t

            fargs, fkwargs = tree.map_structure(fake, (tuple(args), dict(kwargs)))
            return fn(*fargs, **fkwargs)
    except Exception as e:
        note = f" (None dimensions set to {size})" if size is not None else ""
        reraise_with_context(
            e,
            f"Exception encountered when calling {what} on symbolic inputs of shape {shapes_text(args, kwargs)}{note}: ",
        )
    finally:
        if isinstance(fn, Layer):  # losses added by the fake run are not real losses
            for m in fn.modules():
                if isinstance(m, Layer) and m.__dict__["_losses_call_id"] > saved_id:
                    m.__dict__["_losses"] = []


def merge_specs(r1: Any, r2: Any, what: str) -> Any:
    """The output spec from two fake runs: tensor leaves -> KerasTensors, changing sizes -> None."""
    from torchkeras_lite.models import tree
    from torchkeras_lite.models.keras_tensor import KerasTensor

    p1, p2 = tree.flatten_with_paths(r1), tree.flatten_with_paths(r2)
    if [p for p, _ in p1] != [p for p, _ in p2]:
        raise ValueError(f"{what} returned different output structures for different batch sizes.")
    leaves = []
    for (_, a), (_, b) in zip(p1, p2):
        if isinstance(a, torch.Tensor):
            if not isinstance(b, torch.Tensor) or a.dim() != b.dim():
                raise ValueError(f"{what} returned outputs whose rank depends on the batch size.")
            shape = tuple(int(x) if x == y else None for x, y in zip(a.shape, b.shape))
            kt = KerasTensor(shape, a.dtype)
            mask_a, mask_b = getattr(a, "_keras_mask", None), getattr(b, "_keras_mask", None)
            if isinstance(mask_a, torch.Tensor) and isinstance(mask_b, torch.Tensor):
                kt.__dict__["_keras_mask"] = merge_specs(mask_a, mask_b, what)
            leaves.append(kt)
        else:
            leaves.append(a)
    return tree.pack_as(r1, leaves)


def describe(layer: Any) -> str:
    name = getattr(layer, "name", None)
    return f"{type(layer).__name__}.call() of layer '{name}'" if name else f"{type(layer).__name__}"


# ------------------------------------------------------------------------------------------------
# Output specs.


def is_shape(x: Any) -> bool:
    return isinstance(x, (tuple, list, torch.Size)) and all(
        d is None or isinstance(d, int) for d in x
    )


def map_shapes(fn: Any, x: Any) -> Any:
    if is_shape(x):
        return fn(tuple(x))
    if isinstance(x, dict):
        return {k: map_shapes(fn, v) for k, v in x.items()}
    if isinstance(x, (list, tuple)):
        return type(x)(map_shapes(fn, e) for e in x)
    return x


def shapes_of(x: Any) -> Any:
    if _is_kt(x):
        return x.__dict__["_keras_shape"]
    if isinstance(x, dict):
        return {k: shapes_of(v) for k, v in x.items()}
    if isinstance(x, (list, tuple)):
        return type(x)(shapes_of(e) for e in x)
    return x
