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
    # attention
    "MultiHeadAttention": {
        "num_heads": 2,
        "key_dim": 3,
        "value_dim": 4,
        "dropout": 0.1,
        "output_shape": (5,),
        "attention_axes": (1,),
        "use_gate": True,
        "seed": 2,
    },
    "GroupedQueryAttention": {
        "head_dim": 2,
        "num_query_heads": 4,
        "num_key_value_heads": 2,
        "sliding_window": 3,
        "kernel_regularizer": "l2",
    },
    "GroupQueryAttention": {"head_dim": 2, "num_query_heads": 2, "num_key_value_heads": 1},
    "Attention": {"use_scale": True, "score_mode": "concat", "dropout": 0.2, "seed": 1},
    "AdditiveAttention": {"use_scale": False, "dropout": 0.1},
    # merging
    "Add": {},
    "Subtract": {},
    "Multiply": {},
    "Average": {},
    "Maximum": {},
    "Minimum": {},
    "Concatenate": {"axis": 1},
    "Dot": {"axes": (1, 2), "normalize": True},
    # activation layers
    "ReLU": {"max_value": 6.0, "negative_slope": 0.1, "threshold": 0.5},
    "LeakyReLU": {"negative_slope": 0.2},
    "PReLU": {"alpha_initializer": Constant(0.25), "alpha_regularizer": "l2", "shared_axes": [1]},
    "ELU": {"alpha": 0.5},
    "Softmax": {"axis": (1, 2)},
    # regularization extras
    "ActivityRegularization": {"l1": 0.01, "l2": 0.02},
    "AlphaDropout": {"rate": 0.2, "noise_shape": (None, 4), "seed": 3},
    "GaussianDropout": {"rate": 0.3, "seed": 4},
    # normalization extras
    "GroupNormalization": {"groups": 2, "axis": 1, "epsilon": 1e-4, "center": False},
    "UnitNormalization": {"axis": [1, 2]},
    "RMSNormalization": {"axis": [-2, -1], "epsilon": 1e-5},
    "SpectralNormalization": lambda: {"layer": layers.Dense(3), "power_iterations": 2},
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
    "SimpleRNN": {"units": 3, "activation": "relu", "go_backwards": True, "dropout": 0.1},
    "GRU": {"units": 3, "reset_after": False, "return_state": True, "use_cudnn": False},
    "LSTM": {"units": 3, "return_sequences": True, "unit_forget_bias": False, "seed": 2},
    "SimpleRNNCell": {"units": 3, "use_bias": False},
    "GRUCell": {"units": 3, "recurrent_dropout": 0.2, "reset_after": False},
    "LSTMCell": {"units": 3, "recurrent_activation": "hard_sigmoid", "kernel_regularizer": "l2"},
    "RNN": lambda: {"cell": layers.LSTMCell(3), "stateful": True, "zero_output_for_mask": True},
    "StackedRNNCells": lambda: {"cells": [layers.LSTMCell(3), layers.GRUCell(2)]},
    "Bidirectional": lambda: {"layer": layers.LSTM(3, return_sequences=True), "merge_mode": None},
    "TimeDistributed": lambda: {"layer": layers.Dense(2)},
    "ConvLSTM1D": {"filters": 2, "kernel_size": 3, "strides": 2, "padding": "same"},
    "ConvLSTM2D": {"filters": 2, "kernel_size": (3, 3), "data_format": "channels_first"},
    "ConvLSTM3D": {"filters": 2, "kernel_size": 3, "dilation_rate": 2, "return_state": True},
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
    # convolutional
    "Conv1D": {"filters": 4, "kernel_size": 3, "padding": "causal", "dilation_rate": 2},
    "Conv2D": {"filters": 4, "kernel_size": (3, 2), "strides": 2, "padding": "same", "groups": 2},
    "Conv3D": {"filters": 2, "kernel_size": 3, "data_format": "channels_first", "use_bias": False},
    "Conv1DTranspose": {"filters": 2, "kernel_size": 3, "strides": 2, "output_padding": 1},
    "Conv2DTranspose": {"filters": 2, "kernel_size": 3, "strides": 2, "padding": "same"},
    "Conv3DTranspose": {"filters": 2, "kernel_size": 2, "dilation_rate": 2},
    "DepthwiseConv1D": {"kernel_size": 3, "depth_multiplier": 2},
    "DepthwiseConv2D": {"kernel_size": 3, "padding": "same", "depthwise_regularizer": "l2"},
    "SeparableConv1D": {"filters": 3, "kernel_size": 3, "depth_multiplier": 2},
    "SeparableConv2D": {"filters": 3, "kernel_size": 3, "pointwise_constraint": "non_neg"},
    "Convolution1D": {"filters": 2, "kernel_size": 2},
    "Convolution2D": {"filters": 2, "kernel_size": 2},
    "Convolution3D": {"filters": 2, "kernel_size": 2},
    "Convolution1DTranspose": {"filters": 2, "kernel_size": 2},
    "Convolution2DTranspose": {"filters": 2, "kernel_size": 2},
    "Convolution3DTranspose": {"filters": 2, "kernel_size": 2},
    "SeparableConvolution1D": {"filters": 2, "kernel_size": 2},
    "SeparableConvolution2D": {"filters": 2, "kernel_size": 2},
    # pooling
    "MaxPooling1D": {"pool_size": 3, "strides": 2, "padding": "same"},
    "MaxPooling2D": {"pool_size": (2, 3), "data_format": "channels_first"},
    "MaxPooling3D": {"pool_size": 2, "padding": "same"},
    "AveragePooling1D": {"pool_size": 3, "strides": 1, "padding": "same"},
    "AveragePooling2D": {"pool_size": 2, "strides": (1, 2)},
    "AveragePooling3D": {"pool_size": (1, 2, 2), "data_format": "channels_first"},
    "GlobalMaxPooling1D": {"keepdims": True},
    "GlobalMaxPooling2D": {"data_format": "channels_first"},
    "GlobalMaxPooling3D": {},
    "GlobalAveragePooling1D": {"keepdims": True},
    "GlobalAveragePooling2D": {"data_format": "channels_first"},
    "GlobalAveragePooling3D": {},
    "MaxPool1D": {"pool_size": 2},
    "MaxPool2D": {"pool_size": 2},
    "MaxPool3D": {"pool_size": 2},
    "AvgPool1D": {"pool_size": 2},
    "AvgPool2D": {"pool_size": 2},
    "AvgPool3D": {"pool_size": 2},
    "GlobalMaxPool1D": {},
    "GlobalMaxPool2D": {},
    "GlobalMaxPool3D": {},
    "GlobalAvgPool1D": {},
    "GlobalAvgPool2D": {},
    "GlobalAvgPool3D": {},
    # spatial reshaping
    "Cropping1D": {"cropping": (0, 2)},
    "Cropping2D": {"cropping": ((1, 0), (2, 2)), "data_format": "channels_first"},
    "Cropping3D": {"cropping": 2},
    "ZeroPadding1D": {"padding": (2, 0)},
    "ZeroPadding2D": {"padding": ((1, 0), 2)},
    "ZeroPadding3D": {"padding": (1, 2, 3), "data_format": "channels_first"},
    "UpSampling1D": {"size": 3},
    "UpSampling2D": {"size": (2, 3), "interpolation": "bilinear"},
    "UpSampling3D": {"size": 2, "data_format": "channels_first"},
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
