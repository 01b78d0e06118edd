"""Parity of every metric with Keras 3: the same `result()` after several weighted updates, after
`reset_state()`, and after updating again."""

import numpy as np
import pytest
import torch

from torchkeras_lite import metrics

keras = pytest.importorskip("keras")

# Keras warns about float weights for integer IoU state and about the adjusted R2 fallback.
pytestmark = pytest.mark.filterwarnings("ignore::UserWarning")

B, C = 16, 5


def _data(kind: str, seed: int):
    """Three batches `(y_true, y_pred, sample_weight)` of numpy arrays of the kind a metric expects."""
    rng = np.random.default_rng(seed)
    batches = []
    for i in range(3):
        w = rng.uniform(0.0, 2.0, size=(B,)).astype("float32")
        if kind == "binary":  # (B, 1) labels and probabilities
            yt = rng.integers(0, 2, size=(B, 1)).astype("float32")
            yp = rng.uniform(size=(B, 1)).astype("float32")
        elif kind == "multilabel":  # (B, C) 0/1 labels and probabilities
            yt = rng.integers(0, 2, size=(B, C)).astype("float32")
            yp = rng.uniform(size=(B, C)).astype("float32")
        elif kind == "quantized":  # scores exactly on thresholds: multiples of 1/4, 0 and 1
            yt = rng.integers(0, 2, size=(B, C)).astype("float32")
            yp = (rng.integers(0, 5, size=(B, C)) / 4).astype("float32")
        elif kind == "logits":
            yt = rng.integers(0, 2, size=(B, C)).astype("float32")
            yp = rng.normal(size=(B, C)).astype("float32") * 3
        elif kind in ("categorical", "sparse", "sparse_column", "sparse_logits"):
            logits = rng.normal(size=(B, C)).astype("float32") * 2
            labels = rng.integers(0, C, size=(B,))
            yp = (
                logits
                if kind == "sparse_logits"
                else np.exp(logits) / np.exp(logits).sum(-1, keepdims=True)
            )
            yt = {
                "categorical": np.eye(C, dtype="float32")[labels],
                "sparse": labels.astype("int64"),
                "sparse_logits": labels.astype("int64"),
                "sparse_column": labels.reshape(B, 1).astype("int64"),
            }[kind]
            yp = yp.astype("float32")
        elif kind == "regression":  # positive values, (B, 3)
            yt = rng.uniform(0.1, 3.0, size=(B, 3)).astype("float32")
            yp = rng.uniform(0.1, 3.0, size=(B, 3)).astype("float32")
        elif kind == "signed":  # hinge labels in {-1, 1}
            yt = (rng.integers(0, 2, size=(B, C)) * 2 - 1).astype("float32")
            yp = rng.normal(size=(B, C)).astype("float32")
        elif kind == "classes":  # IoU: class ids, integer weights
            yt = rng.integers(-1, C, size=(B,)).astype("int64")
            yp = rng.integers(0, C + 1, size=(B,)).astype("int64")
            w = rng.integers(0, 3, size=(B,)).astype("float32")
        elif kind == "match":  # Accuracy: exact equality of values
            yt = rng.integers(0, 3, size=(B, 1)).astype("float32")
            yp = rng.integers(0, 3, size=(B, 1)).astype("float32")
        else:
            raise AssertionError(kind)
        batches.append((yt, yp, w if i < 2 else None))
    return batches


def _np(x) -> np.ndarray:
    return np.asarray(keras.ops.convert_to_numpy(x), dtype="float64")


def _ours(x) -> np.ndarray:
    assert isinstance(x, torch.Tensor)
    return x.detach().cpu().numpy().astype("float64")


