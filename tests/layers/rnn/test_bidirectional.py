"""Bidirectional: merge modes, states, masks, custom backward layers, statefulness, errors."""

import numpy as np
import pytest
import torch
from conformance import run_layer_test
from rnn_parity import POST_MASK, PRE_MASK, assert_parity, twin

from torchkeras_lite.layers import GRU, LSTM, Bidirectional, Layer, SimpleRNN

keras = pytest.importorskip("keras")
X = np.random.default_rng(6).normal(size=(4, 6, 3)).astype("float32")


def test_bidirectional_conformance():
    run_layer_test(
        Bidirectional,
        {"layer": LSTM(4, return_sequences=True), "merge_mode": "sum"},
        input_shape=(2, 5, 3),
        expected_output_shape=(2, 5, 4),
        expected_num_trainable_weights=6,
        supports_masking=True,
        keras_init_kwargs={
            "layer": keras.layers.LSTM(4, return_sequences=True),
            "merge_mode": "sum",
        },
    )


@pytest.mark.parametrize("merge_mode", ["concat", "sum", "mul", "ave", None])
@pytest.mark.parametrize("return_sequences", [False, True])
def test_merge_modes_match_keras(merge_mode, return_sequences):
    ours = Bidirectional(GRU(4, return_sequences=return_sequences), merge_mode=merge_mode)
    theirs = keras.layers.Bidirectional(
        keras.layers.GRU(4, return_sequences=return_sequences), merge_mode=merge_mode
    )
    twin(ours, theirs, X)
    out = assert_parity(ours, theirs, X, modes=(False,))[0]
    assert len(out) == (2 if merge_mode is None else 1)
    shape = ours.compute_output_shape((4, 6, 3))
    got = [tuple(o.shape) for o in out]
    assert (list(shape) if merge_mode is None else [shape]) == got


@pytest.mark.parametrize("mask", [POST_MASK, PRE_MASK], ids=["post", "pre"])
@pytest.mark.parametrize("return_sequences", [False, True])
def test_masks_and_states_match_keras(mask, return_sequences):
    kwargs = dict(return_sequences=return_sequences, return_state=True)
    ours = Bidirectional(LSTM(4, **kwargs))
    theirs = keras.layers.Bidirectional(keras.layers.LSTM(4, bias_initializer="ones", **kwargs))
    twin(ours, theirs, X)
    out = assert_parity(ours, theirs, X, mask=mask)[0]
    assert len(out) == 5  # output, forward h and c, backward h and c
    if return_sequences:  # masked steps are zeros in both directions
        padded = torch.from_numpy(~mask)
        assert bool((out[0][padded] == 0).all())


def test_initial_state_and_merge_none_with_states():
    ours = Bidirectional(SimpleRNN(3, return_state=True), merge_mode=None)
    theirs = keras.layers.Bidirectional(
        keras.layers.SimpleRNN(3, return_state=True), merge_mode=None
    )
    twin(ours, theirs, X)
    states = [np.full((4, 3), v, "float32") for v in (0.5, -0.5)]
    out = assert_parity(ours, theirs, X, initial_state=states)[0]
    assert len(out) == 4
    assert len(ours.compute_output_shape((4, 6, 3))) == 4


def test_custom_backward_layer_and_weights_order():
    forward, backward = LSTM(3), GRU(3, go_backwards=True)
    layer = Bidirectional(forward, backward_layer=backward, merge_mode="ave")
    out = layer(torch.from_numpy(X))
    assert out.shape == (4, 3) and layer.backward_layer is backward
    assert [w.path.split("/")[0] for w in layer.weights] == ["lstm_cell"] * 3 + ["gru_cell"] * 3
    assert layer.forward_layer.name.startswith("forward_lstm")
    weights = [np.full(w.shape, 0.1, "float32") for w in layer.get_weights()]
    preset = Bidirectional(LSTM(3), backward_layer=GRU(3, go_backwards=True), weights=weights)
    preset(torch.from_numpy(X))
    assert all(np.allclose(w, 0.1) for w in preset.get_weights())


def test_stateful_bidirectional():
    ours = Bidirectional(GRU(3, stateful=True))
    theirs = keras.layers.Bidirectional(keras.layers.GRU(3, stateful=True))
    twin(ours, theirs, X)
    ours.reset_state()
    theirs.reset_state()
    for chunk in (X[:, :3], X[:, 3:]):
        np.testing.assert_allclose(
            ours(torch.from_numpy(chunk)).detach().numpy(),
            keras.ops.convert_to_numpy(theirs(chunk)),
            atol=1e-5,
        )
    assert len(ours.states) == 2
    ours.reset_states()
    assert all(bool((s == 0).all()) for s in ours.states)
    with pytest.raises(AttributeError, match="Layer must be stateful"):
        Bidirectional(GRU(3)).reset_state()


def test_config_round_trip():
    layer = Bidirectional(LSTM(3, return_sequences=True), merge_mode="mul")
    config = layer.get_config()
    assert config["merge_mode"] == "mul" and config["backward_layer"]["config"]["go_backwards"]
    clone = Bidirectional.from_config(config)
    assert clone.merge_mode == "mul" and clone.backward_layer.go_backwards
    assert clone.forward_layer.return_sequences and clone.forward_layer.zero_output_for_mask


def test_errors():
    with pytest.raises(ValueError, match="`keras.layers.Layer` instance. Received: layer=3"):
        Bidirectional(3)
    with pytest.raises(ValueError, match="Received: backward_layer=x"):
        Bidirectional(LSTM(2), backward_layer="x")
    with pytest.raises(ValueError, match="Invalid merge mode.*Received: merge_mode='max'"):
        Bidirectional(LSTM(2), merge_mode="max")
    with pytest.raises(ValueError, match="`go_backwards` attribute. Received: layer="):
        Bidirectional(Layer())
    with pytest.raises(ValueError, match="different `go_backwards`.*Received"):
        Bidirectional(LSTM(2), backward_layer=LSTM(2))
    with pytest.raises(ValueError, match='"return_sequences". Received'):
        Bidirectional(LSTM(2), backward_layer=LSTM(2, go_backwards=True, return_sequences=True))


def test_one_bidirectional_kernel_call_when_both_directions_allow_it(monkeypatch):
    from torchkeras_lite.ops import rnn as rnn_ops

    calls = []
    original = rnn_ops.fused_birnn
    monkeypatch.setattr(
        rnn_ops, "fused_birnn", lambda *a, **k: calls.append(a[0]) or original(*a, **k)
    )
    x = torch.from_numpy(X)
    post, pre = torch.from_numpy(POST_MASK), torch.from_numpy(PRE_MASK)
    fused = Bidirectional(GRU(4, return_sequences=True))
    fused(x)
    fused(x, mask=post)
    assert calls == ["gru", "gru"]
    fused(x, mask=pre)  # not post-padded: two calls through the step loop
    Bidirectional(GRU(4, reset_after=False))(x)
    Bidirectional(LSTM(4, dropout=0.5))(x, training=True)
    Bidirectional(LSTM(4), backward_layer=GRU(4, go_backwards=True))(x)
    assert calls == ["gru", "gru"]
    # the two-call path gives the same numbers
    two = Bidirectional(GRU(4, return_sequences=True, use_cudnn=False))
    two(x)
    two.set_weights(fused.get_weights())
    for mask in (None, post):
        torch.testing.assert_close(two(x, mask=mask), fused(x, mask=mask), atol=1e-5, rtol=1e-5)
