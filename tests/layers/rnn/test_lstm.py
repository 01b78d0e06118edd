"""LSTM and LSTMCell: Keras layout and parity, torch's fused kernel, packed masks, statefulness."""

import numpy as np
import pytest
import torch
from conformance import run_layer_test
from rnn_parity import ARBITRARY_MASK, POST_MASK, PRE_MASK, assert_parity, twin

import torchkeras_lite as tkl
from torchkeras_lite.layers import LSTM, LSTMCell
from torchkeras_lite.ops import rnn as rnn_ops

keras = pytest.importorskip("keras")
X = np.random.default_rng(0).normal(size=(4, 6, 3)).astype("float32")


@pytest.fixture
def kernel_calls(monkeypatch):
    """Counts the calls of the fused kernel (plain and packed) and of the step loop."""
    calls = {"fused": 0, "packed": 0, "loop": 0}
    for name, key in (("fused_rnn", "fused"), ("fused_rnn_packed", "packed"), ("rnn_loop", "loop")):
        original = getattr(rnn_ops, name)

        def spy(*args, _original=original, _key=key, **kwargs):
            calls[_key] += 1
            return _original(*args, **kwargs)

        monkeypatch.setattr(rnn_ops, name, spy)
    return calls


def test_lstm_conformance():
    run_layer_test(
        LSTM,
        {"units": 4, "return_sequences": True},
        input_shape=(2, 5, 3),
        expected_output_shape=(2, 5, 4),
        expected_num_trainable_weights=3,
        supports_masking=True,
    )


def test_torch_compile_matches_eager():
    # The family's one compile check. It compiles `call` (the fused kernel graph-breaks and runs
    # eagerly, as nn.LSTM does under dynamo); compiling the Layer itself currently stops in the
    # base class's `_set_mask`, see the report on the recurrent layers.
    layer = LSTM(4, return_sequences=True, return_state=True)
    x = torch.from_numpy(X)
    eager = layer(x)
    compiled = torch.compile(layer.call)(x)
    for a, b in zip(compiled, eager):
        torch.testing.assert_close(a, b)


def test_lstm_conformance_with_states_and_no_bias():
    run_layer_test(
        LSTM,
        {"units": 3, "return_state": True, "use_bias": False, "go_backwards": True},
        input_shape=(2, 4, 2),
        expected_output_shape=[(2, 3), (2, 3), (2, 3)],
        expected_num_trainable_weights=2,
    )


def test_weights_have_keras_layout_and_unit_forget_bias():
    layer = LSTM(5)
    layer(torch.zeros(1, 2, 3))
    assert [tuple(w.shape) for w in layer.get_weights()] == [(3, 20), (5, 20), (20,)]
    bias = layer.cell.bias.detach()
    assert torch.equal(bias[5:10], torch.ones(5)) and torch.equal(bias[:5], torch.zeros(5))
    assert [w.path for w in layer.weights] == [
        "lstm_cell/kernel",
        "lstm_cell/recurrent_kernel",
        "lstm_cell/bias",
    ]


@pytest.mark.parametrize("return_sequences", [False, True])
@pytest.mark.parametrize("go_backwards", [False, True])
def test_parity_fused_path(kernel_calls, return_sequences, go_backwards):
    kwargs = dict(return_sequences=return_sequences, go_backwards=go_backwards, return_state=True)
    ours, theirs = (
        LSTM(5, **kwargs),
        keras.layers.LSTM(5, bias_initializer="random_normal", **kwargs),
    )
    twin(ours, theirs, X)
    assert_parity(ours, theirs, X)
    assert kernel_calls["fused"] >= 2 and kernel_calls["loop"] == 0


@pytest.mark.parametrize("go_backwards", [False, True])
@pytest.mark.parametrize("return_sequences", [False, True])
def test_post_padded_mask_runs_packed_and_matches_keras(
    kernel_calls, go_backwards, return_sequences
):
    kwargs = dict(return_sequences=return_sequences, go_backwards=go_backwards, return_state=True)
    ours, theirs = (
        LSTM(5, **kwargs),
        keras.layers.LSTM(5, bias_initializer="random_normal", **kwargs),
    )
    twin(ours, theirs, X)
    assert_parity(ours, theirs, X, mask=POST_MASK)  # rows: full, length 4, length 1, empty
    assert kernel_calls["packed"] == 2 and kernel_calls["loop"] == 0


