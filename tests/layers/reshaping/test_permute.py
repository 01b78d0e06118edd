"""Permute: axis permutations (Keras parity), input rank check, errors."""

import pytest
import torch
from conformance import run_layer_test

from torchkeras_lite.layers.reshaping import Permute


@pytest.mark.parametrize(
    "dims, shape, out", [((2, 1), (2, 3, 4), (2, 4, 3)), ((3, 1, 2), (2, 3, 4, 5), (2, 5, 3, 4))]
)
def test_permute_conformance(dims, shape, out):
    run_layer_test(Permute, {"dims": dims}, shape, out)


def test_permute_values_and_rank_check():
    x = torch.randn(2, 3, 4)
    torch.testing.assert_close(Permute((2, 1))(x), x.transpose(1, 2))
    with pytest.raises(ValueError, match="expected ndim=3, found ndim=4"):
        Permute((2, 1))(torch.ones(1, 2, 3, 4))


@pytest.mark.parametrize("dims", [(0, 1), (1, 3), (2, 2), (1, 2, 4)])
def test_permute_invalid_dims(dims):
    with pytest.raises(ValueError, match=r"must be consecutive and start from 1. Received: dims="):
        Permute(dims)
