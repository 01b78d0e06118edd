"""The global dtype policy reaches new layers; both Keras spellings set it."""

import pytest
import torch

import torchkeras_lite as keras


@pytest.fixture(autouse=True)
def _restore_policy():
    yield
    keras.mixed_precision.set_global_policy(None)


@pytest.mark.parametrize(
    "setter", [keras.mixed_precision.set_global_policy, keras.config.set_dtype_policy]
)
def test_global_policy_applies_to_new_layers(setter):
    setter("mixed_bfloat16")
    assert keras.mixed_precision.global_policy().name == "mixed_bfloat16"
    layer = keras.layers.Dense(3)
    out = layer(torch.ones(2, 4))
    assert layer.kernel.dtype == torch.float32 and out.dtype == torch.bfloat16
    assert layer.dtype_policy == keras.mixed_precision.Policy("mixed_bfloat16")
    setter("float32")
    assert keras.layers.Dense(3)(torch.ones(2, 4)).dtype == torch.float32


def test_bad_policy_name():
    with pytest.raises(ValueError, match="Received: name='mixed_int8'"):
        keras.mixed_precision.set_global_policy("mixed_int8")
