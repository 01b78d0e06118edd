"""AdditiveAttention: conformance, Keras parity with masks, causal masks and scores, config."""

import numpy as np
import pytest
import torch
from conformance import run_layer_test

from torchkeras_lite.layers.attention import AdditiveAttention


@pytest.mark.parametrize("use_scale, n_weights", [(True, 1), (False, 0)])
def test_additive_attention_conformance(use_scale, n_weights):
    run_layer_test(
        AdditiveAttention,
        {"use_scale": use_scale},
        input_shape=[(2, 4, 3), (2, 5, 3), (2, 5, 3)],
        expected_output_shape=(2, 4, 3),
        expected_num_trainable_weights=n_weights,
        supports_masking=True,
        deterministic=True,
    )


@pytest.mark.parametrize(
    "call_kwargs", [{}, {"return_attention_scores": True}, {"use_causal_mask": True}]
)
def test_additive_attention_keras_parity_with_masks(call_kwargs):
    keras = pytest.importorskip("keras")
    q, v = torch.randn(2, 4, 3), torch.randn(2, 5, 3)
    masks = [
        torch.tensor([[1, 1, 0, 0], [1, 1, 1, 1]], dtype=torch.bool),
        torch.tensor([[1, 0, 1, 0, 1], [1, 1, 1, 1, 0]], dtype=torch.bool),
    ]
    ours, theirs = AdditiveAttention(), keras.layers.AdditiveAttention()
    ours([q, v])
    theirs([q, v])
    ours.set_weights([np.random.randn(3)])
    theirs.set_weights(ours.get_weights())
    for training in (False, True):
        out = ours([q, v], mask=masks, training=training, **call_kwargs)
        ref = theirs([q, v], mask=masks, training=training, **call_kwargs)
        out, ref = (out, ref) if isinstance(out, tuple) else ((out,), (ref,))
        for a, b in zip(out, ref):
            np.testing.assert_allclose(a.detach().numpy(), b.detach().numpy(), atol=1e-5)


def test_additive_attention_config_and_scale_shape():
    layer = AdditiveAttention(dropout=0.1, seed=4)
    layer([torch.randn(1, 2, 6), torch.randn(1, 3, 6)])
    assert tuple(layer.scale.shape) == (6,)
    config = layer.get_config()
    assert "score_mode" not in config and config["seed"] == 4 and config["dropout"] == 0.1
    assert AdditiveAttention.from_config(config).get_config() == config
