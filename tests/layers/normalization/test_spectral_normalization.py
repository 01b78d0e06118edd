"""SpectralNormalization: conformance with Keras parity (training updates the kernel and u, as
Keras), the spectral norm after updates, Embedding kernels, the zero kernel, config and errors."""

import numpy as np
import pytest
import torch
from conformance import run_layer_test

from torchkeras_lite.layers.activations.relu import ReLU
from torchkeras_lite.layers.core import Dense, Embedding
from torchkeras_lite.layers.normalization.spectral_normalization import SpectralNormalization


def test_spectral_normalization_conformance_dense():
    layer = run_layer_test(
        SpectralNormalization,
        {"layer": Dense(3), "power_iterations": 2},
        input_shape=(4, 5),
        expected_output_shape=(4, 3),
        expected_num_trainable_weights=2,
        expected_num_non_trainable_weights=1,
        keras_parity=False,  # Keras needs its own wrapped layer: see the parity test below
    )
    assert [w.name for w in layer.weights] == ["kernel", "vector_u", "bias"]


@pytest.mark.parametrize("power_iterations", [1, 3])
def test_spectral_normalization_keras_parity(power_iterations):
    keras = pytest.importorskip("keras")
    x = torch.randn(4, 5)
    ours = SpectralNormalization(Dense(3), power_iterations=power_iterations)
    theirs = keras.layers.SpectralNormalization(keras.layers.Dense(3), power_iterations)
    ours(x)
    theirs(x)
    assert [w.shape for w in ours.get_weights()] == [tuple(w.shape) for w in theirs.get_weights()]
    ours.set_weights([np.random.randn(*w.shape) for w in ours.get_weights()])
    theirs.set_weights(ours.get_weights())
    for training in (False, True, True):
        np.testing.assert_allclose(
            ours(x, training=training).detach().numpy(),
            theirs(x, training=training).detach().numpy(),
            atol=1e-5,
        )
        for a, b in zip(ours.get_weights(), theirs.get_weights()):
            np.testing.assert_allclose(a, b, atol=1e-5)


def test_spectral_norm_converges_to_one_and_inference_keeps_the_kernel():
    layer = SpectralNormalization(Dense(6, kernel_initializer="random_normal"), power_iterations=5)
    x = torch.randn(2, 4)
    layer(x)
    before = layer.kernel.detach().clone()
    layer(x)
    assert torch.equal(layer.kernel, before)
    for _ in range(5):
        layer(x, training=True)
    sigma = torch.linalg.matrix_norm(layer.kernel.detach(), ord=2)
    assert abs(sigma.item() - 1.0) < 1e-3
    u, kernel = layer.normalized_weights()
    assert u.shape == (1, 6) and kernel.shape == (4, 6)


def test_spectral_normalization_embeddings_and_zero_kernel():
    emb = SpectralNormalization(Embedding(10, 4))
    out = emb(torch.tensor([[1, 2, 3]]), training=True)
    assert out.shape == (1, 3, 4) and emb.kernel is emb.layer.embeddings
    zero = SpectralNormalization(Dense(2, kernel_initializer="zeros"))
    zero(torch.ones(1, 3))
    u = zero.vector_u.detach().clone()
    zero(torch.ones(1, 3), training=True)
    assert torch.all(zero.kernel == 0) and torch.equal(zero.vector_u, u)


def test_spectral_normalization_config_round_trip():
    layer = SpectralNormalization(Dense(3, use_bias=False, name="inner"), power_iterations=4)
    config = layer.get_config()
    clone = SpectralNormalization.from_config(config)
    assert isinstance(clone.layer, Dense) and clone.layer.units == 3 and not clone.layer.use_bias
    assert clone.power_iterations == 4 and clone.get_config() == config
    assert layer.compute_output_shape((None, 7)) == (None, 3)


def test_spectral_normalization_errors():
    with pytest.raises(ValueError, match="Received: power_iterations=0"):
        SpectralNormalization(Dense(2), power_iterations=0)
    with pytest.raises(ValueError, match="supported layer type.*Received: layer="):
        SpectralNormalization(torch.nn.Linear(2, 2))
    with pytest.raises(
        ValueError, match="no attribute 'kernel' nor 'embeddings'.*Received: layer="
    ):
        SpectralNormalization(ReLU())(torch.ones(2, 3))