def _check(ours, theirs, batches) -> None:
    for yt, yp, w in batches:
        ours.update_state(
            torch.as_tensor(yt), torch.as_tensor(yp), None if w is None else torch.as_tensor(w)
        )
        theirs.update_state(yt, yp, sample_weight=w)
        np.testing.assert_allclose(_ours(ours.result()), _np(theirs.result()), atol=1e-5, rtol=1e-5)
    ours.reset_state()
    theirs.reset_state()
    np.testing.assert_allclose(_ours(ours.result()), _np(theirs.result()), atol=1e-5, rtol=1e-5)
    yt, yp, w = batches[0]
    ours.update_state(
        torch.as_tensor(yt), torch.as_tensor(yp), None if w is None else torch.as_tensor(w)
    )
    theirs.update_state(yt, yp, sample_weight=w)
    np.testing.assert_allclose(_ours(ours.result()), _np(theirs.result()), atol=1e-5, rtol=1e-5)


CASES = [
    ("Accuracy", {}, "match"),
    ("BinaryAccuracy", {}, "binary"),
    ("BinaryAccuracy", {"threshold": 0.7}, "multilabel"),
    ("CategoricalAccuracy", {}, "categorical"),
    ("SparseCategoricalAccuracy", {}, "sparse"),
    ("SparseCategoricalAccuracy", {}, "sparse_column"),
    ("TopKCategoricalAccuracy", {"k": 2}, "categorical"),
    ("TopKCategoricalAccuracy", {}, "categorical"),
    ("SparseTopKCategoricalAccuracy", {"k": 3}, "sparse"),
    ("SparseTopKCategoricalAccuracy", {"k": 2}, "sparse_column"),
    ("MeanSquaredError", {}, "regression"),
    ("RootMeanSquaredError", {}, "regression"),
    ("MeanAbsoluteError", {}, "regression"),
    ("MeanAbsolutePercentageError", {}, "regression"),
    ("MeanSquaredLogarithmicError", {}, "regression"),
    ("CosineSimilarity", {}, "regression"),
    ("LogCoshError", {}, "regression"),
    ("R2Score", {}, "regression"),
    ("R2Score", {"class_aggregation": "variance_weighted_average"}, "regression"),
    ("R2Score", {"class_aggregation": None}, "regression"),
    ("R2Score", {"num_regressors": 2}, "regression"),
    ("AUC", {}, "binary"),
    ("AUC", {"curve": "PR"}, "binary"),
    ("AUC", {"curve": "PR", "summation_method": "majoring"}, "multilabel"),
    ("AUC", {"summation_method": "minoring", "num_thresholds": 7}, "multilabel"),
    ("AUC", {"curve": "PRGAIN"}, "binary"),
    ("AUC", {"thresholds": [0.7, 0.2, 0.5]}, "binary"),
    ("AUC", {"thresholds": [0.25, 0.5, 0.75]}, "multilabel"),
    ("AUC", {"multi_label": True}, "multilabel"),
    ("AUC", {"multi_label": True, "curve": "PR", "num_labels": C}, "multilabel"),
    ("AUC", {"multi_label": True, "label_weights": [0.1, 0.2, 0.3, 0.0, 1.0]}, "multilabel"),
    ("AUC", {"label_weights": [0.1, 0.2, 0.3, 0.0, 1.0], "curve": "PR"}, "multilabel"),
    ("AUC", {"from_logits": True}, "logits"),
    ("AUC", {}, "quantized"),
    ("AUC", {"num_thresholds": 5, "curve": "PR"}, "quantized"),
    ("AUC", {"thresholds": [0.25, 0.3, 0.75], "multi_label": True}, "quantized"),
    ("Precision", {"thresholds": [0.25, 0.5, 0.75]}, "quantized"),
    ("Recall", {"thresholds": [0.0, 0.5, 1.0]}, "quantized"),
    ("SensitivityAtSpecificity", {"specificity": 0.4, "num_thresholds": 5}, "quantized"),
    ("Precision", {}, "binary"),
    ("Precision", {"thresholds": [0.6, 0.1, 0.3]}, "multilabel"),
    ("Precision", {"thresholds": [0.0, 0.5, 1.0]}, "multilabel"),
    ("Precision", {"top_k": 2}, "multilabel"),
    ("Precision", {"class_id": 1}, "multilabel"),
    ("Precision", {"top_k": 2, "class_id": 3, "thresholds": [0.2, 0.5]}, "multilabel"),
    ("Recall", {}, "binary"),
    ("Recall", {"thresholds": [0.2, 0.4, 0.9]}, "multilabel"),
    ("Recall", {"top_k": 3, "class_id": 2}, "multilabel"),
    ("TruePositives", {}, "binary"),
    ("TruePositives", {"thresholds": [0.2, 0.8]}, "multilabel"),
    ("TrueNegatives", {"thresholds": 0.3}, "multilabel"),
    ("FalsePositives", {}, "multilabel"),
    ("FalseNegatives", {"thresholds": [0.0, 0.25, 0.5, 0.75, 1.0]}, "multilabel"),
    ("PrecisionAtRecall", {"recall": 0.6}, "binary"),
    ("PrecisionAtRecall", {"recall": 0.3, "num_thresholds": 1}, "multilabel"),
    ("RecallAtPrecision", {"precision": 0.6}, "multilabel"),
    ("RecallAtPrecision", {"precision": 0.4, "class_id": 2, "num_thresholds": 9}, "multilabel"),
    ("SensitivityAtSpecificity", {"specificity": 0.5}, "binary"),
    ("SpecificityAtSensitivity", {"sensitivity": 0.7, "num_thresholds": 50}, "multilabel"),
    ("F1Score", {}, "multilabel"),
    ("F1Score", {"average": "micro", "threshold": 0.5}, "multilabel"),
    ("F1Score", {"average": "macro"}, "categorical"),
    ("FBetaScore", {"beta": 2.0, "average": "weighted", "threshold": 0.4}, "multilabel"),
    ("MeanIoU", {"num_classes": C}, "classes"),
    ("MeanIoU", {"num_classes": C, "ignore_class": 0}, "classes"),
    ("IoU", {"num_classes": C, "target_class_ids": [0, 2]}, "classes"),
    ("BinaryIoU", {"threshold": 0.3}, "binary"),
    ("BinaryIoU", {"target_class_ids": [1]}, "binary"),
    ("OneHotIoU", {"num_classes": C, "target_class_ids": [1, 3]}, "categorical"),
    ("OneHotMeanIoU", {"num_classes": C}, "categorical"),
    ("BinaryCrossentropy", {}, "multilabel"),
    ("BinaryCrossentropy", {"from_logits": True, "label_smoothing": 0.1}, "logits"),
    ("CategoricalCrossentropy", {}, "categorical"),
    ("CategoricalCrossentropy", {"label_smoothing": 0.2}, "categorical"),
    ("SparseCategoricalCrossentropy", {}, "sparse"),
    ("SparseCategoricalCrossentropy", {"from_logits": True}, "sparse_logits"),
    ("SparseCategoricalCrossentropy", {"ignore_class": 1}, "sparse_column"),
    ("KLDivergence", {}, "categorical"),
    ("Poisson", {}, "regression"),
    ("Hinge", {}, "signed"),
    ("SquaredHinge", {}, "multilabel"),
    ("CategoricalHinge", {}, "categorical"),
]


