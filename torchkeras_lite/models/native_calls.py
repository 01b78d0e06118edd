"""Native `nn.Module`s called on KerasTensors become one graph node (`call_module`).

A native module's forward runs on the KerasTensors themselves, so the first torch op (or `.shape`
read, or Layer call) inside it is where we learn of the call: the module's `_call_impl` frame is on
the stack with KerasTensors among its arguments. From there to the end of that frame the module's
inner ops are computed on concrete shapes without being recorded (they are *internal*), and a
profile hook catches the frame's return value: its tensors become the outputs of one node for the
module, with shapes found by running the module on fake tensors.
"""

from __future__ import annotations

import contextlib
import sys
from typing import Any

from torch import nn

from torchkeras_lite.layers import symbolic
from torchkeras_lite.models import shape_inference, tree
from torchkeras_lite.models.keras_tensor import PLACEHOLDER_SIZES, KerasTensor
from torchkeras_lite.models.node import Node

_CALL_IMPL = nn.Module._call_impl.__code__


class PendingCall:
    """A native module's forward in progress on KerasTensors."""

    def __init__(self, frame: Any):
        self.frame = frame
        local = frame.f_locals
        self.module = local["self"]
        self.args = tuple(local.get("args", ()))
        self.kwargs = dict(local.get("kwargs", {}))
        self.previous_profile = sys.getprofile()


_PENDING: list[PendingCall] = []


def _has_graph_kt(local: dict) -> bool:
    return any(
        type(x) is KerasTensor
        for x in tree.flatten((tuple(local.get("args", ())), dict(local.get("kwargs", {}))))
    )


def _native_frame() -> Any:
    """The outermost `_call_impl` frame of a native (non-Layer) module called on KerasTensors."""
    if symbolic.in_fake_run():
        return None
    from torchkeras_lite.layers.layer import Layer

    found = None
    f = sys._getframe(1)
    while f is not None:
        if f.f_code is _CALL_IMPL:
            local = f.f_locals
            module = local.get("self")
            if not isinstance(module, Layer) and _has_graph_kt(local):
                found = f
        f = f.f_back
    return found


def in_native_call() -> bool:
    """True inside the forward of a native module called on KerasTensors."""
    if _PENDING:
        return True
    return _native_frame() is not None


def pending_call() -> PendingCall | None:
    """The native-module call the caller runs inside (starting its tracking), or None at graph level."""
    if _PENDING:
        return _PENDING[-1]
    frame = _native_frame()
    if frame is None:
        return None
    pending = PendingCall(frame)
    _PENDING.append(pending)
    sys.setprofile(_profile)
    return pending


def _profile(frame: Any, event: str, arg: Any) -> None:
    pending = _PENDING[-1] if _PENDING else None
    if pending is None:
        sys.setprofile(None)
        return
    previous = pending.previous_profile
    if previous is not None and callable(previous):
        previous(frame, event, arg)
    if event == "return" and frame is pending.frame:
        _PENDING.pop()
        _restore_profile(previous)
        pending.frame = None
        if arg is not None:  # None: the forward raised (or returned nothing)
            _finish(pending, arg)


def _restore_profile(previous: Any) -> None:
    """Puts back the profiler that was active (a C profiler such as cProfile re-enables itself)."""
    if previous is None or callable(previous):
        sys.setprofile(previous)
    else:
        sys.setprofile(None)
        enable = getattr(previous, "enable", None)
        if enable is not None:
            enable()


def _finish(pending: PendingCall, returned: Any) -> None:
    """Makes the returned (internal) tensors the outputs of one node for the module."""
    module = pending.module
    what = f"{type(module).__name__} (a native torch module)"
    r1 = shape_inference.fake_call(module, pending.args, pending.kwargs, PLACEHOLDER_SIZES[0], what)
    r2 = shape_inference.fake_call(module, pending.args, pending.kwargs, PLACEHOLDER_SIZES[1], what)
    spec = shape_inference.merge_specs(r1, r2, what)
    spec_leaves = dict(tree.flatten_with_paths(spec))
    leaves = []
    for path, x in tree.flatten_with_paths(returned):
        s = spec_leaves.get(path)
        if type(s) is not KerasTensor:
            leaves.append(x)
        elif type(x) is KerasTensor and x.__dict__["_internal"] is pending:
            d = x.__dict__
            d["_keras_shape"] = s.__dict__["_keras_shape"]
            d["_internal"] = None
            leaves.append(x)
        else:  # an input passed through unchanged: the node gets its own output tensor
            leaves.append(s)
    Node(module, pending.args, pending.kwargs, tree.pack_as(returned, leaves))


@contextlib.contextmanager
def profiling_paused():
    """Shape computations inside a native module's forward run without the return-catching hook."""
    active = sys.getprofile() is _profile
    if active:
        sys.setprofile(None)
    try:
        yield
    finally:
        if active:
            sys.setprofile(_profile)


def internal(x: Any, pending: PendingCall) -> Any:
    """Wraps the tensors of a concrete (fake) result as internal KerasTensors."""
    import torch

    def wrap(t):
        if isinstance(t, torch.Tensor):
            kt = KerasTensor(tuple(t.shape), t.dtype, _concrete=tuple(t.shape))
            kt.__dict__["_internal"] = pending
            return kt
        return t

    return tree.map_structure(wrap, x)


def internal_layer_call(layer: Any, args: tuple, kwargs: dict, pending: PendingCall) -> Any:
    """A Layer called inside a native module's forward: built for real, run on fake tensors."""
    with profiling_paused():
        symbolic._build(layer, args, kwargs)
        out = shape_inference.fake_call(layer, args, kwargs, None, shape_inference.describe(layer))
        return internal(out, pending)
