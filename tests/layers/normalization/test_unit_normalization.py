"""UnitNormalization: conformance with Keras parity (single and joint axes), norms, zeros, errors."""

import pytest
import torch
from conformance import run_layer_test

from torchkeras_lite.layers.normalization.unit_normalization import UnitNormalization


@pytest.mark.parametrize("axis", [-1, 1, [1, 2], (-2, -1)])
def test_unit_normalization_conformance(axis):
    run_layer_test(
        UnitNormalization,
        {"axis": axis},
        input_shape=(2, 3, 4),
        expected_output_shape=(2, 3, 4),
        expected_num_trainable_weights=0,
        supports_masking=True,
    )


def test_unit_norms_and_zero_inputs():
    x = torch.randn(4, 5, 6)
    norms = UnitNormalization(axis=[1, 2])(x).square().sum(dim=(1, 2))
    torch.testing.assert_close(norms, torch.ones(4))
    assert torch.equal(UnitNormalization()(torch.zeros(2, 3)), torch.zeros(2, 3))


def test_unit_normalization_errors():
    with pytest.raises(TypeError, match="Received: axis='a'"):
        UnitNormalization(axis="a")
    with pytest.raises(ValueError, match=r"out of bounds.*Received: axis=\[1, 3\]"):
        UnitNormalization(axis=[1, 3]).compute_output_shape((2, 3, 4))
