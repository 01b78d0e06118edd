"""save_weights / load_weights: safetensors by weight path, torch state dicts, mismatch errors."""

import os
import pickle

import pytest
import torch
from safetensors.torch import load_file

import torchkeras_lite as keras
from tests.saving.helpers import Lin, Net, built_net, weights_equal
from torchkeras_lite.saving import SavingError


def test_weights_round_trip_by_readable_path(tmp_path):
    model, other = built_net(0), built_net(1)
    path = tmp_path / "net.weights.safetensors"
    model.save_weights(path)
    assert sorted(load_file(path)) == ["l1.bias", "l1.kernel", "l2.bias", "l2.kernel"]
    assert not weights_equal(model, other)
    loaded = other.load_weights(path)
    assert weights_equal(model, other) and sorted(loaded) == sorted(model.state_dict())


def test_weights_filename_must_be_safetensors(tmp_path):
    with pytest.raises(SavingError, match=r"must end in `\.weights\.safetensors`"):
        built_net().save_weights(tmp_path / "net.weights.h5")


def test_overwrite_false_refuses_an_existing_file(tmp_path):
    path = tmp_path / "w.weights.safetensors"
    model = built_net()
    model.save_weights(path)
    with pytest.raises(SavingError, match="exists and `overwrite=False`"):
        model.save_weights(path, overwrite=False)


def test_plain_torch_state_dicts_load(tmp_path):
    model, other = built_net(0), built_net(1)
    other.load_weights(model.state_dict())
    assert weights_equal(model, other)
    path = tmp_path / "sd.pt"
    torch.save({"state_dict": built_net(2).state_dict(), "epoch": 3}, path)
    other.load_weights(str(path))
    assert weights_equal(built_net(2), other)


def test_pickled_objects_in_torch_files_are_refused(tmp_path):
    path = tmp_path / "evil.pt"
    with open(path, "wb") as f:
        pickle.dump(
            {"l1.kernel": os.getcwd}, f, protocol=2
        )  # would call os.getcwd under a full unpickler
    with pytest.raises(SavingError, match="weights_only=True"):
        built_net().load_weights(str(path))


def test_architecture_mismatch_lists_every_problem(tmp_path):
    path = tmp_path / "w.weights.safetensors"
    built_net(hidden=8).save_weights(path)
    other = built_net(hidden=5)
    with pytest.raises(SavingError) as info:
        other.load_weights(path)
    message = str(info.value)
    assert "w.weights.safetensors" in message and "do not match the architecture" in message
    assert "l1.kernel (model (4, 5), file (4, 8))" in message
    assert "3 weight(s) with a different shape" in message and "skip_mismatch=True" in message


def test_missing_unexpected_and_dtype_problems_are_named():
    model = built_net()
    state = {k: v.clone() for k, v in model.state_dict().items()}
    state["extra.kernel"] = torch.zeros(2)
    del state["l2.bias"]
    state["l1.bias"] = state["l1.bias"].double()
    with pytest.raises(SavingError) as info:
        model.load_weights(state)
    message = str(info.value)
    assert "1 weight(s) missing from the file: l2.bias" in message
    assert "1 weight(s) in the file but not in the model: extra.kernel" in message
    assert "l1.bias (model torch.float32, file torch.float64)" in message


def test_skip_mismatch_loads_what_matches_and_warns():
    source, target = built_net(0, hidden=8), built_net(1, hidden=8)
    state = dict(source.state_dict())
    state["l2.kernel"] = torch.zeros(3, 3)
    with pytest.warns(UserWarning, match="l2.kernel"):
        loaded = target.load_weights(state, skip_mismatch=True)
    assert sorted(loaded) == ["l1.bias", "l1.kernel", "l2.bias"]
    assert torch.equal(target.l1.kernel, source.l1.kernel)
    assert not torch.equal(target.l2.kernel, source.l2.kernel)


def test_unbuilt_model_gets_a_build_hint(tmp_path):
    path = tmp_path / "w.weights.safetensors"
    built_net().save_weights(path)
    with pytest.raises(SavingError, match=r"not built yet .*call the model on a batch"):
        Net().load_weights(path)


def test_damaged_and_foreign_files_raise_saving_errors(tmp_path):
    model = built_net()
    path = tmp_path / "w.weights.safetensors"
    model.save_weights(path)
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])
    with pytest.raises(SavingError, match="not a valid safetensors file"):
        model.load_weights(path)
    text = tmp_path / "notes.txt"
    text.write_text("hello")
    with pytest.raises(SavingError, match="not a valid safetensors file"):
        model.load_weights(text)
    with pytest.raises(SavingError, match="File not found"):
        model.load_weights(tmp_path / "missing.weights.safetensors")
    with pytest.raises(SavingError, match="Expected a torch state dict"):
        model.load_weights({"l1.kernel": [1, 2]})


def test_tied_and_strided_weights_are_saved(tmp_path):
    layer = Lin(4)
    layer.build((None, 4))
    with torch.no_grad():
        layer.bias.copy_(torch.arange(4.0))
    tensors = keras.saving.weights.model_tensors(torch.nn.ModuleDict({"a": layer, "b": layer}))
    transposed = {"t": torch.arange(6.0).reshape(2, 3).t()}
    data = keras.saving.weights.encode({**tensors, **transposed})
    decoded = keras.saving.weights.decode(data, "memory")
    assert torch.equal(decoded["b.bias"], torch.arange(4.0))
    assert torch.equal(decoded["t"], transposed["t"])
