"""`to_categorical` and `normalize` against Keras."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from torchkeras_lite import utils

keras = pytest.importorskip("keras")


@pytest.mark.parametrize(
    "x,num_classes", [([0, 2, 1], None), ([[1], [0]], 3), (np.array([[0, 1], [2, 2]]), 4)]
)
def test_to_categorical_matches_keras(x, num_classes):
    expected = keras.utils.to_categorical(x, num_classes)
    got = utils.to_categorical(x, num_classes)
    assert isinstance(got, np.ndarray) and got.dtype == expected.dtype
    np.testing.assert_array_equal(got, expected)


def test_to_categorical_of_tensors_gives_float_tensors():
    out = utils.to_categorical(torch.tensor([[1], [0]]), num_classes=3)
    assert isinstance(out, torch.Tensor) and out.dtype == torch.float32
    np.testing.assert_array_equal(out, [[0, 1, 0], [1, 0, 0]])
    with pytest.raises(ValueError, match=r"Class ids must be in \[0, num_classes=2\)"):
        utils.to_categorical([0, 2], num_classes=2)


@pytest.mark.parametrize("order,axis", [(2, -1), (1, -1), (3, 1)])
def test_normalize_matches_keras(order, axis):
    x = np.array([[3.0, 4.0], [0.0, 0.0], [1.0, -2.0]])
    np.testing.assert_allclose(
        utils.normalize(x, axis, order), keras.utils.normalize(x, axis, order)
    )
    columns = utils.normalize(x, axis=0)  # Keras 3.15 mis-broadcasts axis=0; numpy's meaning here
    np.testing.assert_allclose(columns, x / np.linalg.norm(x, axis=0, keepdims=True))
    tensor = utils.normalize(torch.tensor([[3.0, 4.0]]))
    assert isinstance(tensor, torch.Tensor)
    np.testing.assert_allclose(tensor, [[0.6, 0.8]], atol=1e-6)
