"""Stateful metrics with Keras 3 names, arguments and defaults; their state is tensors on the inputs' device.

`get`, `serialize` and `deserialize` resolve names (`"accuracy"`, `"mse"`, `"AUC"`), config dicts
and callables. Loss function names without a metric class of their own (`"huber"`, `"dice"`, ...)
resolve to a `MeanMetricWrapper` of the loss function.
"""

from __future__ import annotations

from typing import Any

from torchkeras_lite import losses as _losses
from torchkeras_lite.metrics.accuracy_metrics import (
    Accuracy,
    BinaryAccuracy,
    CategoricalAccuracy,
    SparseCategoricalAccuracy,
    SparseTopKCategoricalAccuracy,
    TopKCategoricalAccuracy,
    accuracy,
    binary_accuracy,
    categorical_accuracy,
    sparse_categorical_accuracy,
    sparse_top_k_categorical_accuracy,
    top_k_categorical_accuracy,
)
from torchkeras_lite.metrics.auc_metrics import AUC
from torchkeras_lite.metrics.confusion_metrics import (
    FalseNegatives,
    FalsePositives,
    Precision,
    Recall,
    TrueNegatives,
    TruePositives,
)
from torchkeras_lite.metrics.f_score_metrics import F1Score, FBetaScore
from torchkeras_lite.metrics.hinge_metrics import CategoricalHinge, Hinge, SquaredHinge
from torchkeras_lite.metrics.iou_metrics import IoU, MeanIoU
from torchkeras_lite.metrics.iou_variants import BinaryIoU, OneHotIoU, OneHotMeanIoU
from torchkeras_lite.metrics.metric import Metric
from torchkeras_lite.metrics.metrics_utils import to_snake_case
from torchkeras_lite.metrics.probabilistic_metrics import (
    BinaryCrossentropy,
    CategoricalCrossentropy,
    KLDivergence,
    Poisson,
    SparseCategoricalCrossentropy,
)
from torchkeras_lite.metrics.r2_metrics import R2Score
from torchkeras_lite.metrics.reduction_metrics import Mean, MeanMetricWrapper, Sum
from torchkeras_lite.metrics.regression_metrics import (
    CosineSimilarity,
    LogCoshError,
    MeanAbsoluteError,
    MeanAbsolutePercentageError,
    MeanSquaredError,
    MeanSquaredLogarithmicError,
    RootMeanSquaredError,
)
from torchkeras_lite.metrics.sensitivity_metrics import (
    PrecisionAtRecall,
    RecallAtPrecision,
    SensitivityAtSpecificity,
    SpecificityAtSensitivity,
)
from torchkeras_lite.saving import object_registration
from torchkeras_lite.saving.registry import Registry

METRICS = Registry("metric")
"""The registry of built-in metric classes (and loss functions usable as metrics)."""

_CLASSES = (
    Mean, Sum, MeanMetricWrapper,
    Accuracy, BinaryAccuracy, CategoricalAccuracy, SparseCategoricalAccuracy,
    TopKCategoricalAccuracy, SparseTopKCategoricalAccuracy,
    MeanSquaredError, RootMeanSquaredError, MeanAbsoluteError, MeanAbsolutePercentageError,
    MeanSquaredLogarithmicError, CosineSimilarity, LogCoshError, R2Score,
    AUC, Precision, Recall, TruePositives, TrueNegatives, FalsePositives, FalseNegatives,
    PrecisionAtRecall, RecallAtPrecision, SensitivityAtSpecificity, SpecificityAtSensitivity,
    F1Score, FBetaScore, IoU, MeanIoU, BinaryIoU, OneHotIoU, OneHotMeanIoU,
    BinaryCrossentropy, CategoricalCrossentropy, SparseCategoricalCrossentropy,
    KLDivergence, Poisson, Hinge, SquaredHinge, CategoricalHinge,
)  # fmt: skip
for _cls in _CLASSES:
    METRICS.add(_cls.__name__, _cls)
    METRICS.add(to_snake_case(_cls.__name__), _cls)
