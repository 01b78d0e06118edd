"""Rescaling: values, per-channel scales, masks, config, Keras parity (and the family's compile check)."""

import numpy as np
import pytest
import torch
from conformance import run_layer_test

from torchkeras_lite.backend import config
from torchkeras_lite.layers.preprocessing import Rescaling


def test_rescaling_conformance_with_compile_check():
    run_layer_test(
        Rescaling,
        {"scale": 1.0 / 127.5, "offset": -1.0},
        input_shape=(2, 4, 4, 3),
        expected_output_shape=(2, 4, 4, 3),
        expected_num_trainable_weights=0,
        expected_num_non_trainable_weights=0,
        supports_masking=True,
        run_compile_check=True,
    )


def test_rescaling_per_channel_scale_matches_keras():
    keras = pytest.importorskip("keras")
    x = np.random.default_rng(0).random((2, 3, 3, 3)).astype("float32") * 255
    kwargs = {"scale": np.array([0.5, 2.0, 1.0 / 255]), "offset": np.array([1.0, 0.0, -1.0])}
    ours = Rescaling(**kwargs)(x)
    ref = keras.ops.convert_to_numpy(keras.layers.Rescaling(**kwargs)(x))
    np.testing.assert_allclose(ours.numpy(), ref, atol=1e-5)
    clone = Rescaling.from_config(Rescaling(**kwargs).get_config())
    np.testing.assert_allclose(clone(x).numpy(), ref, atol=1e-5)


def test_rescaling_ints_become_floats_and_masks_pass_through():
    x = torch.tensor([[0, 255]], dtype=torch.uint8)
    out = Rescaling(1.0 / 255)(x)
    assert out.dtype == torch.float32 and torch.allclose(out, torch.tensor([[0.0, 1.0]]))
    y = torch.ones(2, 3)
    y._keras_mask = torch.tensor([True, False])
    assert torch.equal(Rescaling(2.0)(y)._keras_mask, y._keras_mask)


def test_rescaling_channels_first_scale_aligns_with_the_channel_axis():
    config.set_image_data_format("channels_first")
    try:
        layer = Rescaling(scale=[1.0, 10.0])
    finally:
        config.set_image_data_format("channels_last")
    out = layer(torch.ones(1, 2, 3, 3))
    assert torch.equal(out[0, 0], torch.ones(3, 3)) and torch.equal(
        out[0, 1], torch.full((3, 3), 10.0)
    )


def test_rescaling_config_reads_keras_numpy_arrays():
    cfg = {"scale": {"class_name": "__numpy__", "config": {"value": [2.0], "dtype": "float32"}}}
    layer = Rescaling.from_config(cfg)
    assert layer.get_config()["scale"] == [2.0]
    assert torch.equal(layer(torch.ones(1, 1)), torch.full((1, 1), 2.0))


def test_rescaling_rejects_non_numeric_scale():
    with pytest.raises(
        ValueError, match=r"`scale` must be a number or an array.*Received: scale='x'"
    ):
        Rescaling("x")
