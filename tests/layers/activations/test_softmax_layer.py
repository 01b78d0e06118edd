"""Softmax layer: conformance with Keras parity (axes), masks giving exactly 0 (Keras parity),
masks from the inputs, and the mask/axis errors."""

import numpy as np
import pytest
import torch
from conformance import run_layer_test

from torchkeras_lite.layers.activations.softmax import Softmax


@pytest.mark.parametrize("axis", [-1, 1, (1, 2), [2]])
def test_softmax_conformance(axis):
    run_layer_test(
        Softmax,
        {"axis": axis},
        input_shape=(2, 3, 4),
        expected_output_shape=(2, 3, 4),
        expected_num_trainable_weights=0,
        supports_masking=True,
    )


@pytest.mark.parametrize(
    "mask_shape, axis", [((2, 3, 4), -1), ((2, 1, 4), -1), ((3, 4), (1, 2)), ((2, 3, 1), 1)]
)
def test_softmax_mask_matches_keras_and_is_exactly_zero(mask_shape, axis):
    keras = pytest.importorskip("keras")
    x = torch.randn(2, 3, 4)
    mask = torch.rand(mask_shape) > 0.4
    ours = Softmax(axis=axis)(x, mask=mask)
    theirs = keras.layers.Softmax(axis=axis)(x, mask=mask)
    np.testing.assert_allclose(ours.numpy(), theirs.detach().numpy(), atol=1e-6)
    assert torch.all(ours[~mask.expand(2, 3, 4)] == 0)
    float_mask = Softmax(axis=axis)(x, mask=mask.float())
    torch.testing.assert_close(float_mask, ours)


def test_softmax_fully_masked_row_is_zero_and_mask_from_inputs():
    x = torch.randn(1, 2, 3)
    x._keras_mask = torch.tensor([[[True, True, False], [False, False, False]]])
    out = Softmax()(x)
    assert out[0, 1].tolist() == [0.0, 0.0, 0.0] and out[0, 0, 2].item() == 0.0
    torch.testing.assert_close(out[0, 0].sum(), torch.tensor(1.0))
    assert torch.equal(out._keras_mask, x._keras_mask)


def test_softmax_errors():
    x = torch.randn(2, 3)
    with pytest.raises(ValueError, match=r"broadcastable.*mask.shape=\(2, 4\)"):
        Softmax()(x, mask=torch.ones(2, 4, dtype=torch.bool))
    with pytest.raises(ValueError, match=r"broadcastable.*mask.shape=\(1, 2, 3\)"):
        Softmax()(x, mask=torch.ones(1, 2, 3, dtype=torch.bool))
    with pytest.raises(ValueError, match="Received: axis='a'"):
        Softmax(axis="a")
