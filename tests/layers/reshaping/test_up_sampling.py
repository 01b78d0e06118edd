"""UpSampling1D/2D/3D: conformance, Keras parity (nearest, bilinear, bicubic), values, errors."""

import numpy as np
import pytest
import torch
from conformance import run_layer_test

from torchkeras_lite.layers.reshaping.up_sampling import UpSampling1D, UpSampling2D, UpSampling3D


@pytest.mark.parametrize(
    ("cls", "kwargs", "shape", "out"),
    [
        (UpSampling1D, {}, (2, 4, 3), (2, 8, 3)),
        (UpSampling1D, {"size": 3}, (2, 2, 3), (2, 6, 3)),
        (UpSampling2D, {"size": (2, 3)}, (2, 3, 4, 2), (2, 6, 12, 2)),
        (UpSampling2D, {"size": 2, "data_format": "channels_first"}, (2, 2, 3, 4), (2, 2, 6, 8)),
        (UpSampling2D, {"size": (3, 2), "interpolation": "bilinear"}, (2, 3, 4, 2), (2, 9, 8, 2)),
        (UpSampling2D, {"size": 2, "interpolation": "bilinear", "data_format": "channels_first"}, (2, 2, 3, 4), (2, 2, 6, 8)),
        (UpSampling2D, {"size": 2, "interpolation": "bicubic"}, (1, 4, 3, 2), (1, 8, 6, 2)),
        (UpSampling3D, {}, (1, 2, 3, 2, 2), (1, 4, 6, 4, 2)),
        (UpSampling3D, {"size": (1, 2, 3), "data_format": "channels_first"}, (1, 2, 2, 3, 2), (1, 2, 2, 6, 6)),
    ],
)  # fmt: skip
def test_up_sampling_conformance(cls, kwargs, shape, out):
    run_layer_test(
        cls,
        kwargs,
        input_shape=shape,
        expected_output_shape=out,
        expected_num_trainable_weights=0,
        supports_masking=False,
    )


def test_nearest_repeats_exactly_and_keeps_integer_dtypes():
    x = torch.tensor([[[1, 2], [3, 4]]]).view(1, 2, 2, 1)
    y = UpSampling2D((2, 3))(x)
    assert y.dtype == torch.int64 and y[0, :, :, 0].tolist() == [
        [1, 1, 1, 2, 2, 2],
        [1, 1, 1, 2, 2, 2],
        [3, 3, 3, 4, 4, 4],
        [3, 3, 3, 4, 4, 4],
    ]
    assert UpSampling1D(3)(torch.tensor([[[1.0], [2.0]]])).flatten().tolist() == [1, 1, 1, 2, 2, 2]


def test_nearest_gradient_sums_the_copies():
    x = torch.ones(1, 2, 2, 1, requires_grad=True)
    UpSampling2D((2, 3))(x).sum().backward()
    assert bool((x.grad == 6.0).all())


def test_interpolation_modes_match_keras_for_odd_factors():
    kr = pytest.importorskip("keras")
    rng = np.random.default_rng(7)
    x = rng.standard_normal((2, 5, 4, 3)).astype("float32")
    for mode in ("nearest", "bilinear", "bicubic"):
        kwargs = dict(size=(3, 5), interpolation=mode)
        got = UpSampling2D(**kwargs)(torch.from_numpy(x)).numpy()
        want = kr.ops.convert_to_numpy(kr.layers.UpSampling2D(**kwargs)(x))
        np.testing.assert_allclose(got, want, atol=1e-5, err_msg=mode)


@pytest.mark.parametrize(
    ("cls", "kwargs", "err", "match"),
    [
        (UpSampling1D, {"size": 2.0}, TypeError, "Received: size=2.0"),
        (UpSampling1D, {"size": 0}, ValueError, "Received: size=0"),
        (UpSampling2D, {"size": (2, 0)}, ValueError, r"Received: size=\(2, 0\)"),
        (UpSampling2D, {"interpolation": "lanczos3"}, ValueError, "Received: interpolation='lanczos3'"),
        (UpSampling2D, {"interpolation": "area"}, ValueError, "Received: interpolation='area'"),
        (UpSampling3D, {"size": (2, 2)}, ValueError, r"tuple of 3 integers.*size=\(2, 2\)"),
        (UpSampling3D, {"data_format": "NDHWC"}, ValueError, "Received: data_format='NDHWC'"),
    ],
)  # fmt: skip
def test_constructor_errors(cls, kwargs, err, match):
    with pytest.raises(err, match=match):
        cls(**kwargs)
