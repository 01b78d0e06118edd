"""Parity of every loss class with Keras 3: each reduction, with and without sample weights and a
mask on `y_pred`, from logits and probabilities, label smoothing and non-default axes."""

import numpy as np
import pytest
import torch

from torchkeras_lite import losses

keras = pytest.importorskip("keras")

REDUCTIONS = ["sum_over_batch_size", "sum", "mean", "mean_with_sample_weight", "none", None]
B, T, C = 6, 4, 5


def _data(kind: str, shape: tuple[int, ...], class_axis: int = -1):
    """(y_true, y_pred) of the kind a loss expects; `shape` is y_pred's shape."""
    g = torch.Generator().manual_seed(len(kind) * 31 + len(shape))

    def randn(*s):
        return torch.randn(*s, generator=g)

    def rand(*s):
        return torch.rand(*s, generator=g)

    if kind == "regression":
        return randn(*shape), randn(*shape)
    if kind == "positive":
        return rand(*shape) * 3.0, rand(*shape) * 3.0 + 0.1
    if kind == "percentage":
        sign = torch.where(rand(*shape) > 0.5, 1.0, -1.0)
        return sign * (rand(*shape) + 0.5), randn(*shape)
    if kind == "binary_probs":
        return (rand(*shape) > 0.5).float(), rand(*shape) * 0.98 + 0.01
    if kind == "binary_logits":
        return (rand(*shape) > 0.5).float(), randn(*shape) * 3.0
    if kind == "pm1":
        return torch.where(rand(*shape) > 0.5, 1.0, -1.0), randn(*shape)
    if kind in ("onehot_probs", "onehot_logits", "onehot_unnormalized", "distributions"):
        n = shape[class_axis]
        labels = torch.randint(
            0,
            n,
            shape[: class_axis % len(shape)] + shape[class_axis % len(shape) + 1 :],
            generator=g,
        )
        y_true = torch.nn.functional.one_hot(labels, n).float().movedim(-1, class_axis)
        logits = randn(*shape) * 2.0
        if kind == "onehot_logits":
            return y_true, logits
        if kind == "onehot_unnormalized":
            return y_true, rand(*shape) + 0.05
        if kind == "distributions":
            return torch.softmax(randn(*shape), class_axis), torch.softmax(logits, class_axis)
        return y_true, torch.softmax(logits, class_axis)
    raise AssertionError(kind)


