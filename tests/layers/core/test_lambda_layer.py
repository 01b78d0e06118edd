"""Lambda: functions with/without output_shape, mask and training arguments, (de)serialization."""

import pytest
import torch
from conformance import run_layer_test

import torchkeras_lite as keras
from torchkeras_lite.layers.core import Lambda
from torchkeras_lite.layers.core.lambda_layer import deserialize_function, serialize_function


@keras.saving.register_keras_serializable(package="tests")
def double_rows(x, factor=2.0):
    return x * factor


def test_lambda_conformance_with_python_lambda_and_output_shape():
    run_layer_test(
        Lambda,
        {"function": lambda x: torch.cat([x, x**2], dim=-1), "output_shape": (6,)},
        input_shape=(2, 3),
        expected_output_shape=(2, 6),
        expected_num_trainable_weights=0,
        supports_masking=False,
    )


def test_lambda_conformance_with_named_function_and_arguments():
    layer = run_layer_test(
        Lambda,
        {"function": double_rows, "arguments": {"factor": 3.0}},
        input_shape=(2, 4),
        expected_output_shape=(2, 4),
    )
    config = layer.get_config()
    assert config["function"]["class_name"] == "function"
    assert config["function"]["registered_name"] == "tests>double_rows"
    torch.testing.assert_close(layer(torch.ones(1, 4)), torch.full((1, 4), 3.0))


def test_lambda_output_shape_function_and_list():
    layer = Lambda(lambda x: x[:, :2], output_shape=lambda s: (s[0], 2))
    assert layer.compute_output_shape((5, 7)) == (5, 2)
    assert Lambda(lambda x: x, output_shape=[(3,), (4, 5)]).compute_output_shape((2, 9)) == [
        (2, 3),
        (2, 4, 5),
    ]


def test_lambda_passes_mask_and_training_when_the_function_takes_them():
    seen = {}

    def fn(x, mask=None, training=None):
        seen.update(mask=mask, training=training)
        return x

    x = torch.ones(2, 3)
    mask = torch.tensor([True, False])
    x._keras_mask = mask
    Lambda(fn)(x, training=True)
    assert seen["training"] is True and torch.equal(seen["mask"], mask)


def test_lambda_mask_argument():
    x = torch.tensor([[1.0, 0.0, 2.0]])
    out = Lambda(lambda t: t * 2, mask=lambda inputs, previous: inputs != 0)(x)
    assert torch.equal(out._keras_mask, torch.tensor([[True, False, True]]))
    assert Lambda(lambda t: t, mask=lambda i, p: None).supports_masking
    assert not Lambda(lambda t: t).supports_masking


def test_lambda_round_trip_of_a_closure_and_defaults():
    offset = torch.tensor(5.0)
    layer = Lambda(lambda x, k=2.0: x * k + offset)
    clone = Lambda.from_config(layer.get_config(), safe_mode=False)
    x = torch.randn(3, 2)
    torch.testing.assert_close(clone(x), x * 2.0 + 5.0)


def test_lambda_deserialization_is_safe_by_default():
    config = Lambda(lambda x: x + 1).get_config()
    with pytest.raises(
        ValueError, match="deserialization of a `Lambda` layer whose `function` is a Python lambda"
    ):
        Lambda.from_config(config)


def test_unregistered_named_function_needs_custom_objects():
    def local_fn(x):
        return x - 1

    config = serialize_function(local_fn)
    with pytest.raises(ValueError, match="Could not deserialize the function 'local_fn'"):
        deserialize_function(config)
    assert deserialize_function(config, custom_objects={"local_fn": local_fn}) is local_fn
    assert (
        deserialize_function(serialize_function(keras.activations.relu)) is keras.activations.relu
    )


def test_lambda_requires_a_callable():
    with pytest.raises(ValueError, match="`function` must be callable. Received: function=3"):
        Lambda(3)
