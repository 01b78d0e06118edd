"""Losses with Keras 3 names, arguments and defaults: functions return per-sample losses, classes
weight, mask and reduce them.

`get`, `serialize` and `deserialize` resolve names (`"mse"`, `"MeanSquaredError"`), config dicts and
callables.
"""

from __future__ import annotations

from typing import Any

from torchkeras_lite.losses.categorical import (
    CategoricalCrossentropy,
    CategoricalFocalCrossentropy,
    categorical_crossentropy,
    categorical_focal_crossentropy,
)
from torchkeras_lite.losses.hinge import (
    CategoricalHinge,
    Hinge,
    SquaredHinge,
    categorical_hinge,
    hinge,
    squared_hinge,
)
from torchkeras_lite.losses.loss import LOSSES, Loss, LossFunctionWrapper
from torchkeras_lite.losses.probabilistic import (
    BinaryCrossentropy,
    BinaryFocalCrossentropy,
    KLDivergence,
    Poisson,
    binary_crossentropy,
    binary_focal_crossentropy,
    kl_divergence,
    poisson,
)
from torchkeras_lite.losses.reduction import reduce_weighted_values
from torchkeras_lite.losses.regression import (
    Huber,
    LogCosh,
    MeanAbsoluteError,
    MeanAbsolutePercentageError,
    MeanSquaredError,
    MeanSquaredLogarithmicError,
    huber,
    log_cosh,
    mean_absolute_error,
    mean_absolute_percentage_error,
    mean_squared_error,
    mean_squared_logarithmic_error,
)
from torchkeras_lite.losses.segmentation import Dice, Tversky, dice, tversky
from torchkeras_lite.losses.similarity import CosineSimilarity, cosine_similarity
from torchkeras_lite.losses.sparse import (
    SparseCategoricalCrossentropy,
    sparse_categorical_crossentropy,
)


def get(identifier: Any, custom_objects: dict | None = None) -> Any:
    """Resolves a loss identifier.

    Args:
        identifier: None, a function or class name (`"mse"`, `"CategoricalCrossentropy"`; a class
            name gives an instance with default arguments), a config dict, or a callable.
        custom_objects: extra names to look up first.

    Example:
        >>> get("mse") is mean_squared_error
        True
        >>> get({"class_name": "Huber", "config": {"delta": 2.0}}).delta
        2.0
    """
    return LOSSES.get(identifier, custom_objects)


def serialize(loss: Any) -> Any:
    """A JSON-ready description: the registered name of a function, or a class/config dict.

    Example:
        >>> serialize(mean_squared_error)
        'mean_squared_error'
    """
    return LOSSES.serialize(loss)


def deserialize(config: Any, custom_objects: dict | None = None) -> Any:
    """Inverse of `serialize`: a name or a `{"class_name", "config"}` dict to a loss.

    Example:
        >>> deserialize({"class_name": "MeanSquaredError", "config": {}}).name
        'mean_squared_error'
    """
    return LOSSES.deserialize(config, custom_objects)
