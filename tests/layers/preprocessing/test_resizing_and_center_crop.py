"""Resizing and CenterCrop: conformance, Keras parity (layouts, options, dtypes), errors."""

import numpy as np
import pytest
import torch
from conformance import run_layer_test

from torchkeras_lite.layers.preprocessing import CenterCrop, Resizing

RNG = np.random.default_rng(4)
X = RNG.random((2, 7, 10, 3)).astype("float32")


def test_resizing_conformance():
    run_layer_test(
        Resizing,
        {"height": 4, "width": 5, "crop_to_aspect_ratio": True},
        input_data=X,
        input_shape=None,
        expected_output_shape=(2, 4, 5, 3),
        expected_num_non_trainable_weights=0,
    )


@pytest.mark.parametrize(
    "kwargs",
    [
        {"interpolation": "nearest"},
        {"interpolation": "bicubic", "antialias": True},
        {"pad_to_aspect_ratio": True, "fill_value": 0.5},
        {"data_format": "channels_first"},
    ],
)
def test_resizing_options_match_keras(kwargs):
    keras = pytest.importorskip("keras")
    x = X.transpose(0, 3, 1, 2).copy() if kwargs.get("data_format") == "channels_first" else X
    ours, ref = Resizing(5, 4, **kwargs), keras.layers.Resizing(5, 4, **kwargs)
    for inputs in (x, x[0]):
        out = ours(inputs)
        np.testing.assert_allclose(out.numpy(), keras.ops.convert_to_numpy(ref(inputs)), atol=1e-5)
        assert tuple(out.shape) == ours.compute_output_shape(inputs.shape)


def test_resizing_keeps_integer_dtypes_like_keras():
    keras = pytest.importorskip("keras")
    xi = (X * 255).astype("uint8")
    out = Resizing(3, 4)(xi)
    assert out.dtype == torch.uint8
    np.testing.assert_array_equal(
        out.numpy(), keras.ops.convert_to_numpy(keras.layers.Resizing(3, 4)(xi))
    )


def test_center_crop_conformance():
    layer = run_layer_test(
        CenterCrop,
        {"height": 4, "width": 6},
        input_data=X,
        input_shape=None,
        expected_output_shape=(2, 4, 6, 3),
    )
    out = layer(torch.from_numpy(X))
    assert out.data_ptr() == torch.from_numpy(X).data_ptr() + (1 * 10 + 2) * 3 * 4  # a view


@pytest.mark.parametrize("size", [(4, 6), (9, 4), (12, 12), (7, 10)])
def test_center_crop_matches_keras_including_upscaling(size):
    keras = pytest.importorskip("keras")
    ours, ref = CenterCrop(*size), keras.layers.CenterCrop(*size)
    for inputs in (X, X[0], (X * 255).astype("uint8")):
        out = ours(inputs)
        np.testing.assert_allclose(out.numpy(), keras.ops.convert_to_numpy(ref(inputs)), atol=1e-4)
        assert out.dtype == torch.float32
    xc = X.transpose(0, 3, 1, 2).copy()
    out = CenterCrop(*size, data_format="channels_first")(xc)
    ref = keras.layers.CenterCrop(*size, data_format="channels_first")(xc)
    np.testing.assert_allclose(out.numpy(), keras.ops.convert_to_numpy(ref), atol=1e-5)


def test_image_layer_errors():
    with pytest.raises(ValueError, match="Lanczos interpolation is not supported.*'lanczos3'"):
        Resizing(2, 2, interpolation="lanczos3")
    with pytest.raises(
        ValueError, match=r"Unknown `interpolation`.*Received: interpolation='area'"
    ):
        Resizing(2, 2, interpolation="area")
    with pytest.raises(ValueError, match="Only `'constant'` is supported.*fill_mode='reflect'"):
        Resizing(2, 2, fill_mode="reflect")
    with pytest.raises(
        ValueError, match="Only one of `pad_to_aspect_ratio`.*crop_to_aspect_ratio=True"
    ):
        Resizing(2, 2, crop_to_aspect_ratio=True, pad_to_aspect_ratio=True)
    with pytest.raises(ValueError, match="`height` must be a positive integer. Received: height=0"):
        Resizing(0, 2)
    with pytest.raises(ValueError, match="`width` must be a positive integer. Received: width=2.5"):
        CenterCrop(2, 2.5)
    with pytest.raises(ValueError, match=r"rank 3 \(single image\) or 4.*data.shape=\(2, 3\)"):
        CenterCrop(1, 1)(torch.ones(2, 3))
    with pytest.raises(ValueError, match=r"image shape of rank 3.*input_shape=\(2, 3\)"):
        CenterCrop(1, 1).compute_output_shape((2, 3))
    with pytest.raises(ValueError, match="`data_format` argument must be one of.*'nhwc'"):
        CenterCrop(1, 1, data_format="nhwc")
