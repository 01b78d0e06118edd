"""`keras.ops.nn` activation functions, on `torch.nn.functional`.

Example:
    >>> keras.ops.nn.gelu(np.array([0.0, 1.0]))  # tanh approximation, Keras' default
    tensor([0.0000, 0.8412])
"""

from __future__ import annotations

from typing import Any

import torch
import torch.nn.functional as F

from torchkeras_lite.ops.tensor_utils import convert, name_functions, to_float


def _unary(fn, doc: str, needs_float: bool = True):
    def op(x: Any) -> torch.Tensor:
        x = convert(x)
        return fn(to_float(x) if needs_float else x)

    op.__doc__ = doc
    return op


relu = _unary(F.relu, "`max(x, 0)`.", needs_float=False)
relu6 = _unary(F.relu6, "`min(max(x, 0), 6)`.", needs_float=False)
sigmoid = _unary(torch.sigmoid, "`1 / (1 + exp(-x))`.")
tanh = _unary(torch.tanh, "The hyperbolic tangent.")
softplus = _unary(F.softplus, "`log(1 + exp(x))`.")
softsign = _unary(F.softsign, "`x / (1 + |x|)`.")
silu = _unary(F.silu, "`x * sigmoid(x)` (also called swish).")
swish = silu
log_sigmoid = _unary(F.logsigmoid, "`log(sigmoid(x))`, computed stably.")
hard_sigmoid = _unary(F.hardsigmoid, "`relu6(x + 3) / 6`.")
hard_silu = _unary(F.hardswish, "`x * hard_sigmoid(x)`.")
hard_swish = hard_silu
selu = _unary(F.selu, "The scaled exponential linear unit.")
tanh_shrink = _unary(F.tanhshrink, "`x - tanh(x)`.")


def hard_tanh(x: Any) -> torch.Tensor:
    """`x` clipped to [-1, 1]."""
    return F.hardtanh(convert(x), -1.0, 1.0)


def leaky_relu(x: Any, negative_slope: float = 0.2) -> torch.Tensor:
    """`x` for positive values, `negative_slope * x` for negative ones."""
    return F.leaky_relu(to_float(convert(x)), negative_slope)


def elu(x: Any, alpha: float = 1.0) -> torch.Tensor:
    """`x` for positive values, `alpha * (exp(x) - 1)` for negative ones."""
    return F.elu(to_float(convert(x)), alpha)


def celu(x: Any, alpha: float = 1.0) -> torch.Tensor:
    """The continuously differentiable ELU: `max(0, x) + min(0, alpha * (exp(x / alpha) - 1))`."""
    return F.celu(to_float(convert(x)), alpha)


def gelu(x: Any, approximate: bool = True) -> torch.Tensor:
    """The Gaussian error linear unit (tanh approximation unless `approximate=False`)."""
    return F.gelu(to_float(convert(x)), approximate="tanh" if approximate else "none")


def glu(x: Any, axis: int = -1) -> torch.Tensor:
    """The gated linear unit: the first half of `axis` times the sigmoid of the second half."""
    return F.glu(to_float(convert(x)), dim=axis)


def hard_shrink(x: Any, threshold: float = 0.5) -> torch.Tensor:
    """`x` where `|x| > threshold`, else 0."""
    return F.hardshrink(to_float(convert(x)), threshold)


def soft_shrink(x: Any, threshold: float = 0.5) -> torch.Tensor:
    """`x` moved toward 0 by `threshold` (0 inside `[-threshold, threshold]`)."""
    return F.softshrink(to_float(convert(x)), threshold)


def threshold(x: Any, threshold: float, default_value: float) -> torch.Tensor:
    """`x` where `x > threshold`, else `default_value`."""
    return F.threshold(to_float(convert(x)), threshold, default_value)


def sparse_plus(x: Any) -> torch.Tensor:
    """0 below -1, `(x + 1)**2 / 4` in [-1, 1), `x` above."""
    x = to_float(convert(x))
    return torch.where(x <= -1, torch.zeros_like(x), torch.where(x < 1, 0.25 * (x + 1) ** 2, x))


def sparse_sigmoid(x: Any) -> torch.Tensor:
    """0 below -1, `(x + 1) / 2` in [-1, 1], 1 above."""
    return torch.clamp(0.5 * (to_float(convert(x)) + 1), 0.0, 1.0)


def squareplus(x: Any, b: float = 4) -> torch.Tensor:
    """`(x + sqrt(x**2 + b)) / 2`, a smooth ReLU."""
    x = to_float(convert(x))
    return (x + torch.sqrt(x * x + b)) / 2


def _softmax_fn(fn, x: Any, axis) -> torch.Tensor:
    x = to_float(convert(x))
    dtype = x.dtype
    if dtype == torch.float16 and x.device.type == "cpu":
        x = x.float()
    if axis is None:
        return fn(x.reshape(-1), dim=-1).reshape(x.shape).to(dtype)
    if isinstance(axis, (tuple, list)):
        moved = torch.movedim(x, tuple(axis), tuple(range(-len(axis), 0)))
        flat = fn(moved.reshape(*moved.shape[: -len(axis)], -1), dim=-1).reshape(moved.shape)
        return torch.movedim(flat, tuple(range(-len(axis), 0)), tuple(axis)).to(dtype)
    return fn(x, dim=axis).to(dtype)


def softmax(x: Any, axis: int | tuple[int, ...] | None = -1) -> torch.Tensor:
    """`exp(x) / sum(exp(x))` over `axis` (all axes when None)."""
    return _softmax_fn(F.softmax, x, axis)


def log_softmax(x: Any, axis: int | tuple[int, ...] | None = -1) -> torch.Tensor:
    """`log(softmax(x))` over `axis`, computed stably."""
    return _softmax_fn(F.log_softmax, x, axis)


def sparsemax(x: Any, axis: int = -1) -> torch.Tensor:
    """The Euclidean projection of `x` onto the probability simplex along `axis` (sparse output)."""
    x = to_float(convert(x))
    z = torch.sort(x, dim=axis, descending=True).values
    cumsum = torch.cumsum(z, dim=axis)
    shape = [1] * x.ndim
    shape[axis] = -1
    k = torch.arange(1, x.shape[axis] + 1, device=x.device, dtype=x.dtype).reshape(shape)
    support = (1 + k * z) > cumsum
    k_max = support.sum(dim=axis, keepdim=True)
    tau = (torch.gather(cumsum, axis, k_max - 1) - 1) / k_max.to(x.dtype)
    return torch.clamp(x - tau, min=0.0)


name_functions(globals())
