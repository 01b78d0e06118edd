"""ELU layer: conformance with Keras parity, values, config and errors."""

import pytest
import torch
from conformance import run_layer_test

from torchkeras_lite.layers.activations.elu import ELU


@pytest.mark.parametrize("kwargs", [{}, {"alpha": 0.5}])
def test_elu_conformance(kwargs):
    run_layer_test(
        ELU,
        kwargs,
        input_shape=(2, 3, 4),
        expected_output_shape=(2, 3, 4),
        expected_num_trainable_weights=0,
        supports_masking=True,
    )


def test_elu_values_and_config():
    layer = ELU(alpha=2.0)
    out = layer(torch.tensor([-1.0, 0.5]))
    torch.testing.assert_close(out, torch.tensor([2.0 * (torch.exp(torch.tensor(-1.0)) - 1), 0.5]))
    assert layer.get_config()["alpha"] == 2.0  # (Keras' ELU.get_config omits alpha)
    with pytest.raises(ValueError, match="Received: alpha='a'"):
        ELU(alpha="a")