# (class name, constructor kwargs, data kind, y_pred shape, class axis for the data)
CASES = [
    ("MeanSquaredError", {}, "regression", (B, T, C), -1),
    ("MeanSquaredError", {}, "regression", (B, 1), -1),
    ("MeanAbsoluteError", {}, "regression", (B, T, C), -1),
    ("MeanAbsolutePercentageError", {}, "percentage", (B, T, C), -1),
    ("MeanSquaredLogarithmicError", {}, "regression", (B, T, C), -1),
    ("Huber", {}, "regression", (B, T, C), -1),
    ("Huber", {"delta": 0.4}, "regression", (B, C), -1),
    ("LogCosh", {}, "regression", (B, T, C), -1),
    ("CosineSimilarity", {}, "regression", (B, T, C), -1),
    ("CosineSimilarity", {"axis": 1}, "regression", (B, T, C), -1),
    ("KLDivergence", {}, "distributions", (B, T, C), -1),
    ("Poisson", {}, "positive", (B, T, C), -1),
    ("BinaryCrossentropy", {}, "binary_probs", (B, T, C), -1),
    ("BinaryCrossentropy", {"from_logits": True}, "binary_logits", (B, T, C), -1),
    ("BinaryCrossentropy", {"label_smoothing": 0.2}, "binary_probs", (B, C), -1),
    (
        "BinaryCrossentropy",
        {"from_logits": True, "label_smoothing": 0.1, "axis": 1},
        "binary_logits",
        (B, T, C),
        -1,
    ),
    ("BinaryFocalCrossentropy", {}, "binary_probs", (B, T, C), -1),
    (
        "BinaryFocalCrossentropy",
        {"from_logits": True, "gamma": 1.5},
        "binary_logits",
        (B, T, C),
        -1,
    ),
    (
        "BinaryFocalCrossentropy",
        {"apply_class_balancing": True, "alpha": 0.4, "label_smoothing": 0.1},
        "binary_probs",
        (B, C),
        -1,
    ),
    (
        "BinaryFocalCrossentropy",
        {"apply_class_balancing": True, "from_logits": True, "axis": 1},
        "binary_logits",
        (B, T, C),
        -1,
    ),
    ("CategoricalCrossentropy", {}, "onehot_probs", (B, T, C), -1),
    ("CategoricalCrossentropy", {}, "onehot_unnormalized", (B, C), -1),
    ("CategoricalCrossentropy", {"from_logits": True}, "onehot_logits", (B, T, C), -1),
    (
        "CategoricalCrossentropy",
        {"from_logits": True, "label_smoothing": 0.1},
        "onehot_logits",
        (B, C),
        -1,
    ),
    ("CategoricalCrossentropy", {"label_smoothing": 0.2}, "onehot_probs", (B, T, C), -1),
    ("CategoricalCrossentropy", {"from_logits": True, "axis": 1}, "onehot_logits", (B, C, T), 1),
    ("CategoricalFocalCrossentropy", {}, "onehot_probs", (B, T, C), -1),
    (
        "CategoricalFocalCrossentropy",
        {"from_logits": True, "alpha": 0.5, "gamma": 1.0},
        "onehot_logits",
        (B, C),
        -1,
    ),
    (
        "CategoricalFocalCrossentropy",
        {"label_smoothing": 0.1},
        "onehot_unnormalized",
        (B, T, C),
        -1,
    ),
    (
        "CategoricalFocalCrossentropy",
        {"from_logits": True, "axis": 1},
        "onehot_logits",
        (B, C, T),
        1,
    ),
    ("Hinge", {}, "binary_logits", (B, T, C), -1),
    ("Hinge", {}, "pm1", (B, C), -1),
    ("SquaredHinge", {}, "binary_logits", (B, T, C), -1),
    ("SquaredHinge", {}, "pm1", (B, C), -1),
    ("CategoricalHinge", {}, "onehot_logits", (B, T, C), -1),
    ("Dice", {}, "binary_probs", (B, T, C), -1),
    ("Dice", {"axis": -1}, "binary_probs", (B, T, C), -1),
    ("Tversky", {}, "binary_probs", (B, T, C), -1),
    ("Tversky", {"alpha": 0.3, "beta": 0.7, "axis": (1, 2)}, "binary_probs", (B, T, C), -1),
]


def _np(x) -> np.ndarray:
    return np.asarray(keras.ops.convert_to_numpy(x))


def _compare(ours_loss, keras_loss, y_true, y_pred, loss_shape, label=""):
    """Compares both losses for every combination of sample weight and mask."""
    g = torch.Generator().manual_seed(7)
    weights = [None]
    masks = [None]
    if loss_shape:
        sw = torch.rand(loss_shape, generator=g) * 2.0
        sw.view(-1)[::3] = 0.0  # zero-weight samples still count in sum_over_batch_size
        weights.append(sw)
        mask = torch.rand(loss_shape, generator=g) > 0.3
        mask.view(-1)[0] = True
        masks.append(mask)
    for sw in weights:
        for mask in masks:
            ours_pred, keras_pred = y_pred.clone(), y_pred.clone()
            if mask is not None:
                ours_pred._keras_mask = mask
                keras_pred._keras_mask = mask.clone()
            got = ours_loss(y_true, ours_pred, sample_weight=sw)
            want = keras_loss(y_true, keras_pred, sample_weight=sw)
            np.testing.assert_allclose(
                got.detach().cpu().numpy(),
                _np(want),
                atol=1e-5,
                rtol=1e-5,
                err_msg=f"{label} sample_weight={sw is not None} mask={mask is not None}",
            )


@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize(
    "name, kwargs, kind, shape, class_axis",
    CASES,
    ids=[f"{c[0]}-{i}" for i, c in enumerate(CASES)],
)
def test_class_parity(name, kwargs, kind, shape, class_axis, reduction):
    y_true, y_pred = _data(kind, shape, class_axis)
    ours = getattr(losses, name)(reduction=reduction, **kwargs)
    theirs = getattr(keras.losses, name)(reduction=reduction, **kwargs)
    loss_shape = tuple(getattr(losses, name)(reduction="none", **kwargs)(y_true, y_pred).shape)
    _compare(ours, theirs, y_true, y_pred, loss_shape, label=f"{name}{kwargs} {reduction}")


