"""SpatialDropout1D/2D/3D: whole channels dropped, data_format, Keras' constructor, conformance."""

import pytest
import torch
from conformance import run_layer_test

from torchkeras_lite.layers.regularization import (
    SpatialDropout1D,
    SpatialDropout2D,
    SpatialDropout3D,
)

CASES = [
    (SpatialDropout1D, {}, (4, 6, 8)),
    (SpatialDropout2D, {}, (4, 3, 3, 8)),
    (SpatialDropout2D, {"data_format": "channels_first"}, (4, 8, 3, 3)),
    (SpatialDropout3D, {}, (2, 2, 3, 2, 8)),
    (SpatialDropout3D, {"data_format": "channels_first"}, (2, 8, 2, 3, 2)),
]


@pytest.mark.parametrize("cls, kwargs, shape", CASES)
def test_spatial_dropout_conformance(cls, kwargs, shape):
    run_layer_test(cls, {"rate": 0.5, **kwargs}, input_shape=shape, expected_output_shape=shape)


@pytest.mark.parametrize("cls, kwargs, shape", CASES)
def test_spatial_dropout_drops_whole_channels(cls, kwargs, shape):
    out = cls(0.5, seed=3, **kwargs)(torch.ones(shape), training=True)
    channel = 1 if kwargs.get("data_format") == "channels_first" else -1
    per_channel = out.movedim(channel, 1).flatten(2)  # (batch, channels, positions)
    assert torch.equal(per_channel, per_channel[:, :, :1].expand_as(per_channel))
    assert set(per_channel.unique().tolist()) == {0.0, 2.0}


def test_spatial_dropout_inactive_at_inference_and_checks_rank():
    x = torch.randn(2, 3, 4)
    assert SpatialDropout1D(0.5)(x) is x
    with pytest.raises(ValueError, match="expected ndim=4, found ndim=3"):
        SpatialDropout2D(0.5)(x)


def test_spatial_dropout_config_is_keras_shaped():
    config = SpatialDropout2D(0.3, data_format="channels_first", seed=1, name="sd").get_config()
    assert config == {
        "rate": 0.3,
        "seed": 1,
        "name": "sd",
        "dtype": "float32",
        "data_format": "channels_first",
    }
    with pytest.raises(TypeError):
        SpatialDropout1D(0.5, trainable=False)  # as in Keras: no other base-layer arguments
    with pytest.raises(ValueError, match="Received: rate=2"):
        SpatialDropout1D(2)
    with pytest.raises(ValueError, match="data_format"):
        SpatialDropout2D(0.5, data_format="channels_middle")
