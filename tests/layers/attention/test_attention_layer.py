"""Attention (Luong): conformance, Keras parity for both score modes with masks, causal masks and
scores, the fused dot path, dropout, compute_mask and errors."""

import numpy as np
import pytest
import torch
from conformance import run_layer_test

from torchkeras_lite.layers.attention import Attention

QUERY_MASK = torch.tensor([[1, 1, 1, 0], [1, 1, 1, 1]], dtype=torch.bool)
VALUE_MASK = torch.tensor([[1, 1, 0, 0, 1], [1, 1, 1, 1, 0]], dtype=torch.bool)


@pytest.mark.parametrize(
    "kwargs, n_weights",
    [({}, 0), ({"use_scale": True}, 1), ({"score_mode": "concat", "use_scale": True}, 2)],
)
def test_attention_conformance(kwargs, n_weights):
    run_layer_test(
        Attention,
        kwargs,
        input_shape=[(2, 4, 3), (2, 5, 3)],
        expected_output_shape=(2, 4, 3),
        expected_num_trainable_weights=n_weights,
        supports_masking=True,
        deterministic=True,
    )


def keras_parity(layer_cls, keras_cls, kwargs, shapes, call_kwargs, masks):
    args = [torch.randn(*s) for s in shapes]
    ours, theirs = layer_cls(**kwargs), keras_cls(**kwargs)
    kwargs_ = dict(call_kwargs, mask=masks) if masks else call_kwargs
    ours(args, **kwargs_)
    theirs([a.clone() for a in args], **kwargs_)
    ours.set_weights([np.random.rand(*w.shape) + 0.5 for w in ours.get_weights()])
    theirs.set_weights(ours.get_weights())
    for training in (False, True):
        out = ours(args, training=training, **kwargs_)
        ref = theirs([a.clone() for a in args], training=training, **kwargs_)
        out, ref = (out, ref) if isinstance(out, tuple) else ((out,), (ref,))
        for a, b in zip(out, ref):
            np.testing.assert_allclose(a.detach().numpy(), b.detach().cpu().numpy(), atol=1e-5)


@pytest.mark.parametrize("score_mode, use_scale", [("dot", False), ("dot", True), ("concat", True)])
@pytest.mark.parametrize(
    "call_kwargs, masked",
    [
        ({}, False),
        ({"return_attention_scores": True}, True),
        ({"use_causal_mask": True}, True),
        ({"use_causal_mask": True, "return_attention_scores": True}, False),
    ],
)
def test_attention_keras_parity(score_mode, use_scale, call_kwargs, masked):
    keras = pytest.importorskip("keras")
    keras_parity(
        Attention,
        keras.layers.Attention,
        {"score_mode": score_mode, "use_scale": use_scale},
        [(2, 4, 3), (2, 5, 2), (2, 5, 3)],
        call_kwargs,
        [QUERY_MASK, VALUE_MASK] if masked else None,
    )


def test_attention_fused_path_equals_explicit_path_and_masks():
    layer = Attention(use_scale=True)
    q, v = torch.randn(2, 4, 3), torch.randn(2, 5, 3)
    fused = layer([q, v], mask=[QUERY_MASK, VALUE_MASK])
    explicit, weights = layer([q, v], mask=[QUERY_MASK, VALUE_MASK], return_attention_scores=True)
    torch.testing.assert_close(fused, explicit)
    assert torch.all(weights[~VALUE_MASK.unsqueeze(1).expand(2, 4, 5)] < 1e-6)
    assert torch.all(fused[0, 3] == 0)  # masked query position
    assert torch.equal(fused._keras_mask, QUERY_MASK)  # compute_mask: the query's mask
    q._keras_mask = QUERY_MASK
    assert torch.equal(layer([q, v])._keras_mask, QUERY_MASK)


def test_attention_dropout_in_training_only():
    q, v = torch.randn(4, 6, 3), torch.randn(4, 7, 3)
    layer = Attention(dropout=0.5, seed=2)
    assert torch.equal(layer([q, v]), layer([q, v]))
    assert not torch.allclose(layer([q, v], training=True), layer([q, v]))
    _, weights = Attention(dropout=0.5)([q, v], training=True, return_attention_scores=True)
    torch.testing.assert_close(weights.sum(-1), torch.ones(4, 6))  # scores are before dropout


def test_attention_errors():
    with pytest.raises(ValueError, match="score_mode.*Received: score_mode='add'"):
        Attention(score_mode="add")
    with pytest.raises(ValueError, match="Received: dropout=2"):
        Attention(dropout=2)
    layer = Attention()
    x = torch.randn(2, 3, 4)
    with pytest.raises(ValueError, match="must be called on a list of inputs.*Received: inputs="):
        layer(x)
    with pytest.raises(ValueError, match=r"length 2 or 3.*Received: len\(inputs\)=1"):
        layer([x])
    with pytest.raises(ValueError, match="mask must be a list.*Received: mask="):
        layer([x, x], mask=torch.ones(2, 3, dtype=torch.bool))
    with pytest.raises(ValueError, match=r"mask list of length 2 or 3.*Received: len\(mask\)=1"):
        layer([x, x], mask=[None])
    assert layer.compute_output_shape([(None, 3, 4), (None, 5, 6)]) == (None, 3, 6)