SPARSE_CASES = [
    ({}, "probs", (B, C), "int"),
    ({}, "probs", (B, C), "int_col"),
    ({}, "unnormalized", (B, T, C), "float"),
    ({"from_logits": True}, "logits", (B, C), "int"),
    ({"from_logits": True}, "logits", (B, T, C), "float_col"),
    ({"from_logits": True, "ignore_class": 2}, "logits", (B, T, C), "int"),
    ({"ignore_class": 0}, "probs", (B, C), "int_col"),
    ({"from_logits": True, "axis": 1}, "logits", (B, C, T), "int"),
]


@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize("kwargs, kind, shape, labels", SPARSE_CASES)
def test_sparse_categorical_crossentropy_parity(kwargs, kind, shape, labels, reduction):
    g = torch.Generator().manual_seed(3)
    axis = kwargs.get("axis", -1)
    label_shape = list(shape)
    n = label_shape.pop(axis)
    y_true = torch.randint(0, n, label_shape, generator=g)
    y_true.view(-1)[::4] = kwargs.get("ignore_class") or 0
    if labels.startswith("float"):
        y_true = y_true.float()
    if labels.endswith("_col"):
        y_true = y_true.unsqueeze(-1)
    logits = torch.randn(*shape, generator=g) * 2.0
    y_pred = {
        "logits": logits,
        "probs": torch.softmax(logits, axis),
        "unnormalized": torch.rand(*shape, generator=g) + 0.05,
    }[kind]
    ours = losses.SparseCategoricalCrossentropy(reduction=reduction, **kwargs)
    theirs = keras.losses.SparseCategoricalCrossentropy(reduction=reduction, **kwargs)
    loss_shape = tuple(label_shape)
    _compare(ours, theirs, y_true, y_pred, loss_shape, label=f"{kwargs} {labels} {reduction}")


FUNCTIONS = [
    ("mean_squared_error", {}, "regression"),
    ("mean_absolute_error", {}, "regression"),
    ("mean_absolute_percentage_error", {}, "percentage"),
    ("mean_squared_logarithmic_error", {}, "positive"),
    ("huber", {"delta": 0.5}, "regression"),
    ("log_cosh", {}, "regression"),
    ("cosine_similarity", {"axis": 1}, "regression"),
    ("kl_divergence", {}, "distributions"),
    ("poisson", {}, "positive"),
    ("binary_crossentropy", {"from_logits": True, "label_smoothing": 0.1}, "binary_logits"),
    ("binary_focal_crossentropy", {"apply_class_balancing": True}, "binary_probs"),
    ("categorical_crossentropy", {"label_smoothing": 0.1}, "onehot_unnormalized"),
    ("categorical_focal_crossentropy", {"from_logits": True}, "onehot_logits"),
    ("hinge", {}, "binary_logits"),
    ("squared_hinge", {}, "pm1"),
    ("categorical_hinge", {}, "onehot_logits"),
    ("dice", {"axis": (1, 2)}, "binary_probs"),
    ("tversky", {"alpha": 0.2, "beta": 0.8}, "binary_probs"),
]


@pytest.mark.parametrize("name, kwargs, kind", FUNCTIONS, ids=[f[0] for f in FUNCTIONS])
def test_function_parity(name, kwargs, kind):
    y_true, y_pred = _data(kind, (B, T, C))
    got = getattr(losses, name)(y_true, y_pred, **kwargs)
    want = getattr(keras.losses, name)(y_true, y_pred, **kwargs)
    np.testing.assert_allclose(got.numpy(), _np(want), atol=1e-5, rtol=1e-5)


def test_sparse_function_parity_with_ignore_class_sets_mask():
    y_true = torch.tensor([0, 1, 2, 1])
    y_pred = torch.randn(4, 3)
    got = losses.sparse_categorical_crossentropy(y_true, y_pred, from_logits=True, ignore_class=1)
    want = keras.losses.sparse_categorical_crossentropy(
        y_true, y_pred, from_logits=True, ignore_class=1
    )
    np.testing.assert_allclose(got.numpy(), _np(want), atol=1e-5)
    assert got._keras_mask.tolist() == [True, False, True, False]


@pytest.mark.parametrize(
    "name", [c.__name__ for c in losses.LOSSES.classes() if c is not losses.LossFunctionWrapper]
)
def test_default_names_and_keras_configs_load(name):
    ours, theirs = getattr(losses, name)(), getattr(keras.losses, name)()
    assert ours.name == theirs.name
    keras_config = theirs.get_config()
    our_config = ours.get_config()
    for key, value in keras_config.items():
        assert our_config[key] == value, key
    restored = getattr(losses, name).from_config(keras_config)
    assert restored.get_config() == our_config
