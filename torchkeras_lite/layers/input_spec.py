"""`InputSpec`: the rank, shape and dtype a layer accepts, checked on every call."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from torchkeras_lite.backend import dtypes


class InputSpec:
    """Describes the inputs a layer accepts; checked on each call with an error naming the layer.

    Args:
        dtype: expected dtype name, or None.
        shape: expected shape tuple; `None` entries match any size.
        ndim: expected exact rank.
        max_ndim: maximum rank.
        min_ndim: minimum rank.
        axes: dict mapping an axis (may be negative) to its expected size.
        allow_last_axis_squeeze: accept a shape that differs only by a trailing 1.
        name: the input's name, for structures of inputs.

    Example:
        >>> layer.input_spec = InputSpec(min_ndim=2, axes={-1: 16})
    """

    def __init__(
        self,
        dtype: str | None = None,
        shape: Sequence[int | None] | None = None,
        ndim: int | None = None,
        max_ndim: int | None = None,
        min_ndim: int | None = None,
        axes: dict[int, int] | None = None,
        allow_last_axis_squeeze: bool = False,
        name: str | None = None,
        optional: bool = False,
    ):
        self.dtype = dtypes.dtype_name(dtype) if dtype is not None else None
        self.shape = tuple(shape) if shape is not None else None
        self.ndim = len(self.shape) if self.shape is not None else ndim
        self.max_ndim = max_ndim
        self.min_ndim = min_ndim
        self.name = name
        self.optional = optional
        self.allow_last_axis_squeeze = allow_last_axis_squeeze
        self.axes = {int(k): v for k, v in (axes or {}).items()}
        if self.ndim is not None:
            for axis in self.axes:
                if axis >= self.ndim or axis < -self.ndim:
                    raise ValueError(
                        f"Axis {axis} is greater than input rank. Received: ndim={self.ndim}"
                    )

    def get_config(self) -> dict[str, Any]:
        return {
            "dtype": self.dtype,
            "shape": self.shape,
            "ndim": self.ndim,
            "max_ndim": self.max_ndim,
            "min_ndim": self.min_ndim,
            "axes": self.axes,
        }

    @classmethod
    def from_config(cls, config: dict[str, Any]) -> InputSpec:
        return cls(**config)

    def __repr__(self) -> str:
        parts = [f"{k}={v}" for k, v in self.get_config().items() if v]
        return f"InputSpec({', '.join(parts)})"


def _check_one(spec: InputSpec, x: Any, layer_name: str, index: int) -> None:
    if spec is None or x is None:
        return
    shape = tuple(x.shape)
    rank = len(shape)
    where = f"Input {index} of layer '{layer_name}' is incompatible with the layer:"
    if spec.ndim is not None and not spec.allow_last_axis_squeeze and rank != spec.ndim:
        raise ValueError(
            f"{where} expected ndim={spec.ndim}, found ndim={rank}. Full shape received: {shape}"
        )
    if spec.max_ndim is not None and rank > spec.max_ndim:
        raise ValueError(
            f"{where} expected max_ndim={spec.max_ndim}, found ndim={rank}. Full shape received: {shape}"
        )
    if spec.min_ndim is not None and rank < spec.min_ndim:
        raise ValueError(
            f"{where} expected min_ndim={spec.min_ndim}, found ndim={rank}. Full shape received: {shape}"
        )
    if spec.dtype is not None:
        got = dtypes.dtype_name(x.dtype)
        if got != spec.dtype:
            raise ValueError(f"{where} expected dtype={spec.dtype}, found dtype={got}")
    for axis, size in spec.axes.items():
        if size is None:
            continue
        if -rank <= axis < rank and shape[axis] is not None and shape[axis] != size:
            raise ValueError(
                f"{where} expected axis {axis} of input shape to have value {size}, but received "
                f"input with shape {shape}"
            )
    if spec.shape is not None:
        expected = spec.shape
        if rank != len(expected):
            raise ValueError(f"{where} expected shape={expected}, found shape={shape}")
        for dim, want in zip(shape, expected):
            if want is not None and dim is not None and dim != want:
                raise ValueError(f"{where} expected shape={expected}, found shape={shape}")


def assert_input_compatibility(input_spec: Any, inputs: Any, layer_name: str) -> None:
    """Raises a ValueError naming the layer when `inputs` do not match `input_spec`."""
    if not input_spec:
        return
    specs = input_spec if isinstance(input_spec, (list, tuple)) else [input_spec]
    flat = inputs if isinstance(inputs, (list, tuple)) else [inputs]
    if isinstance(inputs, dict):
        flat = list(inputs.values())
    if len(specs) > 1 and len(flat) != len(specs):
        raise ValueError(
            f"Layer '{layer_name}' expects {len(specs)} input(s), but it received {len(flat)} input "
            f"tensors. Inputs received: {[tuple(getattr(x, 'shape', ())) for x in flat]}"
        )
    for i, (spec, x) in enumerate(zip(specs, flat)):
        if hasattr(x, "shape"):
            _check_one(spec, x, layer_name, i)
