"""StringLookup: Keras' documented index mappings, adapt ordering, TF-IDF, OOV hashing, invert,
config round trips and errors (Keras' lookup layers need TensorFlow, so values come from its docs)."""

import numpy as np
import pytest
import torch

from torchkeras_lite.layers.preprocessing import StringLookup

VOCAB = ["a", "b", "c", "d"]
DATA = [["a", "c", "d"], ["d", "z", "b"]]
DOCS = [["a", "c", "d", "d"], ["d", "z", "b", "z"]]


def test_string_lookup_documented_mappings():
    out = StringLookup(vocabulary=VOCAB)(DATA)
    assert out.dtype == torch.int64 and out.tolist() == [[1, 3, 4], [4, 0, 2]]
    two_oov = StringLookup(vocabulary=VOCAB, num_oov_indices=2)
    assert two_oov([["a", "c", "d"], ["m", "z", "b"]]).tolist() == [[2, 4, 5], [0, 1, 3]]
    one_hot = StringLookup(vocabulary=VOCAB, output_mode="one_hot")(["a", "b", "c", "d", "z"])
    assert one_hot.tolist() == np.eye(5)[[1, 2, 3, 4, 0]].tolist()
    assert StringLookup(vocabulary=VOCAB, output_mode="multi_hot")(DOCS).tolist() == [
        [0, 1, 0, 1, 1],
        [1, 0, 1, 0, 1],
    ]
    assert StringLookup(vocabulary=VOCAB, output_mode="count")(DOCS).tolist() == [
        [0, 1, 0, 1, 2],
        [2, 0, 1, 0, 1],
    ]
    assert StringLookup(vocabulary=VOCAB)(np.array([b"a", b"q"])).tolist() == [1, 0]


def test_string_lookup_tf_idf_with_given_weights():
    layer = StringLookup(output_mode="tf_idf")
    layer.set_vocabulary(VOCAB, idf_weights=[0.25, 0.75, 0.6, 0.4])
    expected = [[0.0, 0.25, 0.0, 0.6, 0.8], [1.0, 0.0, 0.75, 0.0, 0.4]]
    np.testing.assert_allclose(layer(DOCS).numpy(), expected, atol=1e-6)
    layer = StringLookup(output_mode="tf_idf")
    layer.set_vocabulary(["[UNK]", *VOCAB], idf_weights=[0.9, 0.25, 0.75, 0.6, 0.4])
    expected[1][0] = 1.8
    np.testing.assert_allclose(layer(DOCS).numpy(), expected, atol=1e-6)


def test_string_lookup_adapt_orders_by_count_then_token_descending():
    layer = StringLookup()
    layer.adapt(DATA)
    assert layer.get_vocabulary() == ["[UNK]", "d", "z", "c", "b", "a"]
    assert layer(DATA).tolist() == [[5, 3, 1], [1, 2, 4]]
    capped = StringLookup(max_tokens=3, mask_token="")
    capped.adapt(iter([np.array(["x", "y", "y", ""]), ["x", "y", "w"]]))
    assert capped.get_vocabulary() == ["", "[UNK]", "y"]
    assert capped.get_vocabulary(include_special_tokens=False) == ["y"]
    assert capped.vocabulary_size() == 3


def test_string_lookup_adapt_tf_idf_weights():
    layer = StringLookup(output_mode="tf_idf")
    layer.adapt([["a", "b", "b"], ["b", "c", "c"]])  # rows are documents
    assert layer.get_vocabulary() == ["[UNK]", "b", "c", "a"]
    idf = np.log(1 + 2 / (1 + np.array([2, 1, 1])))
    expected = np.concatenate([[idf.mean()], idf]) * np.array([0, 2, 0, 0])
    np.testing.assert_allclose(layer([["b", "b"]]).numpy()[0], expected, atol=1e-6)


def test_string_lookup_masks_salted_oov_and_invert():
    layer = StringLookup(vocabulary=VOCAB, mask_token="[MASK]")
    assert layer([["[MASK]", "a", "q"]]).tolist() == [[0, 2, 1]]
    multi = StringLookup(vocabulary=VOCAB, mask_token="[MASK]", output_mode="multi_hot")
    assert multi([["[MASK]", "a"]]).tolist() == [[0, 1, 0, 0, 0]]  # the mask is dropped
    salted = StringLookup(vocabulary=VOCAB, num_oov_indices=3, salt=[133, 137])
    assert all(0 <= int(i) < 3 for i in salted(["m", "z", "q", "r"]))
    inverse = StringLookup(vocabulary=VOCAB, invert=True)
    out = inverse([[1, 3, 4], [4, 0, 2]])
    assert out.tolist() == [["a", "c", "d"], ["d", "[UNK]", "b"]]
    assert inverse(StringLookup(vocabulary=VOCAB)(DATA)).tolist() == [
        ["a", "c", "d"],
        ["d", "[UNK]", "b"],
    ]
    masked = StringLookup(vocabulary=VOCAB, mask_token="", invert=True)
    assert masked(torch.tensor([0, 1, 2, 9])).tolist() == ["", "[UNK]", "a", "[UNK]"]


