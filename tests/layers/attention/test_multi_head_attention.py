"""MultiHeadAttention: conformance (with torch.compile), Keras parity (shapes, axes, masks, causal,
scores, gate, training flag), the fused path, dropout and seeds, masks, losses and errors."""

import numpy as np
import pytest
import torch
from conformance import run_layer_test

import torchkeras_lite as keras_lite
from torchkeras_lite import regularizers
from torchkeras_lite.layers.attention import MultiHeadAttention

# Keras warns that its projection sublayers drop the masks of masked inputs (they are handled by
# the attention layer itself).
pytestmark = pytest.mark.filterwarnings("ignore:.*does not support masking:UserWarning")


class ListMultiHeadAttention(MultiHeadAttention):
    """Takes `[query, value]` as one list, so the shared conformance helper can drive it."""

    def build(self, input_shape):
        super().build(*input_shape)

    def call(self, inputs, training=None):
        return super().call(*inputs, training=training)

    def compute_output_shape(self, input_shape):
        return super().compute_output_shape(*input_shape)


def _keras_pair(kwargs, args, call_kwargs=None, masks=None):
    """Our layer and Keras', same weights, called on copies of `args` (with optional masks)."""
    keras = pytest.importorskip("keras")
    call_kwargs = call_kwargs or {}

    def inputs():
        xs = [a.clone() for a in args]
        for x, m in zip(xs, masks or []):
            if m is not None:
                x._keras_mask = m
        return xs

    ours = MultiHeadAttention(**kwargs)
    theirs = keras.layers.MultiHeadAttention(**kwargs)
    ours(*inputs(), **call_kwargs)
    theirs(*inputs(), **call_kwargs)
    assert [w.shape for w in ours.get_weights()] == [tuple(w.shape) for w in theirs.get_weights()]
    ours.set_weights([0.5 * np.random.randn(*w.shape) for w in ours.get_weights()])  # biases too
    theirs.set_weights(ours.get_weights())
    return ours, theirs, inputs


def _assert_parity(ours, theirs, inputs, call_kwargs, rows=None):
    for training in (False, True):
        out = ours(*inputs(), training=training, **call_kwargs)
        ref = theirs(*inputs(), training=training, **call_kwargs)
        out = out if isinstance(out, tuple) else (out,)
        ref = ref if isinstance(ref, tuple) else (ref,)
        for a, b in zip(out, ref):
            a, b = a.detach().numpy(), b.detach().cpu().numpy()
            if rows is not None and a.ndim == 3:  # compare the valid query positions only
                a, b = a[rows], b[rows]
            np.testing.assert_allclose(a, b, atol=1e-5)


def test_multi_head_attention_conformance_with_compile():
    run_layer_test(
        ListMultiHeadAttention,
        {"num_heads": 2, "key_dim": 3},
        input_shape=[(2, 5, 4), (2, 6, 4)],
        expected_output_shape=(2, 5, 4),
        expected_num_trainable_weights=8,
        expected_num_non_trainable_weights=0,
        supports_masking=True,
        run_compile_check=True,
        keras_parity=False,  # Keras' layer takes query and value as separate arguments: below
    )


def test_multi_head_attention_conformance_gate_output_shape_no_bias():
    run_layer_test(
        ListMultiHeadAttention,
        {"num_heads": 2, "key_dim": 3, "value_dim": 2, "output_shape": (3, 2), "use_gate": True,
         "use_bias": False, "kernel_regularizer": "l2"},
        input_shape=[(2, 4, 5), (2, 3, 6)],
        expected_output_shape=(2, 4, 3, 2),
        expected_num_trainable_weights=5,
        keras_parity=False,
    )  # fmt: skip


