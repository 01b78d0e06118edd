"""Weight penalties: `L1`, `L2`, `L1L2` and `OrthogonalRegularizer`."""

from __future__ import annotations

import torch
import torch.nn.functional as F

from torchkeras_lite.backend import config
from torchkeras_lite.regularizers.base_regularizer import (
    REGISTRY,
    Regularizer,
    validate_float_arg,
)


@REGISTRY.register("L1", "l1")
class L1(Regularizer):
    """L1 penalty: `l1 * sum(abs(x))`.

    Args:
        l1: the factor, a non-negative float (None means 0.01).

    Example:
        >>> L1(0.1)(torch.tensor([1.0, -2.0]))
        tensor(0.3000)
    """

    def __init__(self, l1: float = 0.01):
        self.l1 = validate_float_arg(0.01 if l1 is None else l1, name="l1")

    def __call__(self, x: torch.Tensor) -> torch.Tensor:
        return self.l1 * torch.sum(torch.abs(x))

    def get_config(self) -> dict:
        return {"l1": self.l1}


@REGISTRY.register("L2", "l2")
class L2(Regularizer):
    """L2 penalty: `l2 * sum(square(x))` (no factor 1/2).

    Args:
        l2: the factor, a non-negative float (None means 0.01).

    Example:
        >>> L2(0.1)(torch.tensor([1.0, -2.0]))
        tensor(0.5000)
    """

    def __init__(self, l2: float = 0.01):
        self.l2 = validate_float_arg(0.01 if l2 is None else l2, name="l2")

    def __call__(self, x: torch.Tensor) -> torch.Tensor:
        return self.l2 * torch.sum(torch.square(x))

    def get_config(self) -> dict:
        return {"l2": self.l2}


@REGISTRY.register("L1L2", "l1_l2", "l1l2")
class L1L2(Regularizer):
    """Both penalties: `l1 * sum(abs(x)) + l2 * sum(square(x))`.

    Unlike `L1` and `L2`, both factors default to 0 (so `"l1_l2"` by name penalizes nothing, as
    in Keras); pass the factors you want.

    Args:
        l1: the L1 factor, a non-negative float (None means 0).
        l2: the L2 factor, a non-negative float (None means 0).

    Example:
        >>> L1L2(l1=0.1, l2=0.1)(torch.tensor([1.0, -2.0]))
        tensor(0.8000)
    """

    def __init__(self, l1: float = 0.0, l2: float = 0.0):
        self.l1 = validate_float_arg(0.0 if l1 is None else l1, name="l1")
        self.l2 = validate_float_arg(0.0 if l2 is None else l2, name="l2")

    def __call__(self, x: torch.Tensor) -> torch.Tensor:
        penalty = torch.zeros((), dtype=x.dtype, device=x.device)
        if self.l1 != 0.0:
            penalty = penalty + self.l1 * torch.sum(torch.abs(x))
        if self.l2 != 0.0:
            penalty = penalty + self.l2 * torch.sum(torch.square(x))
        return penalty

    def get_config(self) -> dict:
        return {"l1": self.l1, "l2": self.l2}


_ORTHOGONAL_MODES = ("rows", "columns")


@REGISTRY.register("OrthogonalRegularizer", "orthogonal_regularizer")
class OrthogonalRegularizer(Regularizer):
    """Pushes the rows (or columns) of a 2D weight towards being mutually orthogonal.

    The penalty is `factor` times the mean of `|<u_i, u_j>|` over the pairs `i < j` of
    L2-normalized rows (`mode="rows"`) or columns (`mode="columns"`): 0 for orthogonal vectors,
    `factor` when all are parallel. For a Dense kernel `(input_dim, units)`, `"rows"` targets the
    input features' weight vectors.

    Args:
        factor: the penalty factor, a non-negative float.
        mode: `"rows"` or `"columns"`.

    Example:
        >>> OrthogonalRegularizer(factor=1.0)(torch.eye(3))
        tensor(0.)
    """

    def __init__(self, factor: float = 0.01, mode: str = "rows"):
        self.factor = validate_float_arg(factor, name="factor")
        if mode not in _ORTHOGONAL_MODES:
            raise ValueError(
                f"Invalid value for argument `mode`. Expected one of {_ORTHOGONAL_MODES}. "
                f"Received: mode={mode!r}"
            )
        self.mode = mode

    def __call__(self, x: torch.Tensor) -> torch.Tensor:
        if x.dim() != 2:
            raise ValueError(
                "Inputs to OrthogonalRegularizer must have rank 2. "
                f"Received: inputs.shape={tuple(x.shape)}"
            )
        if self.mode == "rows":
            vectors = F.normalize(x, p=2.0, dim=1, eps=config.epsilon())
        else:
            vectors = F.normalize(x, p=2.0, dim=0, eps=config.epsilon()).T
        size = vectors.shape[0]
        product = vectors @ vectors.T
        off_diagonal = product * (1.0 - torch.eye(size, dtype=x.dtype, device=x.device))
        num_pairs = size * (size - 1.0) / 2.0
        return self.factor * 0.5 * torch.sum(torch.abs(off_diagonal)) / num_pairs

    def get_config(self) -> dict:
        return {"factor": self.factor, "mode": self.mode}
