"""Dropout: conformance, inactive at inference, rate 0/1 edges, scaling, seeds, noise_shape, errors."""

import pytest
import torch
from conformance import run_layer_test

from torchkeras_lite.layers.regularization import Dropout


def test_dropout_conformance():
    run_layer_test(
        Dropout,
        {"rate": 0.5},
        input_shape=(4, 8),
        expected_output_shape=(4, 8),
        expected_num_trainable_weights=0,
        supports_masking=True,
    )


def test_dropout_inactive_at_inference_and_by_default():
    layer = Dropout(0.9)
    x = torch.randn(100, 10)
    assert layer(x) is x and layer(x, training=False) is x


def test_dropout_rate_edges():
    x = torch.randn(50, 20)
    assert torch.equal(Dropout(0.0)(x, training=True), x)
    assert torch.equal(Dropout(1.0)(x, training=True), torch.zeros_like(x))
    assert torch.equal(
        Dropout(1.0, seed=3, noise_shape=(None, 1))(x, training=True), torch.zeros_like(x)
    )


@pytest.mark.parametrize("kwargs", [{}, {"seed": 7}, {"noise_shape": (None, 20)}])
def test_dropout_keeps_and_scales(kwargs):
    x = torch.ones(400, 20)
    out = Dropout(0.25, **kwargs)(x, training=True)
    kept = out[out != 0]
    torch.testing.assert_close(kept, torch.full_like(kept, 1 / 0.75))
    assert abs((out == 0).float().mean().item() - 0.25) < 0.03


def test_seeded_dropout_is_reproducible_and_varies_between_calls():
    x = torch.ones(64, 32)
    a, b = Dropout(0.5, seed=42), Dropout(0.5, seed=42)
    a1, a2 = a(x, training=True), a(x, training=True)
    b1, b2 = b(x, training=True), b(x, training=True)
    assert torch.equal(a1, b1) and torch.equal(a2, b2)
    assert not torch.equal(a1, a2)
    assert not torch.equal(a1, Dropout(0.5, seed=43)(x, training=True))


def test_unseeded_dropout_follows_torch_manual_seed():
    x = torch.ones(64, 32)
    torch.manual_seed(1)
    first = Dropout(0.5)(x, training=True)
    torch.manual_seed(1)
    assert torch.equal(first, Dropout(0.5)(x, training=True))


def test_noise_shape_broadcasts_the_mask():
    out = Dropout(0.5, noise_shape=(None, 1, 6), seed=0)(torch.ones(8, 5, 6), training=True)
    assert torch.equal(out, out[:, :1].expand_as(out))


def test_dropout_gradient_flows_through_kept_units():
    x = torch.ones(10, 10, requires_grad=True)
    out = Dropout(0.5, seed=1)(x, training=True)
    out.sum().backward()
    torch.testing.assert_close(x.grad, (out != 0).float() * 2.0)


@pytest.mark.parametrize("rate", [1.5, -0.1, "0.5", None])
def test_dropout_invalid_rate(rate):
    with pytest.raises(
        ValueError, match=r"Expected a float value between 0 and 1. Received: rate="
    ):
        Dropout(rate)


@pytest.mark.parametrize("noise_shape", ["abc", (None, 0), (2.5,), 3])
def test_dropout_invalid_noise_shape(noise_shape):
    with pytest.raises(
        ValueError,
        match="Invalid value received for argument `noise_shape`.*Received: noise_shape=",
    ):
        Dropout(0.5, noise_shape=noise_shape)


def test_dropout_invalid_seed():
    with pytest.raises(ValueError, match="`seed` must be an integer or None. Received: seed='a'"):
        Dropout(0.5, seed="a")
