"""Symbolic (functional-API) calls of layers, and output-shape inference on fake tensors.

`Layer.__call__` routes here when an argument is a `KerasTensor`: the layer is built for real (weights
on CPU, from shapes whose batch dimension is `None`), its output spec is found with
`compute_output_shape` when the class overrides it, otherwise by running the layer on fake tensors
(twice, with two placeholder sizes for the `None` dimensions; see `models/shape_inference.py`), and
a node is recorded. Layers first reached inside such a fake run still build real weights.
"""

from __future__ import annotations

import contextlib
import inspect
import logging
from typing import Any

import torch
from torch._subclasses.fake_tensor import FakeTensorMode, unset_fake_temporarily

from torchkeras_lite.layers.input_spec import assert_input_compatibility

_FAKE_DEPTH = [0]


def _is_kt(x: Any) -> bool:
    return getattr(type(x), "_tkl_symbolic", False)


def _has_kt(x: Any) -> bool:
    t = type(x)
    if getattr(t, "_tkl_symbolic", False):
        return True
    if t is list or t is tuple:
        return any(_has_kt(e) for e in x)
    if t is dict:
        return any(_has_kt(e) for e in x.values())
    return False


def any_symbolic(args: tuple, kwargs: dict) -> bool:
    """True when any argument (or list/tuple/dict element) is a KerasTensor."""
    for a in args:
        if _has_kt(a):
            return True
    for v in kwargs.values():
        if _has_kt(v):
            return True
    return False


# ------------------------------------------------------------------------------------------------
# Fake runs.
def in_fake_run() -> bool:
    """True while a layer or op runs on fake tensors for shape inference."""
    return _FAKE_DEPTH[0] > 0


_FAKE_LOG = logging.getLogger("torch._subclasses.fake_tensor")


@contextlib.contextmanager
def fake_run():
    """Runs the body on fake tensors (real tensors such as weights are accepted as inputs)."""
    _FAKE_DEPTH[0] += 1
    level = _FAKE_LOG.level
    _FAKE_LOG.setLevel(logging.CRITICAL)  # shape errors are re-raised with context, not logged
    try:
        with torch.no_grad(), FakeTensorMode(allow_non_fake_inputs=True):
            yield
    finally:
        _FAKE_LOG.setLevel(level)
        _FAKE_DEPTH[0] -= 1


@contextlib.contextmanager
def real_mode():
    """Leaves any fake run temporarily: weights made here are real tensors."""
    saved = _FAKE_DEPTH[0]
    _FAKE_DEPTH[0] = 0
    try:
        with unset_fake_temporarily():
            yield
    finally:
        _FAKE_DEPTH[0] = saved


def build_in_real_mode(layer: Any, args: tuple, kwargs: dict) -> None:
    """Builds a layer first called inside a fake run, with real weights and `None` batch sizes."""
    from torchkeras_lite.models import shape_inference as si

    spec_args, spec_kwargs = si.to_shape_specs((args, kwargs))
    with real_mode():
        layer._maybe_build(tuple(spec_args), dict(spec_kwargs))


def _first_arg(layer: Any, args: tuple, kwargs: dict) -> Any:
    return args[0] if args else kwargs.get(layer._call_signature.first_arg)


def _overrides_compute_output_shape(layer: Any) -> bool:
    from torchkeras_lite.layers.layer import Layer

    return type(layer).compute_output_shape is not Layer.compute_output_shape


def _via_compute_output_shape(layer: Any, args: tuple, kwargs: dict) -> Any:
    from torchkeras_lite.models import shape_inference as si
    from torchkeras_lite.models.keras_tensor import KerasTensor

    sig = layer._call_signature
    params = [
        p.name
        for p in list(inspect.signature(type(layer).compute_output_shape).parameters.values())[1:]
        if p.kind not in (inspect.Parameter.VAR_POSITIONAL, inspect.Parameter.VAR_KEYWORD)
    ]
    bound = sig.bind(args, kwargs)
    by_name = {
        p: si.keras_shapes(bound[p[: -len("_shape")]])
        for p in params
        if p.endswith("_shape") and p[:-6] in bound
    }
    if len(params) > 1 and len(by_name) == len(params):
        shape = layer.compute_output_shape(**by_name)
    else:
        shape = layer.compute_output_shape(si.keras_shapes(_first_arg(layer, args, kwargs)))
    dtype = layer.compute_dtype
    return si.map_shapes(lambda s: KerasTensor(s, dtype), shape)


