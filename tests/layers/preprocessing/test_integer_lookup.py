"""IntegerLookup: Keras' documented mappings, on-device lookups, OOV methods, invert, adapt, errors."""

import numpy as np
import pytest
import torch
from conformance import run_layer_test
from torch.utils.data import DataLoader, TensorDataset

from torchkeras_lite.layers.preprocessing import IntegerLookup

VOCAB = [12, 36, 1138, 42]
DATA = np.array([[12, 1138, 42], [42, 1000, 36]])
DOCS = np.array([[12, 1138, 42, 42], [42, 7, 36, 7]])


def test_integer_lookup_conformance():
    run_layer_test(
        IntegerLookup,
        {"vocabulary": [3, 1, 4, 5, 9, 2, 6], "output_mode": "multi_hot"},
        input_shape=(4, 6),
        input_dtype="int64",
        expected_output_shape=(4, 8),
        keras_parity=False,  # Keras' IntegerLookup needs TensorFlow
    )


def test_integer_lookup_documented_mappings():
    out = IntegerLookup(vocabulary=VOCAB)(DATA)
    assert out.dtype == torch.int64 and out.tolist() == [[1, 3, 4], [4, 0, 2]]
    adapted = IntegerLookup()
    adapted.adapt(DATA)
    assert adapted.get_vocabulary() == [-1, 42, 1138, 1000, 36, 12]
    assert adapted(DATA).tolist() == [[5, 2, 1], [1, 3, 4]]
    two = IntegerLookup(vocabulary=VOCAB, num_oov_indices=2)
    assert two(np.array([[12, 1138, 42], [37, 1000, 36]])).tolist() == [[2, 4, 5], [1, 0, 3]]
    one_hot = IntegerLookup(vocabulary=VOCAB, output_mode="one_hot")(
        np.array([12, 36, 1138, 42, 7])
    )
    assert one_hot.dtype == torch.float32 and one_hot.argmax(-1).tolist() == [1, 2, 3, 4, 0]
    assert IntegerLookup(vocabulary=VOCAB, output_mode="count")(DOCS).tolist() == [
        [0, 1, 0, 1, 2],
        [2, 0, 1, 0, 1],
    ]
    tf_idf = IntegerLookup(
        vocabulary=VOCAB, output_mode="tf_idf", idf_weights=[0.25, 0.75, 0.6, 0.4]
    )
    np.testing.assert_allclose(
        tf_idf(DOCS).numpy(), [[0, 0.25, 0, 0.6, 0.8], [1.0, 0, 0.75, 0, 0.4]], atol=1e-6
    )


def test_integer_lookup_masks_invert_and_farmhash_oov():
    layer = IntegerLookup(vocabulary=VOCAB, mask_token=0)
    assert layer(torch.tensor([[12, 0, 7]], dtype=torch.int32)).tolist() == [[2, 0, 1]]
    dropped = IntegerLookup(vocabulary=VOCAB, mask_token=0, output_mode="multi_hot")
    assert dropped(torch.tensor([[0, 12]])).tolist() == [[0, 1, 0, 0, 0]]
    inverse = IntegerLookup(vocabulary=VOCAB, invert=True)
    assert inverse(torch.tensor([[1, 3, 4], [4, 0, 9]])).tolist() == [[12, 1138, 42], [42, -1, -1]]
    assert IntegerLookup(vocabulary=VOCAB, invert=True, mask_token=0)([0, 1, 2]).tolist() == [
        0,
        -1,
        12,
    ]
    hashed = IntegerLookup(vocabulary=VOCAB, num_oov_indices=3, oov_method="farmhash")
    out = hashed(torch.tensor([0, 1, 2, 3, 4, 12]))
    # FarmHash64 of "0".."4" modulo 3 (the Hashing layer's documented bins): 1, 0, 1, 0, 2
    assert out.tolist() == [1, 0, 1, 0, 2, 3]
    salted = IntegerLookup(
        vocabulary=VOCAB, num_oov_indices=3, oov_method="farmhash", salt=[133, 137]
    )
    assert salted(torch.tensor([0, 1, 2, 3, 4])).tolist() == [1, 1, 2, 0, 1]
    empty = IntegerLookup()
    assert empty(torch.tensor([5, 6])).tolist() == [0, 0]


def test_integer_lookup_adapt_streams_batches_and_config_round_trip():
    data = torch.tensor([[1, 2, 2], [3, 3, 3], [2, 9, 9]])
    from_loader = IntegerLookup(max_tokens=4, output_mode="tf_idf")
    from_loader.adapt(DataLoader(TensorDataset(data, torch.zeros(3)), batch_size=2))
    assert from_loader.get_vocabulary() == [-1, 3, 2, 9]
    direct = IntegerLookup(max_tokens=4, output_mode="tf_idf")
    direct.adapt(data)
    assert direct.get_vocabulary() == from_loader.get_vocabulary()
    clone = IntegerLookup.from_config(direct.get_config())
    assert torch.equal(clone(data), direct(data))
    assert clone.get_config()["vocabulary"] == [-1, 3, 2, 9]


def test_integer_lookup_errors():
    with pytest.raises(ValueError, match="Only `vocabulary_dtype='int64'`.*vocabulary_dtype=int32"):
        IntegerLookup(vocabulary_dtype="int32")
    with pytest.raises(ValueError, match=r"Allowed values are.*Received: oov_method='mod'"):
        IntegerLookup(oov_method="mod")
    with pytest.raises(ValueError, match="`salt` can only be used when `oov_method='farmhash'`"):
        IntegerLookup(salt=1)
    with pytest.raises(ValueError, match=r"num_oov_indices=0.*found OOV values \[7, 1000\]"):
        IntegerLookup(vocabulary=VOCAB, num_oov_indices=0)(np.array([12, 1000, 7]))