def test_string_lookup_config_carries_the_vocabulary(tmp_path):
    layer = StringLookup(output_mode="tf_idf", pad_to_max_tokens=True, max_tokens=8)
    layer.adapt(DOCS)
    clone = StringLookup.from_config(layer.get_config())
    assert clone.get_vocabulary() == layer.get_vocabulary()
    assert torch.equal(clone(DOCS), layer(DOCS)) and clone(DOCS).shape == (2, 8)
    clone.adapt(DATA)  # an adapted vocabulary can be re-adapted after a round trip
    path = tmp_path / "vocab.txt"
    path.write_text("a\nb\nc\n\n")
    from_file = StringLookup(vocabulary=str(path))
    assert from_file.get_vocabulary() == ["[UNK]", "a", "b", "c"]
    assert from_file.get_config()["vocabulary"] == ["[UNK]", "a", "b", "c"]
    assert from_file.compute_output_shape((2, 3)) == (2, 3)
    assert StringLookup(vocabulary=VOCAB, output_mode="one_hot").compute_output_shape((2, 1)) == (
        2,
        5,
    )


def test_string_lookup_errors(tmp_path):
    with pytest.raises(ValueError, match="`max_tokens` must be greater than 1.*max_tokens=1"):
        StringLookup(max_tokens=1)
    with pytest.raises(ValueError, match="pad_to_max_tokens is True, must set `max_tokens`"):
        StringLookup(pad_to_max_tokens=True)
    with pytest.raises(ValueError, match="`num_oov_indices` must be greater.*num_oov_indices=-1"):
        StringLookup(num_oov_indices=-1)
    with pytest.raises(ValueError, match=r"Allowed values are.*Received: output_mode='bad'"):
        StringLookup(output_mode="bad")
    with pytest.raises(ValueError, match="must be `'int'` when `invert` is true"):
        StringLookup(invert=True, output_mode="count")
    with pytest.raises(ValueError, match="Received: sparse=True"):
        StringLookup(output_mode="count", sparse=True)
    with pytest.raises(ValueError, match="`idf_weights` should only be set if `output_mode` is"):
        StringLookup(idf_weights=[1.0])
    with pytest.raises(ValueError, match="in TF-IDF output mode, the `idf_weights` argument must"):
        StringLookup(vocabulary=VOCAB, output_mode="tf_idf")
    with pytest.raises(ValueError, match=r"`salt`.*tuple of 2 integers.*Received: salt='s'"):
        StringLookup(salt="s")
    layer = StringLookup(output_mode="tf_idf")
    with pytest.raises(ValueError, match="`idf_weights` must be set if output_mode is 'tf_idf'"):
        layer.set_vocabulary(VOCAB)
    with pytest.raises(ValueError, match="`idf_weights` should only be set if output_mode is"):
        StringLookup().set_vocabulary(VOCAB, idf_weights=[1.0] * 4)
    with pytest.raises(ValueError, match="does not support loading a vocabulary from file"):
        layer.set_vocabulary("vocab.txt", idf_weights=[1.0])
    with pytest.raises(ValueError, match="Vocabulary file .*missing.txt does not exist"):
        StringLookup(vocabulary=str(tmp_path / "missing.txt"))
    with pytest.raises(
        ValueError, match=r"Cannot set an empty vocabulary. Received: vocabulary=\[\]"
    ):
        StringLookup(vocabulary=[])
    with pytest.raises(ValueError, match=r"repeated term.*The repeated terms are: \['a'\]"):
        StringLookup(vocabulary=["a", "b", "a"])
    with pytest.raises(ValueError, match="reserved token at unexpected location.*mask_token=m"):
        StringLookup(vocabulary=["a", "m"], mask_token="m")
    with pytest.raises(
        ValueError, match="reserved token.*oov_token=\\[UNK\\] at vocabulary index 1"
    ):
        StringLookup(vocabulary=["a", "[UNK]"], invert=True)
    with pytest.raises(ValueError, match="larger than the maximum vocab size.*`max_tokens` is 3"):
        StringLookup(vocabulary=VOCAB, max_tokens=3)
    with pytest.raises(ValueError, match="`idf_weights` must be a 1D array of the same length"):
        StringLookup(vocabulary=VOCAB, output_mode="tf_idf", idf_weights=[1.0])
    fixed = StringLookup(vocabulary=VOCAB, output_mode="count")
    with pytest.raises(
        RuntimeError, match="vocabulary size cannot be changed.*Old vocab size is 5"
    ):
        fixed.set_vocabulary(["a"])
    with pytest.raises(RuntimeError, match="must set the layer's vocabulary before calling it"):
        StringLookup(output_mode="count")(DATA)
    with pytest.raises(ValueError, match="`idf_weights` must be provided.*Received: idf_weights"):
        StringLookup(output_mode="tf_idf", max_tokens=4, pad_to_max_tokens=True)(DATA)
    with pytest.raises(ValueError, match=r"num_oov_indices=0.*found OOV values \['z'\]"):
        StringLookup(vocabulary=VOCAB, num_oov_indices=0)(DATA)
    with pytest.raises(ValueError, match="Cannot adapt layer .* after setting a static vocabulary"):
        StringLookup(vocabulary=VOCAB).adapt(DATA)
    with pytest.raises(TypeError, match="StringLookup expects string inputs.*type Tensor"):
        StringLookup(vocabulary=VOCAB)(torch.ones(2))