def output_spec(
    layer: Any, args: tuple, kwargs: dict, use_compute_output_shape: bool = True
) -> Any:
    """The output KerasTensors (no history) of calling `layer` on KerasTensor arguments."""
    from torchkeras_lite.models import shape_inference as si
    from torchkeras_lite.models.keras_tensor import PLACEHOLDER_SIZES

    if use_compute_output_shape and _overrides_compute_output_shape(layer):
        outputs = _via_compute_output_shape(layer, args, kwargs)
        _attach_symbolic_mask(layer, args, kwargs, outputs)
        return outputs
    what = si.describe(layer)
    r1 = si.fake_call(layer, args, kwargs, PLACEHOLDER_SIZES[0], what)
    r2 = si.fake_call(layer, args, kwargs, PLACEHOLDER_SIZES[1], what)
    return si.merge_specs(r1, r2, what)


def _attach_symbolic_mask(layer: Any, args: tuple, kwargs: dict, outputs: Any) -> None:
    """Gives the outputs the mask `compute_mask` makes (found on fake tensors), as a real call would."""
    from torchkeras_lite.models import shape_inference as si
    from torchkeras_lite.models.keras_tensor import PLACEHOLDER_SIZES

    d = layer.__dict__
    if not (layer._call_signature.overrides_compute_mask or d["_supports_masking"]):
        return
    first = _first_arg(layer, args, kwargs)
    previous = kwargs.get("mask")
    if previous is None and not isinstance(first, (list, tuple)):
        previous = first.__dict__.get("_keras_mask") if _is_kt(first) else None
    if _is_kt(first) and type(outputs) is type(first):
        what = f"{type(layer).__name__}.compute_mask() of layer '{layer.name}'"
        masks = [
            si.fake_call(layer.compute_mask, (first, previous), {}, size, what)
            for size in PLACEHOLDER_SIZES
        ]
        if isinstance(masks[0], torch.Tensor):
            outputs.__dict__["_keras_mask"] = si.merge_specs(masks[0], masks[1], what)


def _build(layer: Any, args: tuple, kwargs: dict) -> None:
    from torchkeras_lite.models import shape_inference as si

    if layer.__dict__["built"]:
        return
    spec_args, spec_kwargs = si.to_shape_specs((args, kwargs))
    try:
        with real_mode():
            layer._maybe_build(tuple(spec_args), dict(spec_kwargs))
    except Exception as e:
        si.reraise_with_context(
            e,
            f"Exception encountered when building layer '{layer.name}' ({type(layer).__name__}) "
            f"for inputs of shape {si.shapes_text(args, kwargs)}: ",
        )


def symbolic_call(layer: Any, args: tuple, kwargs: dict) -> Any:
    """Calls a Layer on KerasTensors: builds it, infers the outputs and records a node."""
    from torchkeras_lite.models import native_calls
    from torchkeras_lite.models import shape_inference as si
    from torchkeras_lite.models.node import Node

    pending = native_calls.pending_call()
    if pending is not None:  # inside a native module's forward: no node, concrete shapes
        return native_calls.internal_layer_call(layer, args, kwargs, pending)
    _build(layer, args, kwargs)
    spec = layer.__dict__["input_spec"]
    if spec is not None:
        first = _first_arg(layer, args, kwargs)
        assert_input_compatibility(spec, si.to_shape_specs(first), layer.name)
    outputs = output_spec(layer, args, kwargs)
    Node(layer, args, kwargs, outputs)
    return outputs


def infer_output_shape(layer: Any, args: tuple, kwargs: dict) -> Any:
    """`compute_output_shape` by default: runs `call` on fake tensors of the given shape(s)."""
    from torchkeras_lite.models import shape_inference as si
    from torchkeras_lite.models.keras_tensor import KerasTensor

    dtype = layer.compute_dtype
    kt_args = si.map_shapes(lambda s: KerasTensor(s, dtype), tuple(args))
    kt_kwargs = {k: si.map_shapes(lambda s: KerasTensor(s, dtype), v) for k, v in kwargs.items()}
    _build(layer, kt_args, kt_kwargs)
    out = output_spec(layer, kt_args, kt_kwargs, use_compute_output_shape=False)
    return si.shapes_of(out)


def compute_output_spec(layer: Any, args: tuple, kwargs: dict) -> Any:
    """The output KerasTensors of calling `layer` on KerasTensors, without recording a node."""
    _build(layer, args, kwargs)
    return output_spec(layer, args, kwargs)
