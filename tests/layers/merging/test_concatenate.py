"""Concatenate: conformance with Keras parity on several axes, masks (Keras parity), shape errors
and the functional `concatenate`."""

import numpy as np
import pytest
import torch
from conformance import run_layer_test

from torchkeras_lite.layers.merging import Concatenate, concatenate


@pytest.mark.parametrize(
    "axis, shapes, expected",
    [
        (-1, [(2, 3, 4), (2, 3, 5)], (2, 3, 9)),
        (1, [(2, 3, 4), (2, 1, 4), (2, 2, 4)], (2, 6, 4)),
        (-2, [(2, 3, 4), (2, 3, 4)], (2, 6, 4)),
    ],
)
def test_concatenate_conformance(axis, shapes, expected):
    run_layer_test(
        Concatenate,
        {"axis": axis},
        input_shape=shapes,
        expected_output_shape=expected,
        expected_num_trainable_weights=0,
        supports_masking=True,
    )


@pytest.mark.parametrize("axis", [-1, 1])
@pytest.mark.parametrize("which", [(0, 1), (0, None), (None, 1)])
def test_concatenate_masks_match_keras(axis, which):
    keras = pytest.importorskip("keras")
    masks = [
        torch.tensor([[1, 0, 1]], dtype=torch.bool),
        torch.tensor([[0, 0, 1]], dtype=torch.bool),
    ]
    xs = [torch.randn(1, 3, 2), torch.randn(1, 3, 2)]

    def inputs():
        out = [x.clone() for x in xs]
        for x, m in zip(out, which):
            if m is not None:
                x._keras_mask = masks[m]
        return out

    ours = Concatenate(axis=axis)(inputs())
    theirs = keras.layers.Concatenate(axis=axis)(inputs())
    np.testing.assert_allclose(ours.numpy(), theirs.detach().numpy())
    assert torch.equal(ours._keras_mask, theirs._keras_mask)


def test_concatenate_functional_form_and_output_shape():
    a, b = torch.randn(2, 3), torch.randn(2, 5)
    torch.testing.assert_close(concatenate([a, b]), torch.cat([a, b], -1))
    torch.testing.assert_close(concatenate([a, a], axis=0), torch.cat([a, a], 0))
    layer = Concatenate(axis=1)
    assert layer.compute_output_shape([(None, 3, 4), (None, 5, 4)]) == (None, 8, 4)
    assert layer.compute_output_shape([(None, None, 4), (None, 5, 4)]) == (None, None, 4)


def test_concatenate_errors():
    with pytest.raises(
        ValueError,
        match=r"matching shapes except for the concatenation axis -1; "
        r"they differ at axis 1. Received: input_shape=\[\(2, 3, 4\), \(2, 5, 4\)\]",
    ):
        Concatenate()([torch.ones(2, 3, 4), torch.ones(2, 5, 4)])
    with pytest.raises(ValueError, match=r"same rank.*Received: input_shape=.*axis=-1"):
        Concatenate()([torch.ones(2, 3, 4), torch.ones(2, 3)])
    with pytest.raises(ValueError, match="list of at least 1 input. Received: input_shape="):
        Concatenate()(torch.ones(2, 3))
    with pytest.raises(ValueError, match="must be an integer. Received: axis='x'"):
        Concatenate(axis="x")
    with pytest.raises(ValueError, match="`mask` should be a list"):
        Concatenate().compute_mask([torch.ones(1, 2)], torch.ones(1, dtype=torch.bool))