@pytest.mark.parametrize("mask", [PRE_MASK, ARBITRARY_MASK], ids=["pre", "arbitrary"])
def test_other_masks_fall_back_to_the_loop(kernel_calls, mask):
    ours = LSTM(5, return_sequences=True, return_state=True)
    theirs = keras.layers.LSTM(5, return_sequences=True, return_state=True)
    twin(ours, theirs, X)
    assert_parity(ours, theirs, X, mask=mask)
    assert kernel_calls["packed"] == 0 and kernel_calls["loop"] == 2


def test_mask_from_an_upstream_embedding():
    tokens = np.array([[3, 5, 2, 0, 0], [4, 1, 0, 0, 0], [2, 2, 2, 2, 1]], dtype="int64")
    emb, k_emb = (
        tkl.layers.Embedding(6, 3, mask_zero=True),
        keras.layers.Embedding(6, 3, mask_zero=True),
    )
    ours, theirs = LSTM(4, return_sequences=True), keras.layers.LSTM(4, return_sequences=True)
    emb(torch.from_numpy(tokens))
    k_emb(tokens)
    k_emb.set_weights(emb.get_weights())
    twin(ours, theirs, np.zeros((3, 5, 3), "float32"))
    got = ours(emb(torch.from_numpy(tokens)))
    expected = theirs(k_emb(tokens))
    np.testing.assert_allclose(
        got.detach().numpy(), keras.ops.convert_to_numpy(expected), atol=1e-5
    )
    assert torch.equal(got._keras_mask, torch.from_numpy(tokens != 0))


def test_initial_state_matches_keras():
    ours, theirs = LSTM(4, return_state=True), keras.layers.LSTM(4, return_state=True)
    twin(ours, theirs, X)
    rng = np.random.default_rng(1)
    state = [rng.normal(size=(4, 4)).astype("float32") for _ in range(2)]
    assert_parity(ours, theirs, X, initial_state=state)


def test_stateful_two_batches_and_reset_match_keras():
    ours, theirs = LSTM(4, stateful=True), keras.layers.LSTM(4, stateful=True)
    twin(ours, theirs, X)
    theirs.reset_state()
    ours.reset_state()
    for chunk in (X[:, :3], X[:, 3:], X[:, :2]):
        np.testing.assert_allclose(
            ours(torch.from_numpy(chunk)).detach().numpy(),
            keras.ops.convert_to_numpy(theirs(chunk)),
            atol=1e-5,
        )
    np.testing.assert_allclose(
        ours.states[1].numpy(), keras.ops.convert_to_numpy(theirs.states[1].value), atol=1e-5
    )
    ours.reset_states()
    assert all(bool((s == 0).all()) for s in ours.states)
    with pytest.raises(ValueError, match="same as the batch size.*Received: batch_size=2"):
        ours(torch.zeros(2, 3, 3))


def test_fused_and_loop_gradients_agree():
    fused, loop = LSTM(4, return_sequences=True), LSTM(4, return_sequences=True, use_cudnn=False)
    x = torch.from_numpy(X)
    fused(x)
    loop(x)
    loop.set_weights(fused.get_weights())
    for layer in (fused, loop):
        (layer(x, training=True) ** 2).sum().backward()
    for a, b in zip(fused.weights, loop.weights):
        torch.testing.assert_close(a.grad, b.grad, atol=1e-5, rtol=1e-4)


def test_custom_activation_and_unroll_use_the_loop(kernel_calls):
    ours = LSTM(4, activation="relu", recurrent_activation="hard_sigmoid", unroll=True)
    theirs = keras.layers.LSTM(
        4, activation="relu", recurrent_activation="hard_sigmoid", unroll=True
    )
    twin(ours, theirs, X)
    assert_parity(ours, theirs, X)
    assert kernel_calls["fused"] == 0


