"""GaussianDropout: conformance (Keras parity at inference), noise statistics, seeds and errors."""

import math

import pytest
import torch
from conformance import run_layer_test

from torchkeras_lite.layers.regularization.gaussian_dropout import GaussianDropout


def test_gaussian_dropout_conformance():
    run_layer_test(
        GaussianDropout,
        {"rate": 0.4, "seed": 3},
        input_shape=(4, 6),
        expected_output_shape=(4, 6),
        expected_num_trainable_weights=0,
        supports_masking=True,
    )


def test_gaussian_dropout_noise_statistics():
    rate = 0.3
    out = GaussianDropout(rate, seed=123)(torch.full((200_000,), 2.0), training=True)
    assert abs(out.mean().item() - 2.0) < 0.01
    assert abs(out.std().item() - 2.0 * math.sqrt(rate / (1 - rate))) < 0.01


def test_gaussian_dropout_inference_and_seeds():
    x = torch.randn(16, 8)
    assert GaussianDropout(0.5)(x) is x
    a, b = GaussianDropout(0.5, seed=5), GaussianDropout(0.5, seed=5)
    first = a(x, training=True)
    assert torch.equal(first, b(x, training=True)) and not torch.equal(first, a(x, training=True))
    torch.manual_seed(2)
    unseeded = GaussianDropout(0.5)(x, training=True)
    torch.manual_seed(2)
    assert torch.equal(unseeded, GaussianDropout(0.5)(x, training=True))


def test_gaussian_dropout_errors():
    with pytest.raises(ValueError, match="Received: rate=-0.1"):
        GaussianDropout(-0.1)
    with pytest.raises(ValueError, match="Received: seed=1.5"):
        GaussianDropout(0.1, seed=1.5)
    with pytest.raises(ValueError, match="Received: rate=1"):
        GaussianDropout(1)(torch.ones(2), training=True)
