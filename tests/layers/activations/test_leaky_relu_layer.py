"""LeakyReLU layer: conformance with Keras parity, Keras' 0.3 default, `alpha` alias and errors."""

import pytest
import torch
from conformance import run_layer_test

from torchkeras_lite.layers.activations.leaky_relu import LeakyReLU


@pytest.mark.parametrize("kwargs", [{}, {"negative_slope": 0.05}])
def test_leaky_relu_conformance(kwargs):
    run_layer_test(
        LeakyReLU,
        kwargs,
        input_shape=(3, 7),
        expected_output_shape=(3, 7),
        expected_num_trainable_weights=0,
        supports_masking=True,
    )


def test_leaky_relu_default_slope_and_deprecated_alpha():
    x = torch.tensor([-2.0, 4.0])
    torch.testing.assert_close(LeakyReLU()(x), torch.tensor([-0.6, 4.0]))
    with pytest.warns(UserWarning, match="`alpha` is deprecated"):
        layer = LeakyReLU(alpha=0.5)
    assert layer.negative_slope == 0.5 and layer.get_config()["negative_slope"] == 0.5


def test_leaky_relu_errors():
    with pytest.raises(ValueError, match="Received: negative_slope=-1"):
        LeakyReLU(negative_slope=-1)
    with pytest.raises(ValueError, match="Received: negative_slope=None"):
        LeakyReLU(negative_slope=None)
