"""The `Constraint` base class, the family's registry and the shared norm helper."""

from __future__ import annotations

from collections.abc import Sequence

import torch

from torchkeras_lite.saving.registry import Registry

REGISTRY = Registry("constraint")

Axis = int | Sequence[int]


def _dims(axis: Axis) -> int | tuple[int, ...]:
    return axis if isinstance(axis, int) else tuple(axis)


def l2_norms(w: torch.Tensor, axis: Axis) -> torch.Tensor:
    """`sqrt(sum(w**2))` over `axis`, keeping the reduced dimensions for broadcasting."""
    return torch.sqrt(torch.sum(torch.square(w), dim=_dims(axis), keepdim=True))


def validate_axis(axis: Axis) -> Axis:
    """`axis` as an int or a list of ints (JSON-ready); a ValueError otherwise."""
    if isinstance(axis, int) and not isinstance(axis, bool):
        return axis
    if isinstance(axis, (list, tuple)) and all(
        isinstance(a, int) and not isinstance(a, bool) for a in axis
    ):
        return list(axis)
    raise ValueError(f"`axis` must be an int or a list of ints. Received: axis={axis!r}")


@REGISTRY.register("Constraint", "constraint")
class Constraint:
    """Base class of weight constraints: a callable `(w) -> projected w`.

    The optimizer applies a variable's constraint after each update, replacing the weight with
    the returned tensor. The base class returns the weight unchanged. Subclasses implement
    `__call__` and, when they have constructor arguments, `get_config`.

    Example:
        >>> class Clip(Constraint):
        ...     def __call__(self, w):
        ...         return torch.clamp(w, -1.0, 1.0)
        >>> Clip()(torch.tensor([-3.0, 0.5]))
        tensor([-1.0000,  0.5000])
    """

    def __call__(self, w: torch.Tensor) -> torch.Tensor:
        """The constrained version of `w`."""
        return w

    def get_config(self) -> dict:
        """The constructor arguments, as a JSON-ready dict."""
        return {}

    @classmethod
    def from_config(cls, config: dict) -> Constraint:
        """Rebuilds a constraint from the output of `get_config`."""
        return cls(**config)

    def __repr__(self) -> str:
        args = ", ".join(f"{k}={v!r}" for k, v in self.get_config().items())
        return f"{type(self).__name__}({args})"
