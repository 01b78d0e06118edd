"""`pad_sequences` (and its `keras.preprocessing.sequence` alias) against Keras."""

from __future__ import annotations

import numpy as np
import pytest

from torchkeras_lite import preprocessing, utils

keras = pytest.importorskip("keras")

SEQS = [[1, 2, 3], [4], [5, 6, 7, 8, 9], []]


@pytest.mark.parametrize(
    "kwargs",
    [
        {},
        {"maxlen": 2},
        {"maxlen": 4, "padding": "post", "truncating": "post", "value": -1},
        {"dtype": "float32", "value": 0.5},
    ],
)
def test_pad_sequences_matches_keras(kwargs):
    expected = keras.utils.pad_sequences(SEQS, **kwargs)
    got = utils.pad_sequences(SEQS, **kwargs)
    assert got.dtype == expected.dtype
    np.testing.assert_array_equal(got, expected)


def test_multidimensional_items_strings_and_alias():
    seqs = [np.ones((2, 3)), np.ones((1, 3))]
    np.testing.assert_array_equal(
        utils.pad_sequences(seqs, dtype="float32"), keras.utils.pad_sequences(seqs, dtype="float32")
    )
    words = utils.pad_sequences([["a", "b"], ["c"]], dtype=object, value="<pad>")
    assert words.tolist() == [["a", "b"], ["<pad>", "c"]]
    assert preprocessing.sequence.pad_sequences is utils.pad_sequences
    assert utils.pad_sequences([]).shape == (0, 0)
    assert utils.pad_sequences(SEQS, maxlen=0).shape == (4, 0)


def test_pad_sequences_errors():
    with pytest.raises(ValueError, match='`padding` must be "pre" or "post"'):
        utils.pad_sequences(SEQS, padding="mid")
    with pytest.raises(ValueError, match='`truncating` must be "pre" or "post"'):
        utils.pad_sequences(SEQS, truncating="mid")
    with pytest.raises(ValueError, match="list of iterables"):
        utils.pad_sequences([1, 2])
    with pytest.raises(ValueError, match="must be iterable"):
        utils.pad_sequences(5)
    with pytest.raises(ValueError, match="string padding value"):
        utils.pad_sequences(SEQS, value="x")
    with pytest.raises(ValueError, match="per step"):
        utils.pad_sequences([np.ones((2, 3)), np.ones((2, 4))])
