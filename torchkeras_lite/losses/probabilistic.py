"""Binary crossentropies (plain and focal), Kullback-Leibler divergence and Poisson loss."""

from __future__ import annotations

from typing import Any

import torch
import torch.nn.functional as F

from torchkeras_lite.backend import config as backend_config
from torchkeras_lite.losses.loss import LOSSES, LossFunctionWrapper, cast_pair, check_same_shape


def elementwise_binary_crossentropy(
    target: torch.Tensor, output: torch.Tensor, from_logits: bool = False
) -> torch.Tensor:
    """Per-entry BCE: the fused logits kernel, or probabilities clipped to `[eps, 1 - eps]`."""
    check_same_shape(target, output)
    if from_logits:
        return F.binary_cross_entropy_with_logits(output, target, reduction="none")
    eps = backend_config.epsilon()
    output = torch.clamp(output, eps, 1.0 - eps)
    return -(target * torch.log(output) + (1.0 - target) * torch.log(1.0 - output))


def _smooth(y_true: torch.Tensor, label_smoothing: float) -> torch.Tensor:
    return y_true * (1.0 - label_smoothing) + 0.5 * label_smoothing if label_smoothing else y_true


@LOSSES.register("binary_crossentropy", "bce", "BCE")
def binary_crossentropy(
    y_true: Any,
    y_pred: Any,
    from_logits: bool = False,
    label_smoothing: float = 0.0,
    axis: int = -1,
) -> torch.Tensor:
    """Binary crossentropy, averaged over `axis`.

    Args:
        y_true: targets in [0, 1].
        y_pred: probabilities, or logits when `from_logits`.
        from_logits: whether `y_pred` holds logits.
        label_smoothing: targets become `y_true * (1 - label_smoothing) + 0.5 * label_smoothing`.
        axis: the axis the mean is taken over.

    Example:
        >>> binary_crossentropy(torch.tensor([[0.0, 1.0]]), torch.tensor([[0.0, 1.0]]))
        tensor([1.1921e-07])
    """
    y_true, y_pred = cast_pair(y_true, y_pred, align=False)
    y_true = _smooth(y_true, label_smoothing)
    return torch.mean(elementwise_binary_crossentropy(y_true, y_pred, from_logits), dim=axis)


@LOSSES.register()
def binary_focal_crossentropy(
    y_true: Any,
    y_pred: Any,
    apply_class_balancing: bool = False,
    alpha: float = 0.25,
    gamma: float = 2.0,
    from_logits: bool = False,
    label_smoothing: float = 0.0,
    axis: int = -1,
) -> torch.Tensor:
    """Binary focal crossentropy, `(1 - p_t) ** gamma * bce`, averaged over `axis`.

    Args:
        y_true: targets in [0, 1].
        y_pred: probabilities, or logits when `from_logits`.
        apply_class_balancing: weigh positives by `alpha` and negatives by `1 - alpha`.
        alpha: the class-balancing weight of positives.
        gamma: the focusing parameter.
        from_logits: whether `y_pred` holds logits.
        label_smoothing: as in `binary_crossentropy`.
        axis: the axis the mean is taken over.

    Example:
        >>> binary_focal_crossentropy(torch.tensor([[1.0]]), torch.tensor([[0.5]]), gamma=1.0)
        tensor([0.3466])
    """
    y_true, y_pred = cast_pair(y_true, y_pred, align=False)
    y_true = _smooth(y_true, label_smoothing)
    bce = elementwise_binary_crossentropy(y_true, y_pred, from_logits)
    prob = torch.sigmoid(y_pred) if from_logits else y_pred
    p_t = y_true * prob + (1.0 - y_true) * (1.0 - prob)
    focal = torch.pow(1.0 - p_t, gamma) * bce
    if apply_class_balancing:
        focal = (y_true * alpha + (1.0 - y_true) * (1.0 - alpha)) * focal
    return torch.mean(focal, dim=axis)


@LOSSES.register("kl_divergence", "kld", "KLD", "kullback_leibler_divergence")
def kl_divergence(y_true: Any, y_pred: Any) -> torch.Tensor:
    """Kullback-Leibler divergence `sum(y_true * log(y_true / y_pred), axis=-1)`, both clipped
    to `[epsilon, 1]`.

    Example:
        >>> kl_divergence(torch.tensor([[0.5, 0.5]]), torch.tensor([[0.5, 0.5]]))
        tensor([0.])
    """
    y_true, y_pred = cast_pair(y_true, y_pred, align=False)
    eps = backend_config.epsilon()
    y_true = torch.clamp(y_true, eps, 1.0)
    y_pred = torch.clamp(y_pred, eps, 1.0)
    return torch.sum(y_true * torch.log(y_true / y_pred), dim=-1)