@pytest.mark.parametrize(
    "kwargs, shapes, call_kwargs",
    [
        ({"num_heads": 2, "key_dim": 3}, [(2, 5, 4), (2, 6, 4)], {}),
        ({"num_heads": 3, "key_dim": 2, "value_dim": 5, "output_shape": (2, 3)},
         [(2, 5, 4), (2, 6, 7), (2, 6, 3)], {"return_attention_scores": True}),
        ({"num_heads": 2, "key_dim": 3, "use_gate": True}, [(2, 5, 4), (2, 6, 4)], {}),
        ({"num_heads": 2, "key_dim": 3}, [(2, 6, 4), (2, 6, 4)], {"use_causal_mask": True}),
        ({"num_heads": 2, "key_dim": 3}, [(2, 6, 4), (2, 6, 4)],
         {"use_causal_mask": True, "return_attention_scores": True}),
        ({"num_heads": 2, "key_dim": 3, "sliding_window": 2}, [(2, 6, 4), (2, 6, 4)],
         {"use_causal_mask": True}),
        ({"num_heads": 2, "key_dim": 3}, [(2, 3, 5, 4), (2, 3, 6, 4)], {}),
        ({"num_heads": 2, "key_dim": 3, "attention_axes": 2}, [(2, 3, 5, 4), (2, 3, 6, 4)],
         {"return_attention_scores": True}),
        ({"num_heads": 2, "key_dim": 3, "attention_axes": (1, 3)}, [(2, 3, 5, 2, 4),
         (2, 4, 5, 3, 4)], {"return_attention_scores": True}),
        ({"num_heads": 2, "key_dim": 3, "dropout": 0.5}, [(2, 5, 4), (2, 6, 4)], {}),
    ],
)  # fmt: skip
def test_multi_head_attention_keras_parity(kwargs, shapes, call_kwargs):
    args = [torch.randn(*s) for s in shapes]
    ours, theirs, inputs = _keras_pair(kwargs, args, call_kwargs)
    if kwargs.get("dropout"):  # random in training: compare inference only
        np.testing.assert_allclose(
            ours(*inputs()).detach().numpy(), theirs(*inputs()).detach().numpy(), atol=1e-5
        )
        return
    _assert_parity(ours, theirs, inputs, call_kwargs)


@pytest.mark.parametrize("scores", [False, True])
def test_multi_head_attention_keras_parity_with_masks(scores):
    query, value = torch.randn(2, 5, 4), torch.randn(2, 6, 4)
    query_mask = torch.tensor([[1, 1, 1, 0, 0], [1, 1, 1, 1, 1]], dtype=torch.bool)
    value_mask = torch.tensor([[1, 1, 0, 0, 1, 0], [1, 1, 1, 1, 1, 0]], dtype=torch.bool)
    attention_mask = torch.rand(2, 5, 6) > 0.3
    attention_mask[:, :, 0] = True
    call_kwargs = {"attention_mask": attention_mask, "return_attention_scores": scores}
    ours, theirs, inputs = _keras_pair(
        {"num_heads": 2, "key_dim": 3}, [query, value], call_kwargs, [query_mask, value_mask]
    )
    # Fully masked (padded) query rows are "don't care": Keras' fused path averages the values
    # there, ours (and Keras' explicit path) gives zeros.
    _assert_parity(ours, theirs, inputs, call_kwargs, rows=query_mask.numpy())
    out = ours(*inputs())
    assert torch.equal(out._keras_mask, query_mask)


def test_multi_head_attention_input_gradients_match_keras():
    args = [torch.randn(2, 5, 4), torch.randn(2, 6, 4)]
    ours, theirs, _ = _keras_pair({"num_heads": 2, "key_dim": 3}, args)
    grads = []
    for layer in (ours, theirs):
        q, v = (a.clone().requires_grad_() for a in args)
        layer(q, v, use_causal_mask=False).square().sum().backward()
        grads.append((q.grad.numpy(), v.grad.numpy()))
    for a, b in zip(*grads):
        np.testing.assert_allclose(a, b, atol=1e-5)


def test_fused_and_explicit_paths_agree():
    layer = MultiHeadAttention(num_heads=2, key_dim=4)
    q, v = torch.randn(3, 5, 8), torch.randn(3, 7, 8)
    mask = torch.rand(3, 5, 7) > 0.5
    mask[..., 0] = True
    for kwargs in ({}, {"attention_mask": mask}):
        fused = layer(q, v, **kwargs)
        explicit, scores = layer(q, v, return_attention_scores=True, **kwargs)
        torch.testing.assert_close(fused, explicit, atol=1e-5, rtol=1e-5)
        torch.testing.assert_close(scores.sum(-1), torch.ones(3, 2, 5))
    _, causal = layer(q, q, use_causal_mask=True, return_attention_scores=True)
    assert torch.all(causal[..., 0, 1:] == 0) and torch.allclose(causal[..., 0, 0], torch.ones(1))


def test_self_attention_with_key_and_weight_layout():
    layer = MultiHeadAttention(num_heads=4, key_dim=3, value_dim=5)
    x = torch.randn(2, 6, 8)
    assert layer(x, x, x).shape == (2, 6, 8)
    shapes = [tuple(w.shape) for w in layer.weights]
    assert shapes == [(8, 4, 3), (4, 3), (8, 4, 3), (4, 3), (8, 4, 5), (4, 5), (4, 5, 8), (8,)]
    assert [w.path for w in layer.weights][:2] == ["query/kernel", "query/bias"]


