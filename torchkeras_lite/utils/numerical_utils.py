"""`keras.utils.to_categorical` and `keras.utils.normalize`.

numpy inputs give numpy outputs (as in Keras); torch tensors give torch tensors.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import torch


def to_categorical(x: Any, num_classes: int | None = None) -> np.ndarray | torch.Tensor:
    """One-hot encodes class ids: shape `x.shape + (num_classes,)` (a trailing axis of 1 is dropped).

    Args:
        x: class ids (array-like or tensor) in `[0, num_classes)`.
        num_classes: the number of classes (default: the largest id + 1).

    Returns:
        A float64 numpy array for array-likes, a `floatx()` tensor for tensors.

    Example:
        >>> keras.utils.to_categorical([0, 2, 1], num_classes=3)
        array([[1., 0., 0.],
               [0., 0., 1.],
               [0., 1., 0.]])
    """
    if isinstance(x, torch.Tensor):
        from torchkeras_lite import ops

        if x.ndim > 1 and x.shape[-1] == 1:
            x = x.squeeze(-1)
        classes = int(x.max()) + 1 if not num_classes else int(num_classes)
        return ops.one_hot(x, classes)
    ids = np.asarray(x, dtype="int64")
    shape = ids.shape[:-1] if ids.ndim > 1 and ids.shape[-1] == 1 else ids.shape
    ids = ids.reshape(-1)
    classes = int(ids.max()) + 1 if not num_classes else int(num_classes)
    if ids.size and (ids.min() < 0 or ids.max() >= classes):
        raise ValueError(
            f"Class ids must be in [0, num_classes={classes}). "
            f"Received: x with values in [{ids.min()}, {ids.max()}]"
        )
    out = np.zeros((ids.shape[0], classes))
    out[np.arange(ids.shape[0]), ids] = 1
    return out.reshape((*shape, classes))


def normalize(x: Any, axis: int = -1, order: int = 2) -> np.ndarray | torch.Tensor:
    """Scales `x` to unit `order`-norm along `axis` (zero vectors stay zero).

    Example:
        >>> keras.utils.normalize(np.array([[3.0, 4.0]]))
        array([[0.6, 0.8]])
    """
    if isinstance(x, np.ndarray):
        norm = np.atleast_1d(np.linalg.norm(x, order, axis))
        norm[norm == 0] = 1
        return x / np.expand_dims(norm, axis if axis is not None else -1)
    from torchkeras_lite import ops

    return ops.nn.normalize(x, axis=axis, order=order)
