"""`split_dataset`: sizes, order, shuffling and errors (Keras' torch-backend semantics)."""

from __future__ import annotations

import numpy as np
import pytest
import torch
from torch.utils.data import Subset, TensorDataset

from torchkeras_lite import utils


def test_split_arrays_as_in_keras_docs():
    data = np.random.random_sample((1000, 4))
    left, right = utils.split_dataset(data, left_size=0.8)
    assert isinstance(left, Subset) and (len(left), len(right)) == (800, 200)
    np.testing.assert_array_equal(left[0][0], data[0])  # unshuffled: the first samples go left
    xs, ys = np.arange(10.0), np.arange(10) % 2
    left, right = utils.split_dataset((xs, ys), right_size=3)
    assert len(left) == 7 and [float(s[0]) for s in right] == [7.0, 8.0, 9.0]


def test_split_torch_dataset_with_seeded_shuffle():
    data = TensorDataset(torch.arange(20))
    a = utils.split_dataset(data, left_size=5, right_size=10, shuffle=True, seed=1)
    b = utils.split_dataset(data, left_size=5, right_size=10, shuffle=True, seed=1)
    assert (len(a[0]), len(a[1])) == (5, 10) and a[0].indices == b[0].indices
    assert sorted(a[0].indices + a[1].indices) != list(range(15))  # shuffled


@pytest.mark.parametrize(
    "kwargs,error,match",
    [
        ({}, ValueError, "At least one of"),
        ({"left_size": 1.5}, ValueError, r"float `left_size` must be in \(0, 1\)"),
        ({"right_size": 10}, ValueError, r"int `right_size` must be in \(0, 10\)"),
        ({"left_size": "a"}, TypeError, "`left_size` must be an int"),
        ({"left_size": 0.6, "right_size": 0.6}, ValueError, "add up to at most 10"),
    ],
)
def test_split_errors(kwargs, error, match):
    with pytest.raises(error, match=match):
        utils.split_dataset(np.arange(10), **kwargs)
    with pytest.raises(TypeError, match="torch Dataset, an array"):
        utils.split_dataset({"a": 1}, left_size=0.5)
