"""SimpleRNN and SimpleRNNCell: torch's rnn_tanh/rnn_relu kernels, the loop otherwise."""

import numpy as np
import pytest
import torch
from conformance import run_layer_test
from rnn_parity import ARBITRARY_MASK, POST_MASK, assert_parity, twin

from torchkeras_lite.layers import SimpleRNN, SimpleRNNCell
from torchkeras_lite.ops import rnn as rnn_ops

keras = pytest.importorskip("keras")
X = np.random.default_rng(4).normal(size=(4, 6, 3)).astype("float32")


def test_simple_rnn_conformance():
    run_layer_test(
        SimpleRNN,
        {"units": 4, "return_state": True},
        input_shape=(2, 5, 3),
        expected_output_shape=[(2, 4), (2, 4)],
        expected_num_trainable_weights=3,
        supports_masking=True,
    )


@pytest.mark.parametrize(
    "activation, mode", [("tanh", "rnn_tanh"), ("relu", "rnn_relu"), ("sigmoid", None)]
)
@pytest.mark.parametrize("go_backwards", [False, True])
def test_parity_and_kernel_choice(monkeypatch, activation, mode, go_backwards):
    modes = []
    original = rnn_ops.fused_rnn
    monkeypatch.setattr(
        rnn_ops, "fused_rnn", lambda m, *a, **k: modes.append(m) or original(m, *a, **k)
    )
    kwargs = dict(activation=activation, go_backwards=go_backwards, return_sequences=True)
    ours = SimpleRNN(5, **kwargs)
    theirs = keras.layers.SimpleRNN(5, bias_initializer="random_normal", **kwargs)
    twin(ours, theirs, X)
    assert_parity(ours, theirs, X)
    assert modes == ([mode] * 3 if mode else [])


@pytest.mark.parametrize("mask", [POST_MASK, ARBITRARY_MASK], ids=["post", "arbitrary"])
def test_masks_and_initial_state(mask):
    ours = SimpleRNN(5, return_sequences=True, return_state=True)
    theirs = keras.layers.SimpleRNN(5, return_sequences=True, return_state=True)
    twin(ours, theirs, X)
    state = np.full((4, 5), 0.25, "float32")
    assert_parity(ours, theirs, X, mask=mask, initial_state=[state])


def test_stateful_and_dropout():
    ours, theirs = SimpleRNN(3, stateful=True), keras.layers.SimpleRNN(3, stateful=True)
    twin(ours, theirs, X)
    ours.reset_state()
    theirs.reset_state()
    for chunk in (X[:, :2], X[:, 2:]):
        np.testing.assert_allclose(
            ours(torch.from_numpy(chunk)).detach().numpy(),
            keras.ops.convert_to_numpy(theirs(chunk)),
            atol=1e-5,
        )
    x = torch.from_numpy(X)
    dropping = SimpleRNN(8, dropout=1.0)  # Keras applies SimpleRNN dropout even at rate 1
    dropping(x)
    with torch.no_grad():
        dropping.cell.bias.fill_(0.5)
    h = torch.zeros(4, 8)  # every input dropped: only the bias drives the recurrence
    for _ in range(6):
        h = torch.tanh(0.5 + h @ dropping.cell.recurrent_kernel.detach())
    torch.testing.assert_close(dropping(x, training=True), h)
    assert not torch.allclose(dropping(x), h)  # no dropout in inference


def test_cell_and_errors():
    cell = SimpleRNNCell(3)
    out, states = cell(torch.ones(2, 4), [torch.zeros(2, 3)])
    assert out.shape == (2, 3) and torch.equal(states[0], out)
    assert cell.state_size == 3 and cell.output_size == 3
    with pytest.raises(ValueError, match="Received: units=0"):
        SimpleRNNCell(0)
    with pytest.raises(ValueError, match="Received: recurrent_dropout=None"):
        SimpleRNN(2, recurrent_dropout=None)
    config = SimpleRNN(2, activation="relu").get_config()
    assert config["activation"] == "relu" and config["units"] == 2
    assert set(keras.layers.SimpleRNN(2).get_config()) <= set(config)
