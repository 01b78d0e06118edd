"""PReLU layer: conformance with Keras parity (shared axes, initializers), alpha shape, the
zero initial slope, input spec and errors."""

import pytest
import torch
from conformance import run_layer_test

from torchkeras_lite import initializers
from torchkeras_lite.layers.activations.prelu import PReLU


@pytest.mark.parametrize(
    "kwargs, input_shape, alpha_shape",
    [
        ({}, (2, 3, 4), (3, 4)),
        ({"shared_axes": [1, 2]}, (2, 5, 6, 3), (1, 1, 3)),
        ({"shared_axes": 1, "alpha_initializer": initializers.Constant(0.25),
          "alpha_regularizer": "l2", "alpha_constraint": "non_neg"}, (2, 3, 4), (1, 4)),
    ],
)  # fmt: skip
def test_prelu_conformance(kwargs, input_shape, alpha_shape):
    layer = run_layer_test(
        PReLU,
        kwargs,
        input_shape=input_shape,
        expected_output_shape=input_shape,
        expected_num_trainable_weights=1,
        supports_masking=True,
    )
    assert tuple(layer.alpha.shape) == alpha_shape


def test_prelu_starts_as_relu_and_learns_a_slope():
    layer = PReLU()
    x = torch.tensor([[-2.0, 3.0]])
    torch.testing.assert_close(layer(x), torch.tensor([[0.0, 3.0]]))
    layer.set_weights([torch.tensor([0.5, 0.5]).numpy()])
    torch.testing.assert_close(layer(x), torch.tensor([[-1.0, 3.0]]))
    with pytest.raises(ValueError, match="expected axis 1 of input shape to have value 2"):
        layer(torch.ones(1, 3))


def test_prelu_shared_axes_errors():
    with pytest.raises(ValueError, match="Received: shared_axes=0"):
        PReLU(shared_axes=0)
    with pytest.raises(ValueError, match="Received: shared_axes='a'"):
        PReLU(shared_axes="a")
    with pytest.raises(ValueError, match=r"non-batch axes.*Received: shared_axes=\[3\]"):
        PReLU(shared_axes=3)(torch.ones(2, 3, 4))
    last = PReLU(shared_axes=-1)  # a negative axis counts from the end
    last.build((None, 3, 4))
    assert tuple(last.alpha.shape) == (3, 1)