def test_dropout_and_recurrent_dropout(kernel_calls):
    x = torch.from_numpy(X)
    layer = LSTM(8, dropout=0.5, recurrent_dropout=0.5, seed=3)
    reference = LSTM(8)
    layer(x)
    reference(x)
    reference.set_weights(layer.get_weights())
    kernel_calls.update(fused=0, loop=0)
    assert torch.equal(layer(x), reference(x))  # inference: no dropout (fused kernel)
    assert kernel_calls["fused"] == 2
    assert not torch.allclose(layer(x, training=True), reference(x, training=True))
    assert kernel_calls["loop"] == 1  # recurrent dropout in training: the step loop
    input_only = LSTM(8, dropout=0.5)
    input_only(x, training=True)
    assert kernel_calls["loop"] == 1 and kernel_calls["fused"] == 4  # input dropout stays fused
    assert not torch.equal(input_only(x, training=True), input_only(x, training=True))
    seeded = [LSTM(8, dropout=0.5, recurrent_dropout=0.3, seed=7) for _ in range(2)]
    seeded[0](x)
    seeded[1](x)
    seeded[1].set_weights(seeded[0].get_weights())
    assert torch.equal(seeded[0](x, training=True), seeded[1](x, training=True))


def test_use_cudnn_true_requires_a_fusable_configuration():
    with pytest.raises(ValueError, match="does not support this layer configuration"):
        LSTM(3, activation="relu", use_cudnn=True)(torch.zeros(1, 2, 2))
    assert LSTM(3, use_cudnn=True)(torch.zeros(1, 2, 2)).shape == (1, 3)


def test_argument_errors():
    with pytest.raises(ValueError, match="expected a positive integer. Received: units=0"):
        LSTM(0)
    with pytest.raises(ValueError, match="Received: units=2.5"):
        LSTMCell(2.5)
    with pytest.raises(ValueError, match="Received: use_cudnn='yes'"):
        LSTM(2, use_cudnn="yes")
    with pytest.raises(ValueError, match="between 0 and 1. Received: dropout='a'"):
        LSTM(2, dropout="a")
    with pytest.raises(ValueError, match="integer or None. Received: seed=1.5"):
        LSTM(2, seed=1.5)
    with pytest.raises(ValueError, match="expected ndim=3, found ndim=2"):
        LSTM(2)(torch.zeros(2, 3))


def test_cell_step_matches_keras():
    ours, theirs = LSTMCell(4), keras.layers.LSTMCell(4)
    step = X[:, 0]
    states = [np.ones((4, 4), "float32") * 0.1, np.ones((4, 4), "float32") * -0.2]
    ours(torch.from_numpy(step), [torch.from_numpy(s) for s in states])
    theirs(step, states)
    theirs.set_weights(ours.get_weights())
    h, (h2, c) = ours(torch.from_numpy(step), [torch.from_numpy(s) for s in states])
    kh, (_, kc) = theirs(step, states)
    np.testing.assert_allclose(h.detach().numpy(), keras.ops.convert_to_numpy(kh), atol=1e-6)
    np.testing.assert_allclose(c.detach().numpy(), keras.ops.convert_to_numpy(kc), atol=1e-6)
    assert ours.state_size == [4, 4] and ours.output_size == 4
    init = ours.get_initial_state(batch_size=2)
    assert [tuple(s.shape) for s in init] == [(2, 4), (2, 4)]


def test_config_is_flat_like_keras():
    config = LSTM(3, dropout=0.1, return_sequences=True, name="enc").get_config()
    assert "cell" not in config and config["units"] == 3 and config["dropout"] == 0.1
    assert config["return_sequences"] is True and config["name"] == "enc"
    keras_keys = set(keras.layers.LSTM(3).get_config())
    assert keras_keys <= set(config)
    clone = LSTM.from_config(config)
    assert clone.units == 3 and clone.cell.dropout == 0.1 and clone.return_sequences


def test_long_sequence_parity_stays_within_1e5():
    # 80 steps: float32 rounding differences between torch's kernel and Keras' loop stay ~1e-7
    x = np.random.default_rng(3).normal(size=(2, 80, 4)).astype("float32")
    ours, theirs = LSTM(8, return_sequences=True), keras.layers.LSTM(8, return_sequences=True)
    twin(ours, theirs, x)
    assert_parity(ours, theirs, x, modes=(False,))
