"""CategoryEncoding: one-hot / multi-hot / count (weighted) encodings vs Keras."""

import numpy as np
import pytest
import torch
from conformance import run_layer_test

from torchkeras_lite.layers.preprocessing import CategoryEncoding

RNG = np.random.default_rng(2)


def test_category_encoding_conformance():
    run_layer_test(
        CategoryEncoding,
        {"num_tokens": 12, "output_mode": "count"},
        input_shape=(4, 5),
        input_dtype="int64",
        expected_output_shape=(4, 12),
    )


@pytest.mark.parametrize("mode", ["one_hot", "multi_hot", "count"])
def test_category_encoding_matches_keras(mode):
    keras = pytest.importorskip("keras")
    ours, ref = CategoryEncoding(6, mode), keras.layers.CategoryEncoding(6, mode)
    for x in [RNG.integers(0, 6, (5, 3)), RNG.integers(0, 6, (5, 1)), RNG.integers(0, 6, (4,))]:
        a, b = ours(x), keras.ops.convert_to_numpy(ref(x))
        assert tuple(a.shape) == b.shape == tuple(ours.compute_output_shape(x.shape))
        np.testing.assert_array_equal(a.numpy(), b)
    a, b = ours([[0, 1], [5, 5]]), keras.ops.convert_to_numpy(ref([[0, 1], [5, 5]]))
    np.testing.assert_array_equal(a.numpy(), b)


def test_category_encoding_count_weights_match_keras():
    keras = pytest.importorskip("keras")
    x, w = RNG.integers(0, 6, (5, 3)), RNG.random((5, 3))
    ours = CategoryEncoding(6, "count")(x, count_weights=w)
    ref = keras.layers.CategoryEncoding(6, "count")(x, count_weights=w)
    np.testing.assert_allclose(ours.numpy(), keras.ops.convert_to_numpy(ref), atol=1e-6)


def test_category_encoding_scalars_and_out_of_range_values():
    assert torch.equal(CategoryEncoding(3, "multi_hot")(2), torch.tensor([0.0, 0.0, 1.0]))
    assert tuple(CategoryEncoding(3, "one_hot")(1).shape) == (1, 3)
    assert CategoryEncoding(3, "one_hot").compute_output_shape(()) == (1, 3)
    out = CategoryEncoding(3, "count")(torch.tensor([[0, 3, -1, 0]]))  # 3 and -1: no slot
    assert torch.equal(out, torch.tensor([[2.0, 0.0, 0.0]]))
    assert CategoryEncoding(3, "binary").output_mode == "multi_hot"


def test_category_encoding_errors():
    with pytest.raises(ValueError, match=r"Allowed values are.*Received: output_mode='bad'"):
        CategoryEncoding(3, "bad")
    with pytest.raises(ValueError, match="num_tokens must be set.*Received: num_tokens=None"):
        CategoryEncoding()
    with pytest.raises(ValueError, match=r"`num_tokens` must be >= 1. Received: num_tokens=0"):
        CategoryEncoding(0)
    with pytest.raises(ValueError, match="Received: sparse=True"):
        CategoryEncoding(3, sparse=True)
    with pytest.raises(ValueError, match="`count_weights` is not used when `output_mode` is not"):
        CategoryEncoding(3, "multi_hot")([[1]], count_weights=[[1.0]])
    with pytest.raises(TypeError, match="Expected numeric inputs.*dtype=<U1"):
        CategoryEncoding(3)(np.array(["a"]))
