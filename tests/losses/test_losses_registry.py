"""The loss registry: every class and function through get / serialize / deserialize / configs."""

import json

import pytest
import torch

from torchkeras_lite import losses
from torchkeras_lite.saving import custom_object_scope, register_keras_serializable

CLASSES = [c for c in losses.LOSSES.classes() if c is not losses.LossFunctionWrapper]

FUNCTION_NAMES = [
    "mean_squared_error",
    "mean_absolute_error",
    "mean_absolute_percentage_error",
    "mean_squared_logarithmic_error",
    "huber",
    "log_cosh",
    "binary_crossentropy",
    "binary_focal_crossentropy",
    "categorical_crossentropy",
    "categorical_focal_crossentropy",
    "sparse_categorical_crossentropy",
    "kl_divergence",
    "poisson",
    "cosine_similarity",
    "hinge",
    "squared_hinge",
    "categorical_hinge",
    "tversky",
    "dice",
]

ALIASES = {
    "mse": "mean_squared_error",
    "MSE": "mean_squared_error",
    "mae": "mean_absolute_error",
    "MAE": "mean_absolute_error",
    "mape": "mean_absolute_percentage_error",
    "MAPE": "mean_absolute_percentage_error",
    "msle": "mean_squared_logarithmic_error",
    "MSLE": "mean_squared_logarithmic_error",
    "kld": "kl_divergence",
    "KLD": "kl_divergence",
    "kullback_leibler_divergence": "kl_divergence",
    "logcosh": "log_cosh",
    "bce": "binary_crossentropy",
    "BCE": "binary_crossentropy",
}


def test_all_classes_registered():
    assert len(CLASSES) == 19
    for cls in CLASSES:
        assert getattr(losses, cls.__name__) is cls


@pytest.mark.parametrize("cls", CLASSES, ids=lambda c: c.__name__)
def test_class_round_trips(cls):
    loss = cls(reduction="sum", name="custom_name")
    config = loss.get_config()
    json.dumps(config)
    assert config["name"] == "custom_name" and config["reduction"] == "sum"
    assert cls.from_config(config).get_config() == config
    serialized = losses.serialize(loss)
    assert serialized["class_name"] == cls.__name__
    restored = losses.deserialize(json.loads(json.dumps(serialized)))
    assert type(restored) is cls and restored.get_config() == config
    via_get = losses.get(serialized)
    assert type(via_get) is cls and via_get.get_config() == config
    by_name = losses.get(cls.__name__)
    assert type(by_name) is cls and by_name.reduction == "sum_over_batch_size"


def test_non_default_arguments_survive_round_trip():
    loss = losses.BinaryFocalCrossentropy(True, 0.1, 3.0, True, 0.05, 1, dtype="float64")
    restored = losses.deserialize(losses.serialize(loss))
    assert restored.get_config() == loss.get_config()
    assert (restored.alpha, restored.gamma, restored.axis, restored.dtype) == (
        0.1,
        3.0,
        1,
        "float64",
    )
    for loss in (
        losses.Huber(delta=0.3),
        losses.CosineSimilarity(axis=1),
        losses.Tversky(0.2, 0.8, axis=(1, 2)),
    ):
        restored = losses.deserialize(losses.serialize(loss))
        assert restored.get_config() == loss.get_config()


@pytest.mark.parametrize("name", FUNCTION_NAMES)
def test_function_names(name):
    fn = getattr(losses, name)
    assert losses.get(name) is fn
    assert losses.serialize(fn) == name
    assert losses.deserialize(name) is fn
    assert losses.get(fn) is fn


@pytest.mark.parametrize("alias, name", sorted(ALIASES.items()))
def test_aliases(alias, name):
    assert losses.get(alias) is getattr(losses, name)
    assert losses.deserialize(alias) is getattr(losses, name)


def test_wrapper_round_trips_function_and_kwargs():
    loss = losses.LossFunctionWrapper(losses.huber, reduction="sum", name="h", delta=0.5)
    config = loss.get_config()
    assert config == {"name": "h", "reduction": "sum", "fn": "huber", "delta": 0.5}
    restored = losses.deserialize(json.loads(json.dumps(losses.serialize(loss))))
    y_true, y_pred = torch.randn(4, 3), torch.randn(4, 3)
    torch.testing.assert_close(restored(y_true, y_pred), loss(y_true, y_pred))
    assert losses.LossFunctionWrapper("mse")(y_true, y_pred).item() == pytest.approx(
        losses.MeanSquaredError()(y_true, y_pred).item()
    )


def test_custom_function_and_class():
    @register_keras_serializable(package="test_losses")
    def twice_mae(y_true, y_pred):
        return 2.0 * losses.mean_absolute_error(y_true, y_pred)

    loss = losses.LossFunctionWrapper(twice_mae)
    restored = losses.deserialize(losses.serialize(loss))
    assert restored.fn is twice_mae

    class Scaled(losses.Loss):
        def call(self, y_true, y_pred):
            return torch.sum(y_pred - y_true, dim=-1)

    with custom_object_scope({"Scaled": Scaled}):
        obj = losses.get("Scaled")
        assert isinstance(obj, Scaled)
        assert isinstance(losses.deserialize(losses.serialize(obj)), Scaled)


def test_get_passes_callables_and_none():
    def fn(y_true, y_pred):
        return y_pred

    assert losses.get(None) is None
    assert losses.get(fn) is fn
    instance = losses.Hinge()
    assert losses.get(instance) is instance
    assert isinstance(losses.get(losses.Hinge), losses.Hinge)


def test_unknown_name_lists_close_matches():
    with pytest.raises(
        ValueError, match=r"Unknown loss: 'mean_squared_eror'.*Did you mean.*'mean_squared_error'"
    ):
        losses.get("mean_squared_eror")
    with pytest.raises(
        ValueError, match=r"Unknown loss: 'BinaryCrossEntropy'.*'BinaryCrossentropy'"
    ):
        losses.get("BinaryCrossEntropy")
    with pytest.raises(ValueError, match=r"Could not interpret loss identifier.*Received: loss=3"):
        losses.get(3)