def test_dropout_only_in_training_and_seeded():
    x = torch.randn(2, 5, 8)
    a = MultiHeadAttention(num_heads=2, key_dim=4, dropout=0.5, seed=3)
    b = MultiHeadAttention(num_heads=2, key_dim=4, dropout=0.5, seed=3)
    a(x, x)
    b(x, x)
    b.set_weights(a.get_weights())
    assert torch.equal(a(x, x), a(x, x))  # inference: no dropout
    first = a(x, x, training=True)
    assert not torch.allclose(first, a(x, x))
    assert torch.equal(first, b(x, x, training=True))  # same seed, same masks
    unseeded = MultiHeadAttention(num_heads=2, key_dim=4, dropout=0.5)
    unseeded(x, x)
    unseeded.set_weights(a.get_weights())
    assert not torch.allclose(unseeded(x, x, training=True), unseeded(x, x))  # fused dropout


def test_activity_regularizer_applies_to_each_projection_as_in_keras():
    keras = pytest.importorskip("keras")
    kwargs = {"num_heads": 2, "key_dim": 3, "activity_regularizer": regularizers.L2(0.1)}
    ours, theirs, inputs = _keras_pair(kwargs, [torch.randn(2, 4, 6), torch.randn(2, 5, 6)])
    assert isinstance(theirs, keras.layers.MultiHeadAttention)
    ours(*inputs())
    theirs(*inputs())
    assert len(ours.losses) == 4 and len(theirs.losses) == 4
    for a, b in zip(ours.losses, theirs.losses):
        torch.testing.assert_close(a.detach(), b.detach())


def test_compute_output_shape():
    layer = MultiHeadAttention(num_heads=2, key_dim=3, output_shape=7)
    assert layer.compute_output_shape((None, 5, 4), (None, 6, 4)) == (None, 5, 7)
    assert MultiHeadAttention(2, 3).compute_output_shape((2, 3, 5, 4), (2, 3, 6, 4)) == (2, 3, 5, 4)
    with pytest.raises(ValueError, match=r"`value` and `key`.*key_shape=\(2, 5, 4\)"):
        layer.compute_output_shape((2, 5, 4), (2, 6, 4), (2, 5, 4))


@pytest.mark.parametrize(
    "kwargs, match",
    [
        ({"num_heads": 0, "key_dim": 2}, "Received: num_heads=0"),
        ({"num_heads": 2, "key_dim": 1.5}, "Received: key_dim=1.5"),
        ({"num_heads": 2, "key_dim": 2, "value_dim": -1}, "Received: value_dim=-1"),
        ({"num_heads": 2, "key_dim": 2, "output_shape": "x"}, "Received: output_shape='x'"),
        ({"num_heads": 2, "key_dim": 2, "attention_axes": "x"}, "Received: attention_axes='x'"),
        ({"num_heads": 2, "key_dim": 2, "dropout": 1.5}, "Received: dropout=1.5"),
        ({"num_heads": 2, "key_dim": 2, "dropout": 0.1, "flash_attention": True},
         "Dropout is not supported when flash attention.*Received: dropout=0.1"),
        ({"num_heads": 2, "key_dim": 2, "sliding_window": 0}, "Received: sliding_window=0"),
        ({"num_heads": 2, "key_dim": 2, "seed": "a"}, "Received: seed='a'"),
    ],
)  # fmt: skip
def test_constructor_errors(kwargs, match):
    with pytest.raises(ValueError, match=match):
        MultiHeadAttention(**kwargs)


def test_build_and_call_errors():
    x3, x4 = torch.randn(2, 5, 4), torch.randn(2, 3, 5, 4)
    with pytest.raises(ValueError, match=r"except the last one.*key_shape=\(2, 4, 4\)"):
        MultiHeadAttention(2, 2)(x3, x3, torch.randn(2, 4, 4))
    with pytest.raises(ValueError, match=r"same rank.*value_shape=\(2, 3, 5, 4\)"):
        MultiHeadAttention(2, 2)(x3, x4)
    with pytest.raises(ValueError, match=r"`attention_axes`.*Received: attention_axes=\(3,\)"):
        MultiHeadAttention(2, 2, attention_axes=3)(x4, x4)
    flash = MultiHeadAttention(2, 2, flash_attention=True)
    with pytest.raises(ValueError, match="flash attention.*Received: return_attention_scores=True"):
        flash(x3, x3, return_attention_scores=True)


def test_functional_model_with_attention_and_residual():
    from torchkeras_lite.layers.merging import add

    query, value = keras_lite.Input((5, 8)), keras_lite.Input((6, 8))
    mha = MultiHeadAttention(num_heads=2, key_dim=4)
    out = add([mha(query, value), query])
    assert tuple(out.shape) == (None, 5, 8)
    model = keras_lite.Model([query, value], out)
    q, v = torch.randn(3, 5, 8), torch.randn(3, 6, 8)
    torch.testing.assert_close(model([q, v]), mha(q, v) + q)
