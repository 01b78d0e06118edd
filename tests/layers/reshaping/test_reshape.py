"""Reshape: target shapes with -1, compute_output_shape with unknown sizes, errors."""

import pytest
import torch
from conformance import run_layer_test

from torchkeras_lite.layers.reshaping import Reshape


@pytest.mark.parametrize(
    "target, shape, out",
    [((3, 4), (2, 12), (2, 3, 4)), ((-1, 2), (2, 3, 4), (2, 6, 2)), ((24,), (2, 2, 3, 4), (2, 24))],
)
def test_reshape_conformance(target, shape, out):
    run_layer_test(Reshape, {"target_shape": target}, shape, out)


def test_reshape_values_and_unknown_sizes():
    x = torch.arange(12.0).reshape(1, 12)
    torch.testing.assert_close(Reshape((3, -1))(x), x.reshape(1, 3, 4))
    assert Reshape((-1, 2)).compute_output_shape((None, None, 4)) == (None, None, 2)
    assert Reshape((2, 3)).get_config()["target_shape"] == (2, 3)


def test_reshape_errors():
    with pytest.raises(
        ValueError,
        match=r"total size of the tensor must be unchanged. Received: input_shape=\(5,\), target_shape=\(2, 3\)",
    ):
        Reshape((2, 3))(torch.ones(2, 5))
    with pytest.raises(ValueError, match="cannot be divided by the specified dimensions"):
        Reshape((-1, 4))(torch.ones(2, 6))
    with pytest.raises(
        ValueError, match=r"at most one unknown dimension \(-1\).*Received: target_shape=\(-1, -1\)"
    ):
        Reshape((-1, -1))
    with pytest.raises(
        ValueError, match=r"non-negative integer, or `-1`.*Received: target_shape=\(-2, 3\)"
    ):
        Reshape((-2, 3))
