"""Embedding: conformance with integer inputs, mask_zero masks, initial weights, errors."""

import numpy as np
import pytest
import torch
from conformance import run_layer_test

from torchkeras_lite.layers.core import Embedding


def test_embedding_conformance():
    layer = run_layer_test(
        Embedding,
        {"input_dim": 10, "output_dim": 4},
        input_shape=(2, 3),
        input_dtype="int64",
        expected_output_shape=(2, 3, 4),
        expected_num_trainable_weights=1,
        supports_masking=False,
    )
    assert tuple(layer.embeddings.shape) == (10, 4)
    fresh = Embedding(1000, 8)
    fresh.build()
    values = fresh.embeddings.detach()
    assert float(values.abs().max()) <= 0.05 and float(values.abs().max()) > 0.045  # "uniform"


def test_embedding_mask_zero_matches_keras():
    ids = torch.tensor([[3, 1, 0, 0], [5, 0, 2, 0]], dtype=torch.int32)
    layer = run_layer_test(
        Embedding,
        {"input_dim": 6, "output_dim": 2, "mask_zero": True},
        input_shape=None,
        input_data=ids,
        expected_output_shape=(2, 4, 2),
        supports_masking=True,
    )
    out = layer(ids)
    assert torch.equal(out._keras_mask, ids != 0)
    torch.testing.assert_close(out, layer.embeddings[ids.long()])


def test_embedding_initial_weights_and_float_ids():
    table = np.arange(12, dtype="float32").reshape(4, 3)
    layer = Embedding(4, 3, weights=table)
    assert layer.built
    out = layer(torch.tensor([[2.0, 0.0]]))  # float indices are cast
    np.testing.assert_array_equal(out.detach().numpy(), table[[[2, 0]]])
    assert Embedding(4, 3, weights=[table]).get_weights()[0].sum() == table.sum()


def test_embedding_input_length_is_ignored_with_a_warning():
    with pytest.warns(UserWarning, match="`input_length` is deprecated"):
        layer = Embedding(5, 2, input_length=7)
    assert "input_length" not in layer.get_config()


@pytest.mark.parametrize("arg, value", [("input_dim", 0), ("input_dim", 2.0), ("output_dim", -1)])
def test_embedding_invalid_dims(arg, value):
    kwargs = {"input_dim": 5, "output_dim": 3, arg: value}
    with pytest.raises(ValueError, match=rf"`{arg}` must be a positive integer. Received: {arg}="):
        Embedding(**kwargs)
