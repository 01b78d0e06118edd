"""Merge base: mask merging (OR, masked maximum/minimum/product) with Keras parity, output shape
inference and the mask argument errors."""

import numpy as np
import pytest
import torch

from torchkeras_lite.layers import merging
from torchkeras_lite.layers.merging.base_merge import broadcast_shapes

MASKS = [
    torch.tensor([[1, 1, 0], [1, 0, 0]], dtype=torch.bool),
    torch.tensor([[1, 0, 1], [0, 0, 1]], dtype=torch.bool),
    torch.tensor([[0, 1, 1], [1, 0, 0]], dtype=torch.bool),
]


@pytest.mark.parametrize("name", ["Add", "Subtract", "Average", "Multiply", "Maximum", "Minimum"])
@pytest.mark.parametrize("pattern", [(0, 1), (0, None), (None, 1), (0, 1, 2), (None, 1, 2)])
def test_masked_merges_match_keras(name, pattern):
    keras = pytest.importorskip("keras")
    if name == "Subtract" and len(pattern) != 2:
        return
    xs = [torch.randn(2, 3, 4) for _ in pattern]

    def inputs():
        out = [x.clone() for x in xs]
        for x, m in zip(out, pattern):
            if m is not None:
                x._keras_mask = MASKS[m]
        return out

    ours = getattr(merging, name)()(inputs())
    theirs = getattr(keras.layers, name)()(inputs())
    np.testing.assert_allclose(ours.numpy(), theirs.detach().numpy(), atol=1e-6)
    expected_mask = getattr(theirs, "_keras_mask", None)
    if expected_mask is None:
        assert getattr(ours, "_keras_mask", None) is None
    else:
        assert torch.equal(ours._keras_mask, expected_mask)


def test_masked_maximum_never_picks_a_masked_entry():
    a, b = torch.full((1, 2, 1), 5.0), torch.full((1, 2, 1), 1.0)
    a._keras_mask = torch.tensor([[True, False]])
    b._keras_mask = torch.tensor([[True, True]])
    out = merging.Maximum()([a, b])
    assert out.flatten().tolist() == [5.0, 1.0] and out._keras_mask.tolist() == [[True, True]]


def test_compute_output_shape_and_broadcast_shapes():
    assert merging.Add().compute_output_shape([(None, 3, 4), (None, 1, 4)]) == (None, 3, 4)
    assert merging.Add().compute_output_shape([(5, 3, None), (None, 3, 4)]) == (5, 3, None)
    assert broadcast_shapes((3, 1), (4,)) == (3, 4) and broadcast_shapes(None, (2,)) is None


def test_compute_mask_errors():
    layer = merging.Add()
    x = torch.ones(2, 3, 4)
    with pytest.raises(ValueError, match="`mask` should be a list. Received: mask="):
        layer.compute_mask([x, x], MASKS[0])
    with pytest.raises(ValueError, match=r"same length.*Received: len\(mask\)=1"):
        layer.compute_mask([x, x], [MASKS[0]])
    assert layer.compute_mask([x, x], None) is None