@pytest.mark.parametrize(
    "name,kwargs,kind", CASES, ids=[f"{n}-{i}" for i, (n, _, _) in enumerate(CASES)]
)
def test_metric_matches_keras(name, kwargs, kind):
    ours = getattr(metrics, name)(**kwargs)
    theirs = getattr(keras.metrics, name)(**kwargs)
    _check(ours, theirs, _data(kind, seed=len(name) + 7 * len(kwargs)))


@pytest.mark.parametrize(
    "fn,kind",
    [
        ("huber", "regression"),
        ("log_cosh", "regression"),
        ("binary_focal_crossentropy", "multilabel"),
        ("categorical_focal_crossentropy", "categorical"),
        ("tversky", "multilabel"),
        ("dice", "multilabel"),
    ],
)
def test_loss_function_metrics_match_keras(fn, kind):
    ours = metrics.get(fn)
    assert isinstance(ours, metrics.MeanMetricWrapper) and ours.name == fn
    theirs = keras.metrics.MeanMetricWrapper(getattr(keras.losses, fn), name=fn)
    batches = _data(kind, seed=3)
    if fn in ("tversky", "dice"):  # one value per batch: per-sample weights do not apply
        batches = [(yt, yp, None) for yt, yp, _ in batches]
    _check(ours, theirs, batches)


