"""Metric names, `get`/`serialize`/`deserialize`, config round trips and argument errors."""

import json
import re

import pytest
import torch

from torchkeras_lite import losses, metrics
from torchkeras_lite.saving import register_keras_serializable

REQUIRED_ARGS = {
    "MeanMetricWrapper": {"fn": losses.huber, "delta": 2.0},
    "IoU": {"num_classes": 3, "target_class_ids": [0, 2]},
    "MeanIoU": {"num_classes": 3},
    "OneHotIoU": {"num_classes": 3, "target_class_ids": [1]},
    "OneHotMeanIoU": {"num_classes": 3},
    "PrecisionAtRecall": {"recall": 0.4},
    "RecallAtPrecision": {"precision": 0.6},
    "SensitivityAtSpecificity": {"specificity": 0.3},
    "SpecificityAtSensitivity": {"sensitivity": 0.7},
}
NON_DEFAULT_ARGS = {
    "AUC": {
        "thresholds": [0.2, 0.6],
        "curve": "PR",
        "multi_label": True,
        "label_weights": [1.0, 2.0],
    },
    "Precision": {"thresholds": [0.3, 0.6], "top_k": 2, "class_id": 1},
    "BinaryAccuracy": {"threshold": 0.3},
    "SparseTopKCategoricalAccuracy": {"k": 3, "from_sorted_ids": True},
    "FBetaScore": {"beta": 0.5, "average": "macro", "threshold": 0.4},
    "R2Score": {"class_aggregation": None, "num_regressors": 2},
    "CategoricalCrossentropy": {"from_logits": True, "label_smoothing": 0.1, "axis": 1},
}


@pytest.mark.parametrize("cls", metrics.METRICS.classes(), ids=lambda c: c.__name__)
def test_every_class_round_trips(cls):
    for kwargs in ({**REQUIRED_ARGS.get(cls.__name__, {})}, NON_DEFAULT_ARGS.get(cls.__name__)):
        if kwargs is None:
            continue
        m = cls(name="m", **kwargs)
        config = m.get_config()
        json.dumps(config)
        assert (
            config["name"] == "m" and config["dtype"] == "float32" or cls.__name__.endswith("IoU")
        )
        again = cls.from_config(config)
        assert type(again) is cls and again.get_config() == config
        restored = metrics.deserialize(json.loads(json.dumps(metrics.serialize(m))))
        assert type(restored) is cls and restored.get_config() == config
    if cls.__name__ not in REQUIRED_ARGS:
        assert type(metrics.get(cls.__name__)) is cls
        assert type(metrics.get(metrics.to_snake_case(cls.__name__))) is cls


def test_names_and_aliases_match_keras():
    pytest.importorskip("keras")
    from keras.src.metrics import ALL_OBJECTS_DICT

    ours_only = {"Metric", "PearsonCorrelation", "ConcordanceCorrelation"}
    for name, keras_cls in ALL_OBJECTS_DICT.items():
        if keras_cls.__name__ in ours_only:
            continue
        assert metrics.METRICS.lookup(name).__name__ == keras_cls.__name__, name


def test_default_names_and_config_keys_match_keras():
    keras = pytest.importorskip("keras")
    for cls in metrics.METRICS.classes():
        kwargs = REQUIRED_ARGS.get(cls.__name__, {})
        if cls is metrics.MeanMetricWrapper:
            kwargs = {"fn": losses.mean_squared_error}
            theirs = keras.metrics.MeanMetricWrapper(keras.losses.mean_squared_error)
        else:
            theirs = getattr(keras.metrics, cls.__name__)(**kwargs)
        ours = cls(**kwargs)
        assert re.sub(r"_\d+$", "", ours.name) == re.sub(r"_\d+$", "", theirs.name), cls
        assert set(theirs.get_config()) <= set(ours.get_config()), cls


def test_get_resolves_names_instances_and_functions():
    assert type(metrics.get("accuracy")) is metrics.Accuracy
    assert type(metrics.get("acc")) is metrics.Accuracy
    assert type(metrics.get("mse")) is metrics.MeanSquaredError
    assert metrics.get("mse").name == "mean_squared_error"
    bce = metrics.get("binary_crossentropy")
    assert type(bce) is metrics.BinaryCrossentropy and isinstance(bce, metrics.MeanMetricWrapper)
    huber = metrics.get("huber")
    assert type(huber) is metrics.MeanMetricWrapper and huber.name == "huber"
    assert huber(torch.zeros(2, 1), torch.full((2, 1), 2.0)).item() == pytest.approx(1.5)
    kld = metrics.get("kullback_leibler_divergence")  # a loss-only alias
    assert type(kld) is metrics.MeanMetricWrapper and kld._fn is losses.kl_divergence
    auc = metrics.get({"class_name": "AUC", "config": {"num_thresholds": 7, "curve": "PR"}})
    assert auc.num_thresholds == 7 and auc.curve == "PR"
    assert type(metrics.get(metrics.Recall)) is metrics.Recall
    inst = metrics.Mean()
    assert metrics.get(inst) is inst and metrics.get(None) is None
    assert metrics.get(metrics.binary_accuracy) is metrics.binary_accuracy
    assert metrics.deserialize("mae").name == "mean_absolute_error"


