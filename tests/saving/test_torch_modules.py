"""Native torch modules are saved as a torch.nn class path plus constructor arguments, never pickled."""

import json

import pytest
import torch
from torch import nn

import torchkeras_lite as keras
from torchkeras_lite.saving import SavingError
from torchkeras_lite.saving.torch_modules import deserialize_torch_module, serialize_torch_module


@pytest.mark.parametrize(
    "module",
    [
        nn.Linear(3, 2, bias=False),
        nn.Conv2d(3, 4, 3, stride=2, padding="valid", groups=1),
        nn.LayerNorm(4, bias=False),
        nn.BatchNorm1d(4, affine=False, momentum=0.2),
        nn.Embedding(10, 3, padding_idx=0),
        nn.GRU(3, 5, num_layers=2, batch_first=True),
        nn.MultiheadAttention(8, 2, kdim=4, vdim=6, batch_first=True),
        nn.Sequential(nn.Linear(2, 3), nn.GELU("tanh"), nn.Dropout(0.25)),
        nn.ModuleDict({"a": nn.Softmax(dim=-1), "b": nn.Linear(2, 2, dtype=torch.float64)}),
    ],
    ids=lambda m: type(m).__name__,
)
def test_round_trip_rebuilds_the_same_module(module):
    config = json.loads(json.dumps(serialize_torch_module(module)))  # through JSON, as on disk
    rebuilt = deserialize_torch_module(config)
    assert type(rebuilt) is type(module) and repr(rebuilt) == repr(module)
    shapes = {k: (v.shape, v.dtype) for k, v in module.state_dict().items()}
    assert {k: (v.shape, v.dtype) for k, v in rebuilt.state_dict().items()} == shapes


def test_defaults_stay_implicit():
    config = serialize_torch_module(nn.Linear(3, 2))["config"]
    assert config == {
        "class_path": "torch.nn.Linear",
        "args": {"in_features": 3, "out_features": 2},
        "dtype": "float32",
    }


def test_modules_whose_arguments_cannot_be_recovered_are_refused():
    with pytest.raises(SavingError, match=r"TransformerEncoderLayer without pickle: .*`d_model`"):
        serialize_torch_module(nn.TransformerEncoderLayer(8, 2))

    class Custom(nn.Module):
        def __init__(self):
            super().__init__()
            self.lin = nn.Linear(2, 2)

    with pytest.raises(SavingError, match="neither in `torch.nn` nor registered"):
        serialize_torch_module(Custom())


def test_registered_modules_use_get_config():
    @keras.saving.register_keras_serializable("saving_tests")
    class Scaled(nn.Module):
        def __init__(self, factor):
            super().__init__()
            self.factor = factor

        def get_config(self):
            return {"factor": self.factor}

    config = serialize_torch_module(Scaled(3.0))
    assert config["config"] == {"registered_name": "saving_tests>Scaled", "args": {"factor": 3.0}}
    assert deserialize_torch_module(config).factor == 3.0


@pytest.mark.parametrize(
    "path", ["os.system", "torch.load", "torch.nn.modules.module.__builtins__"]
)
def test_only_torch_nn_classes_are_imported(path):
    with pytest.raises(SavingError, match="Refusing to import"):
        deserialize_torch_module({"class_name": "__torch_module__", "config": {"class_path": path}})


def test_bad_arguments_raise_saving_errors():
    config = {
        "class_name": "__torch_module__",
        "config": {"class_path": "torch.nn.Linear", "args": {"in_features": "x"}},
    }
    with pytest.raises(SavingError, match="Could not rebuild the native module torch.nn.Linear"):
        deserialize_torch_module(config)
    with pytest.raises(SavingError, match="Not a torch.nn.Module class"):
        deserialize_torch_module(
            {"class_name": "__torch_module__", "config": {"class_path": "torch.nn.functional"}}
        )
