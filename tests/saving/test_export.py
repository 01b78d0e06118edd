"""model.export: a torch.export program reloadable with torch.export.load, dynamic batch size."""

import importlib.util

import pytest
import torch

from tests.saving.helpers import built_net
from torchkeras_lite.layers import BatchNormalization, Dense, Dropout
from torchkeras_lite.models import Input, Model, Sequential
from torchkeras_lite.saving import SavingError
from torchkeras_lite.saving.export import export_model


def test_sequential_and_dict_functional_programs(tmp_path, capsys):
    model = Sequential(
        [Input((4,)), Dense(8, activation="relu"), Dropout(0.5), BatchNormalization(), Dense(2)]
    )
    export_model(model, tmp_path / "seq.pt2")
    assert f"Saved artifact at '{tmp_path / 'seq.pt2'}'." in capsys.readouterr().out
    program = torch.export.load(tmp_path / "seq.pt2").module()
    for batch in (1, 5):  # the batch dimension is dynamic; dropout is off
        x = torch.randn(batch, 4)
        torch.testing.assert_close(program(x), model(x), rtol=0, atol=1e-6)

    a, b = Input((4,), name="a"), Input((3,), name="b")
    functional = Model({"a": a, "b": b}, Dense(2)(torch.cat([a, torch.tanh(b)], dim=-1)))
    export_model(functional, tmp_path / "fn.pt2", verbose=False)
    xa, xb = torch.randn(3, 4), torch.randn(3, 3)
    reloaded = torch.export.load(tmp_path / "fn.pt2").module()
    torch.testing.assert_close(reloaded(xa, xb), functional({"a": xa, "b": xb}), rtol=0, atol=1e-6)


def test_subclassed_model_uses_its_build_shape_or_a_signature(tmp_path):
    model = built_net(0)
    export_model(model, tmp_path / "net.pt2", verbose=False)
    x = torch.randn(6, 4)
    torch.testing.assert_close(torch.export.load(tmp_path / "net.pt2").module()(x), model(x))
    unbuilt = Sequential([Dense(3)])
    with pytest.raises(SavingError, match="input shape is unknown. Pass `input_signature`"):
        export_model(unbuilt, tmp_path / "u.pt2")
    export_model(unbuilt, tmp_path / "u.pt2", verbose=False, input_signature=[(None, 7)])
    assert torch.export.load(tmp_path / "u.pt2").module()(torch.ones(2, 7)).shape == (2, 3)


def test_format_errors(tmp_path):
    with pytest.raises(ValueError, match="Unrecognized format"):
        export_model(built_net(), tmp_path / "x", format="tf_saved_model")
    if importlib.util.find_spec("onnx") is None:
        with pytest.raises(ImportError, match="requires the `onnx` package"):
            export_model(built_net(), tmp_path / "x.onnx", format="onnx")
