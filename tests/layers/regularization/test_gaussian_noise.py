"""GaussianNoise: conformance, inference identity, noise statistics, seeds, errors."""

import pytest
import torch
from conformance import run_layer_test

from torchkeras_lite.layers.regularization import GaussianNoise


def test_gaussian_noise_conformance():
    run_layer_test(
        GaussianNoise,
        {"stddev": 0.2},
        input_shape=(3, 5),
        expected_output_shape=(3, 5),
        supports_masking=True,
    )


def test_gaussian_noise_statistics_and_inference():
    x = torch.zeros(200, 100)
    layer = GaussianNoise(0.3)
    assert layer(x) is x
    noise = layer(x, training=True)
    assert abs(noise.std().item() - 0.3) < 0.01 and abs(noise.mean().item()) < 0.01


def test_gaussian_noise_seeded():
    x = torch.zeros(10, 10)
    a, b = GaussianNoise(0.5, seed=4), GaussianNoise(0.5, seed=4)
    a1, b1 = a(x, training=True), b(x, training=True)
    assert torch.equal(a1, b1) and not torch.equal(a1, a(x, training=True))


@pytest.mark.parametrize("stddev", [-0.1, 1.5, "x"])
def test_gaussian_noise_invalid_stddev(stddev):
    with pytest.raises(
        ValueError, match=r"Expected a float value between 0 and 1. Received: stddev="
    ):
        GaussianNoise(stddev)
