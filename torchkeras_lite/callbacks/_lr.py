"""Reading and setting an optimizer's learning rate, for torch and Keras-style optimizers."""

from __future__ import annotations

from typing import Any

import numpy as np
import torch


def _has_learning_rate(optimizer: Any) -> bool:
    try:
        getattr(optimizer, "learning_rate")  # noqa: B009 - a property may raise
    except AttributeError:
        return False
    return True


def _as_float(value: Any, optimizer: Any) -> float:
    if isinstance(value, torch.Tensor):
        return float(value.detach().reshape(()).item())
    try:
        return float(np.asarray(value).reshape(()))
    except (TypeError, ValueError):
        raise TypeError(
            "The optimizer's learning rate is not a number (a learning rate schedule cannot be "
            f"read or set by callbacks). Received: optimizer={type(optimizer).__name__}, "
            f"learning_rate={value!r}"
        ) from None


def get_learning_rate(optimizer: Any) -> float:
    """The current learning rate of `optimizer`, as a Python float.

    Works for optimizers with a `learning_rate` attribute or property (Keras-style optimizers,
    preferred when present) and for any `torch.optim.Optimizer` (its first param group's `lr`).

    Args:
        optimizer: the optimizer.

    Example:
        >>> opt = torch.optim.SGD([torch.nn.Parameter(torch.zeros(1))], lr=0.1)
        >>> get_learning_rate(opt)
        0.1
    """
    if _has_learning_rate(optimizer):
        return _as_float(optimizer.learning_rate, optimizer)
    if isinstance(optimizer, torch.optim.Optimizer):
        if not optimizer.param_groups:
            raise ValueError(
                f"The optimizer has no parameter groups to read a learning rate from. "
                f"Received: optimizer={type(optimizer).__name__}"
            )
        return _as_float(optimizer.param_groups[0]["lr"], optimizer)
    raise ValueError(
        "Expected an optimizer with a `learning_rate` attribute or a `torch.optim.Optimizer`. "
        f"Received: optimizer={optimizer!r}"
    )


def set_learning_rate(optimizer: Any, value: float) -> None:
    """Sets the learning rate of `optimizer` to `value`.

    Sets the `learning_rate` attribute or property when there is a settable one (Keras-style
    optimizers keep their param groups in step); otherwise, for a `torch.optim.Optimizer`, sets
    `lr` in every param group (filling tensor learning rates in place).

    Args:
        optimizer: the optimizer.
        value: the new learning rate.

    Example:
        >>> opt = torch.optim.SGD([torch.nn.Parameter(torch.zeros(1))], lr=0.1)
        >>> set_learning_rate(opt, 0.01)
        >>> opt.param_groups[0]["lr"]
        0.01
    """
    value = float(value)
    if _has_learning_rate(optimizer):
        try:
            optimizer.learning_rate = value
            return
        except AttributeError:  # a read-only property: fall back to the param groups
            if not isinstance(optimizer, torch.optim.Optimizer):
                raise ValueError(
                    "The optimizer's `learning_rate` cannot be set. "
                    f"Received: optimizer={type(optimizer).__name__}"
                ) from None
    if isinstance(optimizer, torch.optim.Optimizer):
        for group in optimizer.param_groups:
            if isinstance(group["lr"], torch.Tensor):
                group["lr"].fill_(value)
            else:
                group["lr"] = value
        return
    raise ValueError(
        "Expected an optimizer with a `learning_rate` attribute or a `torch.optim.Optimizer`. "
        f"Received: optimizer={optimizer!r}"
    )
