"""Flatten: shapes, channels_first ordering (Keras parity), rank-1 inputs."""

import pytest
import torch
from conformance import run_layer_test

from torchkeras_lite.layers.reshaping import Flatten


@pytest.mark.parametrize(
    "kwargs, shape, out",
    [
        ({}, (2, 3, 4), (2, 12)),
        ({"data_format": "channels_first"}, (2, 3, 4, 5), (2, 60)),
        ({}, (3,), (3, 1)),
    ],
)
def test_flatten_conformance(kwargs, shape, out):
    run_layer_test(Flatten, kwargs, shape, out, expected_num_trainable_weights=0)


def test_channels_first_moves_channels_last_before_flattening():
    x = torch.arange(2 * 3 * 2 * 2, dtype=torch.float32).reshape(2, 3, 2, 2)
    out = Flatten(data_format="channels_first")(x)
    torch.testing.assert_close(out, x.permute(0, 2, 3, 1).reshape(2, -1))
    assert Flatten().compute_output_shape((None, 3, None)) == (None, None)
