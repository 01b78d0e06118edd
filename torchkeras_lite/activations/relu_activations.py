"""Piecewise-linear activations: the ReLU family, thresholds and shrinkage functions."""

from __future__ import annotations

import torch
import torch.nn.functional as F

from torchkeras_lite.activations.base_activation import REGISTRY, to_tensor


@REGISTRY.register("relu")
def relu(
    x: torch.Tensor,
    negative_slope: float = 0.0,
    max_value: float | None = None,
    threshold: float = 0.0,
) -> torch.Tensor:
    """Rectified linear unit, with Keras' optional slope, cap and threshold.

    `x` above `threshold`, `negative_slope * (x - threshold)` below it, clipped at `max_value`.

    Args:
        x: input tensor.
        negative_slope: slope for values below the threshold.
        max_value: the largest output value (None: no cap).
        threshold: values above it pass through.

    Example:
        >>> relu(torch.tensor([-2.0, 1.0, 8.0]), max_value=6.0)
        tensor([0., 1., 6.])
    """
    x = to_tensor(x)
    if threshold == 0:
        if max_value is None:
            return F.relu(x) if negative_slope == 0 else F.leaky_relu(x, negative_slope)
        if max_value == 6 and negative_slope == 0:
            return F.relu6(x)
    negative_part = F.relu(threshold - x) if negative_slope != 0 else None
    y = torch.where(x > threshold, x, 0) if threshold != 0 else F.relu(x)
    if max_value is not None:
        y = torch.clamp(y, 0, max_value)
    if negative_part is not None:
        y = y - negative_slope * negative_part
    return y


@REGISTRY.register("relu6")
def relu6(x: torch.Tensor) -> torch.Tensor:
    """`min(max(x, 0), 6)`.

    Args:
        x: input tensor.

    Example:
        >>> relu6(torch.tensor([-1.0, 3.0, 9.0]))
        tensor([0., 3., 6.])
    """
    return F.relu6(to_tensor(x))


@REGISTRY.register("leaky_relu")
def leaky_relu(x: torch.Tensor, negative_slope: float = 0.2) -> torch.Tensor:
    """`x` for positive values, `negative_slope * x` otherwise.

    Args:
        x: input tensor.
        negative_slope: slope of the negative part.

    Example:
        >>> leaky_relu(torch.tensor([-1.0, 2.0]))
        tensor([-0.2000,  2.0000])
    """
    return F.leaky_relu(to_tensor(x), negative_slope)


@REGISTRY.register("elu")
def elu(x: torch.Tensor, alpha: float = 1.0) -> torch.Tensor:
    """Exponential linear unit: `x` if `x > 0`, else `alpha * (exp(x) - 1)`.

    Args:
        x: input tensor.
        alpha: the value the negative part saturates to (as `-alpha`).

    Example:
        >>> elu(torch.tensor([-1.0, 1.0]))
        tensor([-0.6321,  1.0000])
    """
    return F.elu(to_tensor(x), alpha)


@REGISTRY.register("selu")
def selu(x: torch.Tensor) -> torch.Tensor:
    """Scaled ELU: `1.0507 * elu(x, alpha=1.6733)` (use with `lecun_normal` initialization).

    Args:
        x: input tensor.

    Example:
        >>> selu(torch.tensor([0.0, 1.0]))
        tensor([0.0000, 1.0507])
    """
    return F.selu(to_tensor(x))


@REGISTRY.register("celu")
def celu(x: torch.Tensor, alpha: float = 1.0) -> torch.Tensor:
    """Continuously differentiable ELU: `max(x, 0) + min(0, alpha * (exp(x / alpha) - 1))`.

    Args:
        x: input tensor.
        alpha: the saturation value of the negative part.

    Example:
        >>> celu(torch.tensor([-1.0, 1.0]), alpha=2.0)
        tensor([-0.7869,  1.0000])
    """
    return F.celu(to_tensor(x), alpha)


@REGISTRY.register("threshold")
def threshold(x: torch.Tensor, threshold: float, default_value: float) -> torch.Tensor:
    """`x` where `x > threshold`, else `default_value`.

    Args:
        x: input tensor.
        threshold: the threshold.
        default_value: the value for elements at or below the threshold.

    Example:
        >>> threshold(torch.tensor([0.5, 2.0]), 1.0, -1.0)
        tensor([-1.,  2.])
    """
    return F.threshold(to_tensor(x), threshold, default_value)


@REGISTRY.register("hard_tanh")
def hard_tanh(x: torch.Tensor) -> torch.Tensor:
    """`x` clipped to `[-1, 1]`.

    Args:
        x: input tensor.

    Example:
        >>> hard_tanh(torch.tensor([-3.0, 0.5]))
        tensor([-1.0000,  0.5000])
    """
    return F.hardtanh(to_tensor(x), -1.0, 1.0)


@REGISTRY.register("hard_shrink")
def hard_shrink(x: torch.Tensor, threshold: float = 0.5) -> torch.Tensor:
    """`x` where `|x| > threshold`, else 0.

    Args:
        x: input tensor.
        threshold: values with magnitude at or below it become 0.

    Example:
        >>> hard_shrink(torch.tensor([-1.0, 0.2]))
        tensor([-1.,  0.])
    """
    return F.hardshrink(to_tensor(x), threshold)


@REGISTRY.register("soft_shrink")
def soft_shrink(x: torch.Tensor, threshold: float = 0.5) -> torch.Tensor:
    """`x - threshold` above it, `x + threshold` below `-threshold`, else 0.

    Args:
        x: input tensor.
        threshold: the shrinkage amount.

    Example:
        >>> soft_shrink(torch.tensor([-1.0, 0.2]))
        tensor([-0.5000,  0.0000])
    """
    return F.softshrink(to_tensor(x), threshold)


@REGISTRY.register("tanh_shrink")
def tanh_shrink(x: torch.Tensor) -> torch.Tensor:
    """`x - tanh(x)`.

    Args:
        x: input tensor.

    Example:
        >>> tanh_shrink(torch.tensor([0.0]))
        tensor([0.])
    """
    return F.tanhshrink(to_tensor(x))