def test_custom_function_wrapper_round_trips():
    @register_keras_serializable(package="test_metrics")
    def doubled_error(y_true, y_pred):
        return 2 * torch.abs(y_true - y_pred).mean(dim=-1)

    m = metrics.get("test_metrics>doubled_error")
    assert type(m) is metrics.MeanMetricWrapper
    wrapped = metrics.MeanMetricWrapper(doubled_error, name="dbl")
    config = wrapped.get_config()
    assert config["fn"] == "test_metrics>doubled_error"
    again = metrics.MeanMetricWrapper.from_config(config)
    assert again(torch.zeros(1, 2), torch.ones(1, 2)).item() == pytest.approx(2.0)
    acc = metrics.MeanMetricWrapper(metrics.binary_accuracy, threshold=0.9)
    again = metrics.deserialize(metrics.serialize(acc))
    assert again._fn is metrics.binary_accuracy and again._fn_kwargs == {"threshold": 0.9}


def test_unknown_names_list_close_matches():
    with pytest.raises(
        ValueError, match=r"Unknown metric: 'accuracyy'\. Did you mean .*'accuracy'"
    ):
        metrics.get("accuracyy")
    with pytest.raises(ValueError, match="Received: metric='Huber'"):
        metrics.get("Huber")  # a loss class is not a metric
    with pytest.raises(ValueError, match="Could not interpret metric identifier"):
        metrics.get(42)
    with pytest.raises(ValueError, match="expected a dict with 'class_name'"):
        metrics.deserialize({"config": {}})


@pytest.mark.parametrize(
    "make,match",
    [
        (
            lambda: metrics.AUC(num_thresholds=1),
            r"`num_thresholds` must be an integer > 1\. Received: num_thresholds=1",
        ),
        (lambda: metrics.AUC(curve="XY"), "Invalid AUC curve value"),
        (lambda: metrics.AUC(summation_method="median"), "Invalid AUC summation method"),
        (
            lambda: metrics.AUC(num_labels=3),
            "`num_labels` is needed only when `multi_label` is True",
        ),
        (lambda: metrics.AUC(thresholds=[0.5, 1.5]), r"Threshold values must be in \[0, 1\]"),
        (lambda: metrics.Precision(thresholds=-0.1), r"Threshold values must be in \[0, 1\]"),
        (
            lambda: metrics.SensitivityAtSpecificity(1.5),
            r"`specificity` must be in the range \[0, 1\]",
        ),
        (lambda: metrics.RecallAtPrecision(-1.0), r"`precision` must be in the range \[0, 1\]"),
        (
            lambda: metrics.PrecisionAtRecall(0.5, num_thresholds=0),
            "`num_thresholds` must be an integer > 0",
        ),
        (lambda: metrics.FBetaScore(average="median"), "Invalid `average` argument value"),
        (lambda: metrics.FBetaScore(beta=1), "It should be a Python float"),
        (lambda: metrics.FBetaScore(beta=-1.0), r"It should be > 0\. Received: beta=-1.0"),
        (
            lambda: metrics.F1Score(threshold=1),
            "Invalid `threshold` argument value. It should be a Python float",
        ),
        (lambda: metrics.F1Score(threshold=1.5), "It should verify 0 < threshold <= 1"),
        (
            lambda: metrics.R2Score(class_aggregation="median"),
            "Invalid value for argument `class_aggregation`",
        ),
        (lambda: metrics.R2Score(num_regressors=-1), "Expected a value >= 0"),
        (lambda: metrics.IoU(3, target_class_ids=[1, 3]), r"Target class id 3 is out of range"),
    ],
)
def test_invalid_arguments_raise(make, match):
    with pytest.raises(ValueError, match=match):
        make()


def test_invalid_input_shapes_raise():
    with pytest.raises(ValueError, match="`y_pred` must have rank 2 when `multi_label=True`"):
        metrics.AUC(multi_label=True).update_state(torch.ones(2, 2, 2), torch.ones(2, 2, 2))
    with pytest.raises(ValueError, match="When class_id is provided, y_pred must be a 2D array"):
        metrics.Precision(class_id=1).update_state(torch.ones(4), torch.ones(4))
    with pytest.raises(ValueError, match="R2Score expects 2D inputs"):
        metrics.R2Score().update_state(torch.ones(4), torch.ones(4))
    with pytest.raises(ValueError, match="FBetaScore expects 2D inputs"):
        metrics.F1Score().update_state(torch.ones(4), torch.ones(4))
