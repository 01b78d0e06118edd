"""model.save / load_model: archive members, rebuild, weights, compile and optimizer state."""

import json
import zipfile

import numpy as np
import pytest
import torch

import torchkeras_lite as keras
from tests.saving.helpers import Net, built_net, data, weights_equal
from torchkeras_lite.saving import SavingError, load_model


def _trained(tmp_path, epochs=2, **compile_kwargs):
    x, y = data()
    model = built_net(0)
    model.compile(**{"optimizer": keras.optimizers.Adam(0.01), "loss": "mse", **compile_kwargs})
    model.fit(x, y, epochs=epochs, batch_size=16, shuffle=False, verbose=0)
    path = tmp_path / "net.keras"
    model.save(path)
    return model, path


def test_archive_members_and_documents(tmp_path):
    model, path = _trained(tmp_path)
    with zipfile.ZipFile(path) as zf:
        names = set(zf.namelist())
        config = json.loads(zf.read("config.json"))
        metadata = json.loads(zf.read("metadata.json"))
        optimizer = json.loads(zf.read("optimizer.json"))
    assert names == {
        "config.json",
        "metadata.json",
        "model.weights.safetensors",
        "optimizer.safetensors",
        "optimizer.json",
    }
    assert config["class_name"] == "Net" and config["registered_name"] == "saving_tests>Net"
    assert config["config"]["hidden"] == 8 and config["build_config"] == {"input_shape": [None, 4]}
    assert config["compile_config"]["optimizer"]["class_name"] == "Adam"
    assert config["compile_config"]["loss"] == "mse"
    assert (
        metadata["library"] == "torchkeras_lite" and metadata["torch_version"] == torch.__version__
    )
    assert set(optimizer["optimizer"]["state"]) == {"l1.kernel", "l1.bias", "l2.kernel", "l2.bias"}
    assert optimizer["optimizer"]["extra"]["iterations"] == 8


def test_load_model_restores_weights_and_predictions(tmp_path):
    model, path = _trained(tmp_path)
    loaded = load_model(path)
    assert type(loaded) is Net and loaded.hidden == 8 and weights_equal(model, loaded)
    x, _ = data(n=5)
    np.testing.assert_array_equal(loaded.predict(x, verbose=0), model.predict(x, verbose=0))
    assert keras.saving.load_model is load_model


def test_training_continues_exactly_after_load(tmp_path):
    x, y = data()
    reference = built_net(0)
    reference.compile(optimizer=keras.optimizers.Adam(0.01), loss="mse")
    full = reference.fit(x, y, epochs=4, batch_size=16, shuffle=False, verbose=0)
    _, path = _trained(tmp_path, epochs=2)
    loaded = load_model(path)
    assert loaded.optimizer.iterations.item() == 8
    rest = loaded.fit(x, y, epochs=2, batch_size=16, shuffle=False, verbose=0)
    assert rest.history["loss"] == full.history["loss"][2:]
    assert weights_equal(reference, loaded)


def test_native_torch_optimizer_state_is_restored(tmp_path):
    x, y = data()
    reference = built_net(0)
    reference.compile(optimizer=torch.optim.Adam(reference.parameters(), lr=0.01), loss="mse")
    full = reference.fit(x, y, epochs=3, batch_size=32, shuffle=False, verbose=0)
    model = built_net(0)
    model.compile(optimizer=torch.optim.Adam(model.parameters(), lr=0.01), loss="mse")
    model.fit(x, y, epochs=2, batch_size=32, shuffle=False, verbose=0)
    model.save(tmp_path / "n.keras")
    loaded = load_model(tmp_path / "n.keras")
    assert isinstance(loaded.optimizer, torch.optim.Adam)
    rest = loaded.fit(x, y, epochs=1, batch_size=32, shuffle=False, verbose=0)
    assert rest.history["loss"] == full.history["loss"][2:]
    assert weights_equal(reference, loaded)


def test_compile_false_and_include_optimizer_false(tmp_path):
    model, path = _trained(tmp_path)
    assert not getattr(load_model(path, compile=False), "compiled", False)
    model.save(tmp_path / "light.keras", include_optimizer=False)
    with zipfile.ZipFile(tmp_path / "light.keras") as zf:
        assert "optimizer.json" not in zf.namelist()
    loaded = load_model(tmp_path / "light.keras")
    assert loaded.compiled and not loaded.optimizer.built


def test_unzipped_folder_and_overwrite(tmp_path):
    model, path = _trained(tmp_path)
    folder = tmp_path / "folder.keras"
    model.save(folder, zipped=False)
    assert (folder / "config.json").is_file()
    assert weights_equal(model, load_model(folder))
    with pytest.raises(SavingError, match="overwrite=False"):
        model.save(path, overwrite=False)
    with pytest.raises(SavingError, match=r"add a `\.keras` extension"):
        model.save(tmp_path / "net.pt")


def test_unknown_class_says_how_to_register(tmp_path):
    class Unregistered(Net):
        pass

    model = Unregistered()
    model.build((None, 4))
    model.save(tmp_path / "u.keras")
    with pytest.raises(SavingError, match=r"u\.keras.*'Unregistered'.*register_keras_serializable"):
        load_model(tmp_path / "u.keras")
    loaded = load_model(tmp_path / "u.keras", custom_objects={"Unregistered": Unregistered})
    assert type(loaded) is Unregistered and weights_equal(model, loaded)


def test_get_config_missing_init_arguments_is_refused_at_save(tmp_path):
    @keras.saving.register_keras_serializable("saving_tests")
    class NeedsArgs(Net):
        def __init__(self, width, **kwargs):
            super().__init__(hidden=width, **kwargs)

    model = NeedsArgs(3)
    model.build((None, 4))
    with pytest.raises(SavingError, match=r"arguments \['width'\] in `__init__\(\)`"):
        model.save(tmp_path / "n.keras")


def test_lazily_built_model_is_built_from_its_build_config(tmp_path):
    model = Net()
    model(torch.ones(2, 4))
    model.save(tmp_path / "lazy.keras")
    loaded = load_model(tmp_path / "lazy.keras")
    assert weights_equal(model, loaded)
