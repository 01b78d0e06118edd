"""GRU and GRUCell: both reset_after modes, gate reordering for torch's kernel, masks, states."""

import numpy as np
import pytest
import torch
from conformance import run_layer_test
from rnn_parity import ARBITRARY_MASK, POST_MASK, assert_parity, twin

from torchkeras_lite.layers import GRU, GRUCell
from torchkeras_lite.ops import rnn as rnn_ops

keras = pytest.importorskip("keras")
X = np.random.default_rng(2).normal(size=(4, 6, 3)).astype("float32")


@pytest.fixture
def fused_calls(monkeypatch):
    calls = []
    for name in ("fused_rnn", "fused_rnn_packed"):
        original = getattr(rnn_ops, name)

        def spy(mode, *args, _original=original, **kwargs):
            calls.append(mode)
            return _original(mode, *args, **kwargs)

        monkeypatch.setattr(rnn_ops, name, spy)
    return calls


@pytest.mark.parametrize("reset_after", [True, False])
def test_gru_conformance(reset_after):
    run_layer_test(
        GRU,
        {"units": 4, "reset_after": reset_after, "return_sequences": True},
        input_shape=(2, 5, 3),
        expected_output_shape=(2, 5, 4),
        expected_num_trainable_weights=3,
        supports_masking=True,
    )


def test_bias_shapes_follow_reset_after():
    after, before = GRU(5), GRU(5, reset_after=False)
    after(torch.zeros(1, 2, 3))
    before(torch.zeros(1, 2, 3))
    assert [tuple(w.shape) for w in after.get_weights()] == [(3, 15), (5, 15), (2, 15)]
    assert [tuple(w.shape) for w in before.get_weights()] == [(3, 15), (5, 15), (15,)]


@pytest.mark.parametrize("reset_after", [True, False])
@pytest.mark.parametrize("go_backwards", [False, True])
@pytest.mark.parametrize("return_sequences", [False, True])
def test_parity_with_keras(fused_calls, reset_after, go_backwards, return_sequences):
    kwargs = dict(
        reset_after=reset_after,
        go_backwards=go_backwards,
        return_sequences=return_sequences,
        return_state=True,
    )
    ours = GRU(5, **kwargs)
    theirs = keras.layers.GRU(5, bias_initializer="random_normal", **kwargs)
    twin(ours, theirs, X)
    assert_parity(ours, theirs, X)
    assert fused_calls == (["gru"] * 3 if reset_after else [])  # reset_after=False: the loop


@pytest.mark.parametrize("mask", [POST_MASK, ARBITRARY_MASK], ids=["post", "arbitrary"])
@pytest.mark.parametrize("go_backwards", [False, True])
def test_masks(mask, go_backwards):
    kwargs = dict(go_backwards=go_backwards, return_sequences=True, return_state=True)
    ours = GRU(5, **kwargs)
    theirs = keras.layers.GRU(5, bias_initializer="random_normal", **kwargs)
    twin(ours, theirs, X)
    assert_parity(ours, theirs, X, mask=mask)


def test_use_bias_false_and_custom_activation():
    for kwargs in ({"use_bias": False}, {"activation": "relu", "recurrent_activation": "tanh"}):
        ours, theirs = GRU(4, **kwargs), keras.layers.GRU(4, **kwargs)
        twin(ours, theirs, X)
        assert_parity(ours, theirs, X)


def test_initial_state_and_stateful():
    ours, theirs = GRU(4, return_state=True), keras.layers.GRU(4, return_state=True)
    twin(ours, theirs, X)
    state = np.random.default_rng(3).normal(size=(4, 4)).astype("float32")
    assert_parity(ours, theirs, X, initial_state=[state])
    assert_parity(ours, theirs, X, initial_state=state)  # a bare tensor is accepted too
    ours, theirs = GRU(4, stateful=True), keras.layers.GRU(4, stateful=True)
    twin(ours, theirs, X)
    ours.reset_state()
    theirs.reset_state()
    for chunk in (X[:, :4], X[:, 4:]):
        np.testing.assert_allclose(
            ours(torch.from_numpy(chunk)).detach().numpy(),
            keras.ops.convert_to_numpy(theirs(chunk)),
            atol=1e-5,
        )


def test_recurrent_dropout_uses_per_gate_masks():
    x = torch.from_numpy(X)
    layer = GRU(6, dropout=0.3, recurrent_dropout=0.3, seed=1)
    assert layer.cell.implementation == 1 and layer.cell.dropout_mask_count == 3
    a, b = layer(x, training=True), layer(x, training=True)
    assert not torch.equal(a, b)  # a new mask for each sequence
    assert torch.equal(layer(x), layer(x))
    (a**2).sum().backward()
    assert all(w.grad is not None for w in layer.weights)


def test_reset_after_false_cell_step_matches_keras():
    ours, theirs = GRUCell(4, reset_after=False), keras.layers.GRUCell(4, reset_after=False)
    step, state = X[:, 0], np.full((4, 4), 0.3, "float32")
    ours(torch.from_numpy(step), torch.from_numpy(state))
    theirs(step, state)
    theirs.set_weights(ours.get_weights())
    h, new = ours(torch.from_numpy(step), torch.from_numpy(state))  # a bare state stays bare
    kh, _ = theirs(step, state)
    assert isinstance(new, torch.Tensor)
    np.testing.assert_allclose(h.detach().numpy(), keras.ops.convert_to_numpy(kh), atol=1e-6)


def test_errors_and_config():
    with pytest.raises(ValueError, match="Received: units=-1"):
        GRU(-1)
    with pytest.raises(ValueError, match="Received: use_cudnn=1"):
        GRU(2, use_cudnn=1)
    with pytest.raises(ValueError, match="does not support this layer configuration"):
        GRU(2, reset_after=False, use_cudnn=True)(torch.zeros(1, 2, 2))
    config = GRU(3, reset_after=False, seed=4).get_config()
    assert config["reset_after"] is False and config["seed"] == 4 and "cell" not in config
    assert set(keras.layers.GRU(3).get_config()) <= set(config)
    assert GRU.from_config(config).reset_after is False