@LOSSES.register()
def poisson(y_true: Any, y_pred: Any) -> torch.Tensor:
    """Poisson loss `mean(y_pred - y_true * log(y_pred + epsilon), axis=-1)`.

    Example:
        >>> poisson(torch.tensor([[0.0, 0.0]]), torch.tensor([[1.0, 3.0]]))
        tensor([2.])
    """
    y_true, y_pred = cast_pair(y_true, y_pred, align=False)
    eps = backend_config.epsilon()
    return torch.mean(y_pred - y_true * torch.log(y_pred + eps), dim=-1)


@LOSSES.register()
class BinaryCrossentropy(LossFunctionWrapper):
    """Crossentropy between binary labels and predicted probabilities (or logits).

    Args:
        from_logits: whether `y_pred` holds logits.
        label_smoothing: in [0, 1]; squeezes targets towards 0.5.
        axis: the axis the mean is taken over.
        reduction: see `Loss`.
        name: name of the instance.
        dtype: dtype of the computation (default `floatx()`).

    Example:
        >>> BinaryCrossentropy(from_logits=True)(torch.ones(2, 1), torch.zeros(2, 1))
        tensor(0.6931)
    """

    def __init__(
        self,
        from_logits: bool = False,
        label_smoothing: float = 0.0,
        axis: int = -1,
        reduction: str | None = "sum_over_batch_size",
        name: str = "binary_crossentropy",
        dtype: Any = None,
    ):
        super().__init__(
            binary_crossentropy,
            name=name,
            reduction=reduction,
            dtype=dtype,
            from_logits=from_logits,
            label_smoothing=label_smoothing,
            axis=axis,
        )


@LOSSES.register()
class BinaryFocalCrossentropy(LossFunctionWrapper):
    """Focal crossentropy for binary labels: down-weighs well-classified examples.

    Args:
        apply_class_balancing: weigh positives by `alpha`, negatives by `1 - alpha`.
        alpha: the class-balancing weight of positives.
        gamma: the focusing parameter.
        from_logits: whether `y_pred` holds logits.
        label_smoothing: in [0, 1]; squeezes targets towards 0.5.
        axis: the axis the mean is taken over.
        reduction: see `Loss`.
        name: name of the instance.
        dtype: dtype of the computation (default `floatx()`).

    Example:
        >>> BinaryFocalCrossentropy(gamma=1.0)(torch.ones(1, 1), torch.full((1, 1), 0.5))
        tensor(0.3466)
    """

    def __init__(
        self,
        apply_class_balancing: bool = False,
        alpha: float = 0.25,
        gamma: float = 2.0,
        from_logits: bool = False,
        label_smoothing: float = 0.0,
        axis: int = -1,
        reduction: str | None = "sum_over_batch_size",
        name: str = "binary_focal_crossentropy",
        dtype: Any = None,
    ):
        super().__init__(
            binary_focal_crossentropy,
            name=name,
            reduction=reduction,
            dtype=dtype,
            apply_class_balancing=apply_class_balancing,
            alpha=alpha,
            gamma=gamma,
            from_logits=from_logits,
            label_smoothing=label_smoothing,
            axis=axis,
        )


@LOSSES.register()
class KLDivergence(LossFunctionWrapper):
    """Kullback-Leibler divergence between target and predicted distributions.

    Args:
        reduction: see `Loss`.
        name: name of the instance.
        dtype: dtype of the computation (default `floatx()`).

    Example:
        >>> KLDivergence()(torch.tensor([[0.5, 0.5]]), torch.tensor([[0.5, 0.5]]))
        tensor(0.)
    """

    def __init__(
        self,
        reduction: str | None = "sum_over_batch_size",
        name: str = "kl_divergence",
        dtype: Any = None,
    ):
        super().__init__(kl_divergence, name=name, reduction=reduction, dtype=dtype)


@LOSSES.register()
class Poisson(LossFunctionWrapper):
    """Poisson loss: `mean(y_pred - y_true * log(y_pred))`.

    Args:
        reduction: see `Loss`.
        name: name of the instance.
        dtype: dtype of the computation (default `floatx()`).

    Example:
        >>> Poisson()(torch.tensor([[0.0, 0.0]]), torch.tensor([[1.0, 3.0]]))
        tensor(2.)
    """

    def __init__(
        self,
        reduction: str | None = "sum_over_batch_size",
        name: str = "poisson",
        dtype: Any = None,
    ):
        super().__init__(poisson, name=name, reduction=reduction, dtype=dtype)
