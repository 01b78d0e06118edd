"""Elementwise activations: sigmoid/tanh family, GELU/SiLU/Mish, softplus variants, exponential."""

from __future__ import annotations

import torch
import torch.nn.functional as F

from torchkeras_lite.activations.base_activation import REGISTRY, to_tensor


@REGISTRY.register("sigmoid")
def sigmoid(x: torch.Tensor) -> torch.Tensor:
    """`1 / (1 + exp(-x))`.

    Args:
        x: input tensor.

    Example:
        >>> sigmoid(torch.tensor([0.0]))
        tensor([0.5000])
    """
    return torch.sigmoid(to_tensor(x))


@REGISTRY.register("tanh")
def tanh(x: torch.Tensor) -> torch.Tensor:
    """Hyperbolic tangent.

    Args:
        x: input tensor.

    Example:
        >>> tanh(torch.tensor([0.0]))
        tensor([0.])
    """
    return torch.tanh(to_tensor(x))


@REGISTRY.register("hard_sigmoid")
def hard_sigmoid(x: torch.Tensor) -> torch.Tensor:
    """Piecewise-linear sigmoid: `clip(x / 6 + 0.5, 0, 1)`.

    Args:
        x: input tensor.

    Example:
        >>> hard_sigmoid(torch.tensor([-4.0, 0.0, 4.0]))
        tensor([0.0000, 0.5000, 1.0000])
    """
    return F.hardsigmoid(to_tensor(x))


@REGISTRY.register("hard_silu", "hard_swish")
def hard_silu(x: torch.Tensor) -> torch.Tensor:
    """`x * hard_sigmoid(x)` (also registered as `"hard_swish"`).

    Args:
        x: input tensor.

    Example:
        >>> hard_silu(torch.tensor([-4.0, 4.0]))
        tensor([-0., 4.])
    """
    return F.hardswish(to_tensor(x))


@REGISTRY.register("log_sigmoid")
def log_sigmoid(x: torch.Tensor) -> torch.Tensor:
    """`log(sigmoid(x))`, computed stably.

    Args:
        x: input tensor.

    Example:
        >>> log_sigmoid(torch.tensor([0.0]))
        tensor([-0.6931])
    """
    return F.logsigmoid(to_tensor(x))


@REGISTRY.register("sparse_sigmoid")
def sparse_sigmoid(x: torch.Tensor) -> torch.Tensor:
    """0 below -1, 1 above 1, `(x + 1) / 2` in between.

    Args:
        x: input tensor.

    Example:
        >>> sparse_sigmoid(torch.tensor([-2.0, 0.0, 2.0]))
        tensor([0.0000, 0.5000, 1.0000])
    """
    return torch.clamp(0.5 * (to_tensor(x) + 1), 0.0, 1.0)


@REGISTRY.register("gelu")
def gelu(x: torch.Tensor, approximate: bool = False) -> torch.Tensor:
    """Gaussian error linear unit: `x * Phi(x)`.

    Args:
        x: input tensor.
        approximate: use the tanh approximation instead of the exact erf form.

    Example:
        >>> gelu(torch.tensor([1.0]))
        tensor([0.8413])
    """
    return F.gelu(to_tensor(x), approximate="tanh" if approximate else "none")


@REGISTRY.register("silu", "swish")
def silu(x: torch.Tensor) -> torch.Tensor:
    """`x * sigmoid(x)` (also registered as `"swish"`).

    Args:
        x: input tensor.

    Example:
        >>> silu(torch.tensor([1.0]))
        tensor([0.7311])
    """
    return F.silu(to_tensor(x))


@REGISTRY.register("mish")
def mish(x: torch.Tensor) -> torch.Tensor:
    """`x * tanh(softplus(x))`.

    Args:
        x: input tensor.

    Example:
        >>> mish(torch.tensor([1.0]))
        tensor([0.8651])
    """
    return F.mish(to_tensor(x))


@REGISTRY.register("softplus")
def softplus(x: torch.Tensor) -> torch.Tensor:
    """`log(exp(x) + 1)`.

    Args:
        x: input tensor.

    Example:
        >>> softplus(torch.tensor([0.0]))
        tensor([0.6931])
    """
    return F.softplus(to_tensor(x))


@REGISTRY.register("softsign")
def softsign(x: torch.Tensor) -> torch.Tensor:
    """`x / (abs(x) + 1)`.

    Args:
        x: input tensor.

    Example:
        >>> softsign(torch.tensor([1.0]))
        tensor([0.5000])
    """
    return F.softsign(to_tensor(x))


@REGISTRY.register("squareplus")
def squareplus(x: torch.Tensor, b: float = 4) -> torch.Tensor:
    """`(x + sqrt(x**2 + b)) / 2`, a smooth ReLU.

    Args:
        x: input tensor.
        b: smoothness; must be non-negative.

    Example:
        >>> squareplus(torch.tensor([0.0]))
        tensor([1.])
    """
    x = to_tensor(x)
    return (x + torch.sqrt(torch.square(x) + b)) / 2


@REGISTRY.register("sparse_plus")
def sparse_plus(x: torch.Tensor) -> torch.Tensor:
    """0 below -1, `x` above 1, `(x + 1)**2 / 4` in between.

    Args:
        x: input tensor.

    Example:
        >>> sparse_plus(torch.tensor([-2.0, 0.0, 2.0]))
        tensor([0.0000, 0.2500, 2.0000])
    """
    x = to_tensor(x)
    middle = 0.25 * torch.square(x + 1)
    return torch.where(x <= -1, torch.zeros_like(x), torch.where(x < 1, middle, x))


@REGISTRY.register("exponential")
def exponential(x: torch.Tensor) -> torch.Tensor:
    """`exp(x)`.

    Args:
        x: input tensor.

    Example:
        >>> exponential(torch.tensor([0.0]))
        tensor([1.])
    """
    return torch.exp(to_tensor(x))


@REGISTRY.register("linear")
def linear(x: torch.Tensor) -> torch.Tensor:
    """The identity: returns `x` unchanged (the activation of `None`).

    Args:
        x: input tensor.

    Example:
        >>> linear(torch.tensor([-1.0]))
        tensor([-1.])
    """
    return x
