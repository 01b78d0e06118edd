"""Cropping1D/2D/3D: conformance, Keras parity, argument forms, views, errors."""

import pytest
import torch
from conformance import run_layer_test

from torchkeras_lite.layers.reshaping.cropping import Cropping1D, Cropping2D, Cropping3D


@pytest.mark.parametrize(
    ("cls", "kwargs", "shape", "out"),
    [
        (Cropping1D, {}, (2, 5, 3), (2, 3, 3)),
        (Cropping1D, {"cropping": (0, 2)}, (2, 5, 3), (2, 3, 3)),
        (Cropping2D, {"cropping": ((1, 0), (2, 1))}, (2, 5, 6, 3), (2, 4, 3, 3)),
        (Cropping2D, {"cropping": (1, 2), "data_format": "channels_first"}, (2, 3, 5, 6), (2, 3, 3, 2)),
        (Cropping3D, {}, (1, 4, 5, 6, 2), (1, 2, 3, 4, 2)),
        (Cropping3D, {"cropping": ((0, 1), 2, (1, 0)), "data_format": "channels_first"}, (1, 2, 4, 5, 6), (1, 2, 3, 1, 5)),
    ],
)  # fmt: skip
def test_cropping_conformance(cls, kwargs, shape, out):
    run_layer_test(
        cls,
        kwargs,
        input_shape=shape,
        expected_output_shape=out,
        expected_num_trainable_weights=0,
        supports_masking=False,
    )


def test_cropping_values_and_views():
    x = torch.arange(24.0).view(1, 4, 6, 1)
    y = Cropping2D(((1, 2), (2, 0)))(x)
    assert torch.equal(y, x[:, 1:2, 2:, :])
    assert y.data_ptr() == x[:, 1:2, 2:, :].data_ptr()  # a view, no copy
    assert Cropping2D(1).cropping == ((1, 1), (1, 1))
    assert Cropping1D(2).cropping == (2, 2)
    assert Cropping2D(((1, 2), (2, 0))).compute_output_shape((None, None, 6, 1)) == (
        None,
        None,
        4,
        1,
    )


@pytest.mark.parametrize(
    ("cls", "kwargs", "match"),
    [
        (Cropping1D, {"cropping": (1, 2, 3)}, r"tuple of 2 integers.*cropping=\(1, 2, 3\)"),
        (Cropping1D, {"cropping": -1}, "Received: cropping=-1"),
        (Cropping2D, {"cropping": -1}, "cannot be negative. Received: cropping=-1"),
        (Cropping2D, {"cropping": (1, 2, 3)}, r"should have 2 elements. Received: cropping=\(1, 2, 3\)"),
        (Cropping2D, {"cropping": ((1, 2), (3,))}, r"2nd entry of cropping.*Received"),
        (Cropping2D, {"cropping": "1"}, "Received: cropping='1'"),
        (Cropping3D, {"cropping": (1, 2)}, r"should have 3 elements"),
        (Cropping3D, {"cropping": 1, "data_format": "x"}, "Received: data_format='x'"),
    ],
)  # fmt: skip
def test_constructor_errors(cls, kwargs, match):
    with pytest.raises(ValueError, match=match):
        cls(**kwargs)


def test_cropping_too_much_errors():
    with pytest.raises(
        ValueError, match=r"should be smaller.*Received: inputs.shape=\(1, 3, 4, 1\)"
    ):
        Cropping2D(((2, 1), (0, 0)))(torch.ones(1, 3, 4, 1))
    with pytest.raises(
        ValueError, match=r"should be smaller.*Received: input_shape=\(None, 2, 4\)"
    ):
        Cropping1D(1).compute_output_shape((None, 2, 4))