ACCURACY_KINDS = {
    "binary_accuracy": "multilabel",
    "categorical_accuracy": "categorical",
    "sparse_categorical_accuracy": "sparse",
    "top_k_categorical_accuracy": "categorical",
    "sparse_top_k_categorical_accuracy": "sparse_column",
}


@pytest.mark.parametrize("fn", sorted(ACCURACY_KINDS))
def test_accuracy_functions_match_keras(fn):
    kind = ACCURACY_KINDS[fn]
    yt, yp, _ = _data(kind, seed=11)[0]
    got = getattr(metrics, fn)(torch.as_tensor(yt), torch.as_tensor(yp))
    np.testing.assert_allclose(_ours(got), _np(getattr(keras.metrics, fn)(yt, yp)))


@pytest.mark.parametrize("cls", ["Mean", "Sum"])
def test_reductions_match_keras(cls):
    rng = np.random.default_rng(5)
    ours, theirs = getattr(metrics, cls)(), getattr(keras.metrics, cls)()
    updates = [
        (rng.normal(size=(4, 3, 2)).astype("float32"), rng.uniform(size=(4,)).astype("float32")),
        (rng.normal(size=(4, 3, 2)).astype("float32"), rng.uniform(size=(4, 3)).astype("float32")),
        (rng.normal(size=(4, 3)).astype("float32"), rng.uniform(size=(4, 3, 1)).astype("float32")),
        (rng.normal(size=(5,)).astype("float32"), None),
        (np.float32(2.5), np.float32(3.0)),
    ]
    for values, w in updates:
        ours.update_state(torch.as_tensor(values), None if w is None else torch.as_tensor(w))
        theirs.update_state(values, sample_weight=w)
        np.testing.assert_allclose(_ours(ours.result()), _np(theirs.result()), atol=1e-5, rtol=1e-5)
    ours.reset_state()
    theirs.reset_state()
    np.testing.assert_allclose(_ours(ours.result()), _np(theirs.result()))


def test_mask_on_predictions_matches_keras():
    rng = np.random.default_rng(2)
    yt = rng.normal(size=(4, 6)).astype("float32")
    yp = rng.normal(size=(4, 6)).astype("float32")
    mask = torch.tensor(rng.integers(0, 2, size=(4, 6)).astype(bool))
    w = rng.uniform(size=(4, 6)).astype("float32")

    def masked():
        t = torch.as_tensor(yp).clone()
        t._keras_mask = mask
        return t

    ours, theirs = (
        metrics.MeanMetricWrapper(lambda a, b: (a - b) ** 2),
        keras.metrics.MeanMetricWrapper(lambda a, b: (a - b) ** 2),
    )
    ours.update_state(torch.as_tensor(yt), masked(), torch.as_tensor(w))
    theirs.update_state(torch.as_tensor(yt), masked(), sample_weight=torch.as_tensor(w))
    ours.update_state(torch.as_tensor(yt), masked())
    theirs.update_state(torch.as_tensor(yt), masked())
    np.testing.assert_allclose(_ours(ours.result()), _np(theirs.result()), atol=1e-5)