for _alias, _cls in {
    "acc": Accuracy,
    "bce": BinaryCrossentropy,
    "BCE": BinaryCrossentropy,
    "mse": MeanSquaredError,
    "MSE": MeanSquaredError,
    "mae": MeanAbsoluteError,
    "MAE": MeanAbsoluteError,
    "mape": MeanAbsolutePercentageError,
    "MAPE": MeanAbsolutePercentageError,
    "msle": MeanSquaredLogarithmicError,
    "MSLE": MeanSquaredLogarithmicError,
    "kld": KLDivergence,
    "KLD": KLDivergence,
    "logcosh": LogCoshError,
    "fbeta_score": FBetaScore,
}.items():
    METRICS.add(_alias, _cls)
# Loss functions without a metric class of their own: `get` wraps them in a MeanMetricWrapper.
for _fn in (
    _losses.huber,
    _losses.log_cosh,
    _losses.binary_focal_crossentropy,
    _losses.categorical_focal_crossentropy,
    _losses.tversky,
    _losses.dice,
):
    METRICS.add(_fn.__name__, _fn)

# Per-sample functions that `MeanMetricWrapper` configs may name (besides the loss functions).
_FUNCTIONS = {
    fn.__name__: fn
    for fn in (
        accuracy,
        binary_accuracy,
        categorical_accuracy,
        sparse_categorical_accuracy,
        top_k_categorical_accuracy,
        sparse_top_k_categorical_accuracy,
    )
}


def serialize_function(fn: Any) -> Any:
    """The name (or config) a `MeanMetricWrapper` config stores for its function."""
    for name, known in _FUNCTIONS.items():
        if fn is known:
            return name
    return _losses.serialize(fn)


def deserialize_function(config: Any) -> Any:
    """Inverse of `serialize_function`: a metric or loss function name (or a loss config)."""
    if isinstance(config, str):
        custom = object_registration.get_registered_object(config)
        if custom is not None:
            return custom
        if config in _FUNCTIONS:
            return _FUNCTIONS[config]
    return _losses.deserialize(config)


def get(identifier: Any, custom_objects: dict | None = None) -> Any:
    """Resolves a metric identifier.

    Args:
        identifier: None, a `Metric`, a name (`"accuracy"`, `"mse"`, `"AUC"`: an instance with
            default arguments; a loss function name such as `"huber"`: a `MeanMetricWrapper` of it
            named after it), a config dict, a class, or a function (returned as is).
        custom_objects: extra names to look up first.

    Example:
        >>> get("mse").name
        'mean_squared_error'
        >>> get("huber").name
        'huber'
    """
    if identifier is None or isinstance(identifier, Metric):
        return identifier
    if isinstance(identifier, str):
        try:
            obj = METRICS.lookup(identifier, custom_objects)
        except ValueError:
            obj = _losses.LOSSES.objects().get(identifier)
            if obj is None or isinstance(obj, type):
                raise
        if isinstance(obj, type):
            return obj()
        if callable(obj) and not isinstance(obj, Metric):
            return MeanMetricWrapper(obj, name=identifier)
        return obj
    return METRICS.get(identifier, custom_objects)


def serialize(metric: Any) -> Any:
    """A JSON-ready description of a metric: a `{"class_name", "config", ...}` dict, or a name.

    Example:
        >>> serialize(AUC(name="auc"))["class_name"]
        'AUC'
    """
    return METRICS.serialize(metric)


def deserialize(config: Any, custom_objects: dict | None = None) -> Any:
    """Inverse of `serialize`: a name or a config dict to a metric.

    Example:
        >>> deserialize({"class_name": "Precision", "config": {"thresholds": 0.7}}).thresholds
        [0.7]
    """
    if isinstance(config, str):
        return get(config, custom_objects)
    return METRICS.deserialize(config, custom_objects)
