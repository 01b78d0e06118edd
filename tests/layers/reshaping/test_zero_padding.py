"""ZeroPadding1D/2D/3D: conformance, Keras parity, argument forms, errors."""

import pytest
import torch
from conformance import run_layer_test

from torchkeras_lite.layers.reshaping.zero_padding import (
    ZeroPadding1D,
    ZeroPadding2D,
    ZeroPadding3D,
)


@pytest.mark.parametrize(
    ("cls", "kwargs", "shape", "out"),
    [
        (ZeroPadding1D, {}, (2, 4, 3), (2, 6, 3)),
        (ZeroPadding1D, {"padding": (0, 2), "data_format": "channels_first"}, (2, 3, 4), (2, 3, 6)),
        (ZeroPadding2D, {"padding": ((1, 0), (2, 3))}, (2, 3, 4, 2), (2, 4, 9, 2)),
        (ZeroPadding2D, {"padding": 2, "data_format": "channels_first"}, (2, 2, 3, 4), (2, 2, 7, 8)),
        (ZeroPadding3D, {}, (1, 2, 3, 4, 2), (1, 4, 5, 6, 2)),
        (ZeroPadding3D, {"padding": (1, (0, 2), 0), "data_format": "channels_first"}, (1, 2, 2, 3, 4), (1, 2, 4, 5, 4)),
    ],
)  # fmt: skip
def test_zero_padding_conformance(cls, kwargs, shape, out):
    run_layer_test(
        cls,
        kwargs,
        input_shape=shape,
        expected_output_shape=out,
        expected_num_trainable_weights=0,
        supports_masking=False,
    )


def test_zero_padding_values():
    y = ZeroPadding2D(((1, 0), (0, 2)))(torch.ones(1, 2, 2, 1))
    assert y[0, :, :, 0].tolist() == [[0.0] * 4, [1.0, 1.0, 0.0, 0.0], [1.0, 1.0, 0.0, 0.0]]
    assert ZeroPadding2D((1, 2)).padding == ((1, 1), (2, 2))
    assert ZeroPadding1D(3).padding == (3, 3)
    assert ZeroPadding3D(1).compute_output_shape((None, None, 2, 3, 4)) == (None, None, 4, 5, 4)


@pytest.mark.parametrize(
    ("cls", "kwargs", "match"),
    [
        (ZeroPadding1D, {"padding": (1, 2, 3)}, r"tuple of 2 integers.*padding=\(1, 2, 3\)"),
        (ZeroPadding1D, {"padding": -1}, "Received: padding=-1"),
        (ZeroPadding2D, {"padding": -2}, "cannot be negative. Received: padding=-2"),
        (ZeroPadding2D, {"padding": (1, 2, 3)}, r"should have 2 elements. Received: padding="),
        (ZeroPadding3D, {"padding": ((1, 1), (1, 1), (1, -1))}, "3rd entry of padding"),
        (ZeroPadding2D, {"padding": 1.5}, "Received: padding=1.5"),
    ],
)  # fmt: skip
def test_constructor_errors(cls, kwargs, match):
    with pytest.raises(ValueError, match=match):
        cls(**kwargs)
