"""Safe mode: code stored in a file (Python lambdas) is refused unless the user opts in."""

import pytest
import torch

import torchkeras_lite as keras
from tests.saving.helpers import Net
from torchkeras_lite.layers.core.lambda_layer import deserialize_function, serialize_function
from torchkeras_lite.saving import SavingError, load_model, safe_mode


@keras.saving.register_keras_serializable("saving_tests")
class FnNet(Net):
    """A model applying a user function to its output; the function is saved with the config."""

    def __init__(self, fn=None, **kwargs):
        super().__init__(**kwargs)
        self.fn = fn

    def call(self, x, training=False):
        return self.fn(super().call(x, training=training))

    def get_config(self):
        return {**super().get_config(), "fn": serialize_function(self.fn)}

    @classmethod
    def from_config(cls, config):
        fn = deserialize_function(config.pop("fn"), safe_mode=keras.saving.in_safe_mode())
        return cls(fn=fn, **config)


@pytest.fixture
def lambda_model_path(tmp_path):
    model = FnNet(fn=lambda t: t * 2 + 1)
    model.build((None, 4))
    path = tmp_path / "lambda.keras"
    model.save(path)
    return model, path


def test_lambda_is_refused_in_safe_mode_with_how_to_opt_in(lambda_model_path):
    _, path = lambda_model_path
    with pytest.raises(SavingError) as info:
        load_model(path)
    message = str(info.value)
    assert "lambda.keras" in message and "Python code" in message
    assert (
        "safe_mode=False" in message and "keras.config.enable_unsafe_deserialization()" in message
    )


def test_safe_mode_false_loads_the_lambda(lambda_model_path):
    model, path = lambda_model_path
    loaded = load_model(path, safe_mode=False)
    x = torch.ones(2, 4)
    assert torch.equal(loaded(x), model(x))
    assert keras.saving.in_safe_mode()  # the scope ended with the call


def test_enable_unsafe_deserialization_opts_in_globally(lambda_model_path, monkeypatch):
    monkeypatch.setattr(safe_mode, "_UNSAFE_GLOBALLY", False)
    _, path = lambda_model_path
    keras.saving.enable_unsafe_deserialization()
    assert not keras.saving.in_safe_mode()
    assert isinstance(load_model(path), FnNet)


def test_safe_mode_scope_nests():
    assert safe_mode.in_safe_mode()
    with safe_mode.SafeModeScope(False):
        assert not safe_mode.in_safe_mode()
        with safe_mode.SafeModeScope(True):
            assert safe_mode.in_safe_mode()
    assert safe_mode.in_safe_mode()


def test_lambda_layer_in_a_sequential_is_refused(tmp_path):
    from torchkeras_lite.layers import Dense, Lambda
    from torchkeras_lite.models import Input, Sequential
    from torchkeras_lite.saving import save_model

    model = Sequential([Input((3,)), Dense(2), Lambda(lambda t: t * 3, name="triple")])
    save_model(model, tmp_path / "l.keras")
    with pytest.raises(
        SavingError, match=r"the layer 'triple' in '.*l\.keras' \(a Python lambda\)"
    ):
        load_model(tmp_path / "l.keras")
