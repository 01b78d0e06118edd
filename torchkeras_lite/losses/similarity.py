"""Similarity losses: the negative cosine similarity."""

from __future__ import annotations

from typing import Any

import torch

from torchkeras_lite.backend import config as backend_config
from torchkeras_lite.losses.loss import LOSSES, LossFunctionWrapper, cast_pair


@LOSSES.register()
def cosine_similarity(y_true: Any, y_pred: Any, axis: int | tuple[int, ...] = -1) -> torch.Tensor:
    """Negative cosine similarity along `axis`: `-sum(l2_normalize(y_true) * l2_normalize(y_pred))`.

    Vectors are L2-normalised as `x / max(norm(x), epsilon)`, so a zero vector gives 0.

    Args:
        y_true: targets.
        y_pred: predictions.
        axis: the features axis (or axes).

    Example:
        >>> cosine_similarity(torch.tensor([[1.0, 0.0]]), torch.tensor([[2.0, 0.0]]))
        tensor([-1.])
    """
    y_true, y_pred = cast_pair(y_true, y_pred)
    eps2 = backend_config.epsilon() ** 2

    def l2_normalize(x: torch.Tensor) -> torch.Tensor:
        square_sum = torch.sum(torch.square(x), dim=axis, keepdim=True)
        return x * torch.rsqrt(torch.clamp(square_sum, min=eps2))

    return -torch.sum(l2_normalize(y_true) * l2_normalize(y_pred), dim=axis)


@LOSSES.register()
class CosineSimilarity(LossFunctionWrapper):
    """Negative cosine similarity between labels and predictions (-1 when they point the same way).

    Args:
        axis: the features axis.
        reduction: see `Loss`.
        name: name of the instance.
        dtype: dtype of the computation (default `floatx()`).

    Example:
        >>> CosineSimilarity()(torch.tensor([[1.0, 0.0]]), torch.tensor([[2.0, 0.0]]))
        tensor(-1.)
    """

    def __init__(
        self,
        axis: int = -1,
        reduction: str | None = "sum_over_batch_size",
        name: str = "cosine_similarity",
        dtype: Any = None,
    ):
        super().__init__(cosine_similarity, name=name, reduction=reduction, dtype=dtype, axis=axis)
