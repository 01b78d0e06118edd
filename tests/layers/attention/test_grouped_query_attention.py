"""GroupedQueryAttention: conformance, Keras parity (masks, causal, scores, gate, training flag),
the shared key/value heads, fused vs explicit paths, dropout and errors."""

import numpy as np
import pytest
import torch
from conformance import run_layer_test

from torchkeras_lite.layers.attention import GroupedQueryAttention

# Keras warns that its projection sublayers drop the masks of masked inputs (they are handled by
# the attention layer itself).
pytestmark = pytest.mark.filterwarnings("ignore:.*does not support masking:UserWarning")


class ListGroupedQueryAttention(GroupedQueryAttention):
    """Takes `[query, value]` as one list, so the shared conformance helper can drive it."""

    def build(self, input_shape):
        super().build(*input_shape)

    def call(self, inputs, training=None):
        return super().call(*inputs, training=training)

    def compute_output_shape(self, input_shape):
        return super().compute_output_shape(*input_shape)


GQA = {"head_dim": 3, "num_query_heads": 4, "num_key_value_heads": 2}


def test_grouped_query_attention_conformance():
    run_layer_test(
        ListGroupedQueryAttention,
        {**GQA, "use_gate": True, "bias_regularizer": "l1"},
        input_shape=[(2, 5, 4), (2, 6, 3)],
        expected_output_shape=(2, 5, 4),
        expected_num_trainable_weights=10,
        supports_masking=True,
        keras_parity=False,  # Keras' layer takes query and value as separate arguments: below
    )


@pytest.mark.parametrize(
    "kwargs, shapes, call_kwargs, masked",
    [
        (GQA, [(2, 5, 4), (2, 6, 4)], {}, False),
        ({**GQA, "num_key_value_heads": 1, "use_gate": True}, [(2, 5, 4), (2, 6, 4), (2, 6, 3)],
         {"return_attention_scores": True}, False),
        (GQA, [(2, 6, 4), (2, 6, 4)], {"use_causal_mask": True}, False),
        (GQA, [(2, 6, 4), (2, 6, 4)], {"use_causal_mask": True, "return_attention_scores": True},
         False),
        ({**GQA, "sliding_window": 3}, [(2, 6, 4), (2, 6, 4)], {}, False),
        (GQA, [(2, 5, 4), (2, 6, 4)], {}, True),
        (GQA, [(2, 5, 4), (2, 6, 4)], {"return_attention_scores": True}, True),
    ],
)  # fmt: skip
def test_grouped_query_attention_keras_parity(kwargs, shapes, call_kwargs, masked):
    keras = pytest.importorskip("keras")
    args = [torch.randn(*s) for s in shapes]
    query_mask = torch.tensor([[1, 1, 1, 0, 0], [1, 1, 1, 1, 1]], dtype=torch.bool)
    value_mask = torch.tensor([[1, 1, 0, 0, 1, 0], [1, 1, 1, 1, 1, 0]], dtype=torch.bool)

    def inputs():
        xs = [a.clone() for a in args]
        if masked:
            xs[0]._keras_mask, xs[1]._keras_mask = query_mask, value_mask
        return xs

    ours = GroupedQueryAttention(**kwargs)
    theirs = keras.layers.GroupQueryAttention(**kwargs)
    ours(*inputs(), **call_kwargs)
    theirs(*inputs(), **call_kwargs)
    assert [w.shape for w in ours.get_weights()] == [tuple(w.shape) for w in theirs.get_weights()]
    ours.set_weights([0.5 * np.random.randn(*w.shape) for w in ours.get_weights()])
    theirs.set_weights(ours.get_weights())
    for training in (False, True):
        out = ours(*inputs(), training=training, **call_kwargs)
        ref = theirs(*inputs(), training=training, **call_kwargs)
        out, ref = (out, ref) if isinstance(out, tuple) else ((out,), (ref,))
        for a, b in zip(out, ref):
            a, b = a.detach().numpy(), b.detach().cpu().numpy()
            if masked and a.ndim == 3:  # padded query rows are "don't care"
                a, b = a[query_mask.numpy()], b[query_mask.numpy()]
            np.testing.assert_allclose(a, b, atol=1e-5)
    if masked:
        assert torch.equal(ours(*inputs())._keras_mask, query_mask)


def test_key_value_heads_are_shared_by_query_groups():
    layer = GroupedQueryAttention(head_dim=2, num_query_heads=4, num_key_value_heads=2)
    x = torch.randn(1, 3, 5)
    _, scores = layer(x, x, return_attention_scores=True)
    assert scores.shape == (1, 4, 3, 3)
    assert [tuple(w.shape) for w in layer.weights[::2]] == [
        (5, 4, 2),
        (5, 2, 2),
        (5, 2, 2),
        (4, 2, 5),
    ]
    fused = layer(x, x)
    explicit, _ = layer(x, x, return_attention_scores=True)
    torch.testing.assert_close(fused, explicit, atol=1e-5, rtol=1e-5)


def test_grouped_query_attention_dropout_and_seed():
    x = torch.randn(2, 5, 4)
    a = GroupedQueryAttention(**GQA, dropout=0.5, seed=1)
    b = GroupedQueryAttention(**GQA, dropout=0.5, seed=1)
    a(x, x)
    b(x, x)
    b.set_weights(a.get_weights())
    assert torch.equal(a(x, x), b(x, x))
    out = a(x, x, training=True)
    assert torch.equal(out, b(x, x, training=True)) and not torch.allclose(out, a(x, x))


@pytest.mark.parametrize(
    "kwargs, match",
    [
        ({**GQA, "num_key_value_heads": 3}, "divisible.*num_query_heads=4, num_key_value_heads=3"),
        ({**GQA, "head_dim": 0}, "Received: head_dim=0"),
        ({**GQA, "dropout": -0.1}, "Received: dropout=-0.1"),
        ({**GQA, "sliding_window": 1.5}, "Received: sliding_window=1.5"),
    ],
)
def test_grouped_query_attention_constructor_errors(kwargs, match):
    with pytest.raises(ValueError, match=match):
        GroupedQueryAttention(**kwargs)


def test_grouped_query_attention_build_errors_and_output_shape():
    layer = GroupedQueryAttention(**GQA)
    with pytest.raises(ValueError, match=r"3D `query`.*Received: query_shape=\(2, 3, 5, 4\)"):
        layer(torch.randn(2, 3, 5, 4), torch.randn(2, 3, 5, 4))
    with pytest.raises(ValueError, match=r"except the last one.*key_shape=\(2, 3, 4\)"):
        GroupedQueryAttention(**GQA)(
            torch.randn(2, 5, 4), torch.randn(2, 6, 4), torch.randn(2, 3, 4)
        )
    assert layer.compute_output_shape((None, 5, 4), (None, 6, 4)) == (None, 5, 4)
