"""`keras.config` used the way Keras' docs show, and the `keras.backend` names ported code uses."""

from __future__ import annotations

import pytest
import torch

import torchkeras_lite.backend as K
from torchkeras_lite import config
from torchkeras_lite.models import Input
from torchkeras_lite.utils import naming


@pytest.fixture(autouse=True)
def _restore():
    yield
    config.set_floatx("float32")
    config.set_epsilon(1e-7)
    config.set_image_data_format("channels_last")
    config.set_dtype_policy(None)
    config.set_device(None)


def test_global_settings_round_trip():
    assert config.backend() == "torch" and K.backend() == "torch"
    config.set_floatx("float16")
    assert config.floatx() == K.floatx() == "float16"
    config.set_epsilon(1e-5)
    assert config.epsilon() == K.epsilon() == 1e-5
    config.set_image_data_format("channels_first")
    assert config.image_data_format() == K.image_data_format() == "channels_first"
    config.set_dtype_policy("mixed_float16")
    assert config.dtype_policy().name == "mixed_float16"
    assert config.dtype_policy().compute_dtype == "float16"
    config.set_device("cpu")
    assert config.get_device() == torch.device("cpu")
    config.set_backend("torch")
    with pytest.raises(ValueError, match='only runs on the "torch" backend'):
        config.set_backend("jax")
    with pytest.raises(ValueError, match="Unknown `floatx` value"):
        config.set_floatx("int8")


def test_unsafe_deserialization_flag_and_traceback_switch():
    assert not config.is_unsafe_deserialization_enabled()
    from torchkeras_lite.saving import safe_mode

    with safe_mode.SafeModeScope(False):
        assert config.is_unsafe_deserialization_enabled()
    assert config.enable_unsafe_deserialization is safe_mode.enable_unsafe_deserialization
    config.enable_traceback_filtering()
    assert config.is_traceback_filtering_enabled()
    config.disable_traceback_filtering()
    assert not config.is_traceback_filtering_enabled()


def test_clear_session_resets_names_and_uids():
    K.clear_session()  # start from a known state whatever ran before
    naming.uniquify("dense")
    assert naming.uniquify("dense") == "dense_1"
    assert K.get_uid("x") == 1 and K.get_uid("x") == 2
    K.clear_session()
    assert naming.uniquify("dense") == "dense" and K.get_uid("x") == 1
    K.clear_session(free_memory=False)


def test_is_keras_tensor():
    assert K.is_keras_tensor(Input((3,)))
    assert not K.is_keras_tensor(torch.ones(3))
