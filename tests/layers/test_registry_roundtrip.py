"""Every layer exported by `torchkeras_lite.layers` round-trips through get_config/from_config.

When you export a new layer, add it to SAMPLE_KWARGS below: the constructor arguments of a
representative instance (prefer non-default values, they test more). A value may also be a
zero-argument function returning the kwargs, for arguments that are objects (cells, wrapped
layers). Exported classes without an entry fail `test_every_exported_layer_has_sample_kwargs`, so
nobody forgets. Abstract bases and classes that are not meant to be built from a config go in SKIP.
"""

import inspect
import json

import pytest
from torch import nn

import torchkeras_lite as keras
from torchkeras_lite import layers
from torchkeras_lite.initializers import Constant

SKIP = {
    "Layer",  # the base class
    "InputLayer",  # made by keras.Input; covered by the functional-API tests
}

SAMPLE_KWARGS = {
    # core
    "Dense": {
        "units": 3,
        "activation": "relu",
        "kernel_regularizer": "l2",
        "bias_constraint": "non_neg",
    },
    "EinsumDense": {"equation": "abc,cd->abd", "output_shape": (None, 4), "bias_axes": "d"},
    "Embedding": {"input_dim": 10, "output_dim": 4, "mask_zero": True},
    "Identity": {},
    "Lambda": {"function": keras.activations.relu, "output_shape": (3,)},
    "Masking": {"mask_value": -1.0},
    # activations
    "Activation": {"activation": "gelu"},
    # normalization
    "BatchNormalization": {
        "axis": 1,
        "momentum": 0.9,
        "center": False,
        "gamma_initializer": Constant(2.0),
    },
    "LayerNormalization": {"axis": [1, 2], "epsilon": 1e-5, "scale": False},
    # regularization
    "Dropout": {"rate": 0.3, "noise_shape": (None, 1, 4), "seed": 1},
    "SpatialDropout1D": {"rate": 0.2, "seed": 3},
    "SpatialDropout2D": {"rate": 0.2, "data_format": "channels_first"},
    "SpatialDropout3D": {"rate": 0.2},
    "GaussianNoise": {"stddev": 0.1, "seed": 2},
    # reshaping
    "Flatten": {"data_format": "channels_first"},
    "Reshape": {"target_shape": (2, -1)},
    "Permute": {"dims": (2, 1)},
    "RepeatVector": {"n": 3},
    # rnn
    "SimpleRNN": {"units": 3},
    "GRU": {"units": 3},
    "LSTM": {"units": 3},
    "SimpleRNNCell": {"units": 3},
    "GRUCell": {"units": 3},
    "LSTMCell": {"units": 3},
    "RNN": lambda: {"cell": layers.LSTMCell(3)},
    "StackedRNNCells": lambda: {"cells": [layers.LSTMCell(3), layers.GRUCell(2)]},
    "Bidirectional": lambda: {"layer": layers.LSTM(3, return_sequences=True)},
    "TimeDistributed": lambda: {"layer": layers.Dense(2)},
    "ConvLSTM1D": {"filters": 2, "kernel_size": 3},
    "ConvLSTM2D": {"filters": 2, "kernel_size": (3, 3)},
    "ConvLSTM3D": {"filters": 2, "kernel_size": 3},
    # preprocessing
    "CategoryEncoding": {"num_tokens": 5, "output_mode": "count"},
    "CenterCrop": {"height": 4, "width": 3},
    "Discretization": {"bin_boundaries": [0.0, 1.0], "output_mode": "one_hot"},
    "Hashing": {"num_bins": 4, "salt": [1, 2], "mask_value": ""},
    "IntegerLookup": {"vocabulary": [3, 5], "mask_token": 0, "output_mode": "multi_hot"},
    "Normalization": {"axis": (1, 2), "mean": [1.0, 2.0], "variance": [1.0, 4.0]},
    "RandomContrast": {"factor": (0.2, 0.4), "value_range": (0, 1)},
    "RandomCrop": {"height": 4, "width": 3, "seed": 5},
    "RandomFlip": {"mode": "horizontal", "seed": 1},
    "RandomRotation": {"factor": (-0.1, 0.2), "fill_mode": "constant", "seed": 2},
    "RandomTranslation": {"height_factor": 0.1, "width_factor": 0.2, "fill_value": 1.0},
    "RandomZoom": {"height_factor": 0.2, "width_factor": (-0.1, 0.3), "interpolation": "nearest"},
    "Rescaling": {"scale": 0.5, "offset": -0.5},
    "Resizing": {"height": 4, "width": 3, "interpolation": "nearest", "pad_to_aspect_ratio": True},
    "StringLookup": {"vocabulary": ["a", "b"], "num_oov_indices": 2, "mask_token": ""},
}


def _exported_layer_classes() -> dict[str, type]:
    found = {}
    for name, obj in sorted(vars(layers).items()):
        if isinstance(obj, type) and issubclass(obj, nn.Module) and issubclass(obj, layers.Layer):
            if name not in SKIP and not inspect.isabstract(obj):
                found[name] = obj
    return found


EXPORTED = _exported_layer_classes()


def _normalized(config: dict) -> dict:
    return json.loads(json.dumps(config))


def test_every_exported_layer_has_sample_kwargs():
    missing = sorted(set(EXPORTED) - set(SAMPLE_KWARGS))
    assert not missing, (
        f"Exported layers without an entry in SAMPLE_KWARGS (tests/layers/test_registry_roundtrip.py): "
        f"{missing}. Add their sample constructor arguments there."
    )


@pytest.mark.parametrize("name", sorted(set(EXPORTED) & set(SAMPLE_KWARGS)))
def test_get_config_from_config_round_trip(name):
    cls = EXPORTED[name]
    kwargs = SAMPLE_KWARGS[name]
    kwargs = kwargs() if callable(kwargs) else kwargs
    layer = cls(**kwargs, name=f"sample_{name.lower()}")
    config = layer.get_config()
    assert config["name"] == f"sample_{name.lower()}"
    json.dumps(config)  # JSON-ready
    clone = cls.from_config(config)
    assert type(clone) is cls
    assert _normalized(clone.get_config()) == _normalized(config)
    restored = layers.deserialize(json.loads(json.dumps(layers.serialize(layer))))
    assert type(restored) is cls
    assert _normalized(restored.get_config()) == _normalized(config)
