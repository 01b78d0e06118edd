"""What a Layer subclass's `call` and `build` accept, inspected once per class (not per call)."""

from __future__ import annotations

import inspect
from typing import Any


def _params(fn) -> list[inspect.Parameter]:
    try:
        return list(inspect.signature(fn).parameters.values())[1:]  # drop self
    except (TypeError, ValueError):
        return []


class CallSignature:
    """Flags the hot path reads: does `call` take `training`/`mask`, where, and how `build` is fed."""

    def __init__(self, cls: type):
        call_params = _params(cls.call)
        names = [p.name for p in call_params]
        positional = [
            p.name
            for p in call_params
            if p.kind
            in (inspect.Parameter.POSITIONAL_ONLY, inspect.Parameter.POSITIONAL_OR_KEYWORD)
        ]
        self.call_arg_names = names
        self.first_arg = positional[0] if positional else (names[0] if names else "inputs")
        self.accepts_training = "training" in names
        self.accepts_mask = "mask" in names
        self.mask_aware = self.accepts_mask
        self.training_pos = positional.index("training") if "training" in positional else None
        from torchkeras_lite.layers.layer import Layer  # the base class is complete by now

        self.overrides_compute_mask = cls.compute_mask is not Layer.compute_mask
        self.forward_is_call = cls.forward is Layer.forward
        build = getattr(cls.build, "__wrapped__", cls.build)
        build_params = [
            p
            for p in _params(build)
            if p.kind not in (inspect.Parameter.VAR_POSITIONAL, inspect.Parameter.VAR_KEYWORD)
        ]
        self.build_takes_shape = bool(build_params) or any(
            p.kind == inspect.Parameter.VAR_POSITIONAL for p in _params(build)
        )
        shape_args = [p.name[: -len("_shape")] for p in build_params if p.name.endswith("_shape")]
        multi = len(build_params) > 1 and len(shape_args) == len(build_params)
        self.build_arg_names: list[str] = (
            shape_args if multi and all(a in names for a in shape_args) else []
        )
        self._signature = inspect.signature(cls.call)

    def bind(self, args: tuple, kwargs: dict) -> dict[str, Any]:
        """Call arguments by name (used once, at build time)."""
        bound = self._signature.bind_partial(None, *args, **kwargs)
        return dict(bound.arguments)
