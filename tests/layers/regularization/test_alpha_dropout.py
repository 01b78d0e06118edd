"""AlphaDropout: conformance (Keras parity at inference), self-normalizing statistics, seeds,
noise_shape, rate edges and errors."""

import pytest
import torch
from conformance import run_layer_test

from torchkeras_lite.layers.regularization.alpha_dropout import AlphaDropout

ALPHA_P = -1.6732632423543772848170429916717 * 1.0507009873554804934193349852946


def test_alpha_dropout_conformance():
    run_layer_test(
        AlphaDropout,
        {"rate": 0.3, "seed": 1},
        input_shape=(4, 6),
        expected_output_shape=(4, 6),
        expected_num_trainable_weights=0,
        supports_masking=True,
    )


def test_alpha_dropout_keeps_mean_and_variance_and_uses_the_saturation_value():
    rate = 0.2
    x = torch.randn(200_000)
    out = AlphaDropout(rate, seed=123)(x, training=True)  # (seed 0 would replay x's stream)
    assert abs(out.mean().item()) < 0.02 and abs(out.var().item() - 1) < 0.03
    a = ((1 - rate) * (1 + rate * ALPHA_P**2)) ** -0.5
    dropped_value = a * ALPHA_P - a * ALPHA_P * rate
    assert (
        abs((torch.isclose(out, torch.tensor(dropped_value))).float().mean().item() - rate) < 0.01
    )


def test_alpha_dropout_inference_seed_and_noise_shape():
    x = torch.randn(8, 5, 3)
    assert AlphaDropout(0.5)(x) is x
    a, b = AlphaDropout(0.5, seed=9), AlphaDropout(0.5, seed=9)
    first = a(x, training=True)
    assert torch.equal(first, b(x, training=True)) and not torch.equal(first, a(x, training=True))
    out = AlphaDropout(0.5, noise_shape=(None, 1, 3), seed=1)(torch.ones(8, 5, 3), training=True)
    assert torch.all(out == out[:, :1, :])  # one mask along the broadcast axis
    assert torch.equal(AlphaDropout(0.0)(x, training=True), x)


def test_alpha_dropout_errors():
    with pytest.raises(ValueError, match="Received: rate=1.5"):
        AlphaDropout(1.5)
    with pytest.raises(ValueError, match="Received: noise_shape="):
        AlphaDropout(0.5, noise_shape="abc")
    with pytest.raises(ValueError, match="Received: rate=1"):
        AlphaDropout(1)(torch.ones(2), training=True)
    assert AlphaDropout(0.5, noise_shape=(None, 2)).get_config()["noise_shape"] == [None, 2]
