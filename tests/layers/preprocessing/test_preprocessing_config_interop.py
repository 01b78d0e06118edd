"""Configs move both ways between Keras 3 and our preprocessing layers."""

import pytest

from torchkeras_lite.layers import preprocessing as P

CASES = {
    "Rescaling": {"scale": 0.5, "offset": 1.0},
    "Normalization": {"axis": -1, "mean": [1.0, 2.0], "variance": [1.0, 2.0]},
    "Discretization": {"bin_boundaries": [0.0, 1.0], "output_mode": "count"},
    "CategoryEncoding": {"num_tokens": 4, "output_mode": "one_hot"},
    "CenterCrop": {"height": 2, "width": 3},
    "Resizing": {"height": 2, "width": 3, "interpolation": "bicubic", "antialias": True},
    "RandomFlip": {"mode": "vertical", "seed": 3},
    "RandomRotation": {"factor": 0.2, "fill_mode": "nearest"},
    "RandomZoom": {"height_factor": (0.1, 0.2), "width_factor": None},
    "RandomTranslation": {"height_factor": 0.1, "width_factor": (-0.2, 0.1)},
    "RandomContrast": {"factor": 0.3, "value_range": (0, 1)},
    "RandomCrop": {"height": 3, "width": 3, "seed": 4},
}


def _comparable(config):
    return {k: v for k, v in config.items() if k not in ("name", "dtype", "trainable", "sparse")}


@pytest.mark.parametrize("name", sorted(CASES))
def test_configs_load_both_ways(name):
    keras = pytest.importorskip("keras")
    keras_layer = getattr(keras.layers, name)(**CASES[name])
    ours = getattr(P, name).from_config(keras_layer.get_config())
    assert _comparable(ours.get_config()) == _comparable(keras_layer.get_config())
    back = getattr(keras.layers, name).from_config(getattr(P, name)(**CASES[name]).get_config())
    assert _comparable(back.get_config()) == _comparable(keras_layer.get_config())
