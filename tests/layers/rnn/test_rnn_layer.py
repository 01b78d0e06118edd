"""RNN with custom and stacked cells: the step loop, masks, unroll, shapes, config, errors."""

import numpy as np
import pytest
import torch
from conformance import run_layer_test
from rnn_parity import ARBITRARY_MASK, POST_MASK, assert_parity, twin

from torchkeras_lite.layers import RNN, GRUCell, Layer, LSTMCell, SimpleRNNCell, StackedRNNCells
from torchkeras_lite.saving import register_keras_serializable

keras = pytest.importorskip("keras")
X = np.random.default_rng(5).normal(size=(4, 6, 3)).astype("float32")


@register_keras_serializable(package="rnn_tests")
class MinimalRNNCell(Layer):
    """The custom cell of Keras' RNN docstring, with a second state and a training flag."""

    def __init__(self, units, **kwargs):
        super().__init__(**kwargs)
        self.units = units
        self.state_size = [units, 1]

    def build(self, input_shape):
        self.kernel = self.add_weight(shape=(input_shape[-1], self.units), name="kernel")
        self.recurrent_kernel = self.add_weight(shape=(self.units, self.units), name="recurrent")

    def call(self, inputs, states, training=None):
        prev, count = states
        output = torch.tanh(inputs @ self.kernel + prev @ self.recurrent_kernel)
        return output, [output, count + (2.0 if training else 1.0)]

    def get_config(self):
        return {**super().get_config(), "units": self.units}


class KerasMinimalRNNCell(keras.layers.Layer):
    def __init__(self, units, **kwargs):
        super().__init__(**kwargs)
        self.units = units
        self.state_size = [units, 1]

    def build(self, input_shape):
        self.kernel = self.add_weight(shape=(input_shape[-1], self.units), name="kernel")
        self.recurrent_kernel = self.add_weight(shape=(self.units, self.units), name="recurrent")

    def call(self, inputs, states, training=None):
        prev, count = states
        ops = keras.ops
        output = ops.tanh(ops.matmul(inputs, self.kernel) + ops.matmul(prev, self.recurrent_kernel))
        return output, [output, count + (2.0 if training else 1.0)]


def test_rnn_conformance_with_a_custom_cell():
    run_layer_test(
        RNN,
        {"cell": MinimalRNNCell(4), "return_sequences": True},
        input_shape=(2, 5, 3),
        expected_output_shape=(2, 5, 4),
        expected_num_trainable_weights=2,
        keras_init_kwargs={"cell": KerasMinimalRNNCell(4), "return_sequences": True},
    )


def test_rnn_conformance_with_stacked_cells():
    run_layer_test(
        RNN,
        {"cell": [LSTMCell(4), GRUCell(3)]},
        input_shape=(2, 5, 3),
        expected_output_shape=(2, 3),
        expected_num_trainable_weights=6,
        keras_init_kwargs={"cell": [keras.layers.LSTMCell(4), keras.layers.GRUCell(3)]},
    )


@pytest.mark.parametrize("mask", [None, POST_MASK, ARBITRARY_MASK], ids=["none", "post", "arb"])
@pytest.mark.parametrize("zero_output_for_mask", [False, True])
@pytest.mark.parametrize("go_backwards", [False, True])
def test_custom_cell_parity(mask, zero_output_for_mask, go_backwards):
    kwargs = dict(
        return_sequences=True,
        return_state=True,
        go_backwards=go_backwards,
        zero_output_for_mask=zero_output_for_mask,
    )
    ours, theirs = RNN(MinimalRNNCell(4), **kwargs), RNN_K(KerasMinimalRNNCell(4), **kwargs)
    twin(ours, theirs, X)
    extra = {} if mask is None else {"mask": mask}
    assert_parity(ours, theirs, X, **extra)  # the count state checks the training flag


def RNN_K(cell, **kwargs):  # noqa: N802
    return keras.layers.RNN(cell, **kwargs)


@pytest.mark.parametrize("zero_output_for_mask", [False, True])
def test_last_output_with_masks_and_zero_output(zero_output_for_mask):
    # with zero_output_for_mask, a row whose last step is masked ends on zeros (Keras' behaviour)
    kwargs = dict(zero_output_for_mask=zero_output_for_mask, return_state=True)
    ours, theirs = RNN(LSTMCell(4), **kwargs), keras.layers.RNN(keras.layers.LSTMCell(4), **kwargs)
    twin(ours, theirs, X)
    assert_parity(ours, theirs, X, mask=POST_MASK)


def test_stacked_cells_with_masks_states_and_dropout():
    cells = [LSTMCell(4), SimpleRNNCell(2), GRUCell(3, reset_after=False)]
    k_cells = [keras.layers.LSTMCell(4), keras.layers.SimpleRNNCell(2)]
    k_cells.append(keras.layers.GRUCell(3, reset_after=False))
    ours = RNN(StackedRNNCells(cells), return_sequences=True, return_state=True)
    theirs = keras.layers.RNN(keras.layers.StackedRNNCells(k_cells), return_sequences=True,
                              return_state=True)  # fmt: skip
    twin(ours, theirs, X)
    out = assert_parity(ours, theirs, X, mask=ARBITRARY_MASK, modes=(False,))[0]
    assert len(out) == 1 + 4
    stacked = ours.cell
    assert stacked.state_size == [[4, 4], 2, 3] and stacked.output_size == 3
    result = ours(torch.from_numpy(X))
    assert isinstance(result[1], list) and len(result[1]) == 2  # the LSTM's [h, c]
    dropping = RNN([LSTMCell(4, dropout=0.5, recurrent_dropout=0.5), GRUCell(3, dropout=0.5)])
    x = torch.from_numpy(X)
    assert not torch.equal(dropping(x, training=True), dropping(x, training=True))
    assert torch.equal(dropping(x), dropping(x))


def test_unroll_and_state_initial_values():
    x = torch.from_numpy(X)
    rolled, unrolled = RNN(GRUCell(4)), RNN(GRUCell(4), unroll=True)
    rolled(x)
    unrolled(x)
    unrolled.set_weights(rolled.get_weights())
    torch.testing.assert_close(rolled(x), unrolled(x))
    layer = RNN(MinimalRNNCell(3), return_state=True)
    _, _, count = layer(x)
    assert torch.equal(count, torch.full((4, 1), 6.0))
    init = layer.get_initial_state(2)
    assert [tuple(s.shape) for s in init] == [(2, 3), (2, 1)]


def test_output_shapes_and_masks():
    layer = RNN(LSTMCell(5), return_sequences=True, return_state=True)
    assert layer.compute_output_shape((2, 7, 3)) == ((2, 7, 5), (2, 5), (2, 5))
    stacked = RNN([LSTMCell(4), GRUCell(3)], return_state=True)
    assert stacked.compute_output_shape((None, 7, 3)) == (
        (None, 3),
        [(None, 4), (None, 4)],
        (None, 3),
    )
    mask = torch.from_numpy(POST_MASK)
    outputs = layer(torch.from_numpy(X), mask=mask)
    assert torch.equal(outputs[0]._keras_mask, mask)
    assert getattr(outputs[1], "_keras_mask", None) is None
    last = RNN(LSTMCell(5))(torch.from_numpy(X), mask=mask)
    assert getattr(last, "_keras_mask", None) is None
    assert layer.compute_mask(None, [mask]) == [mask, None, None]


def test_config_round_trip_with_a_custom_cell():
    layer = RNN(MinimalRNNCell(3), go_backwards=True, stateful=False, name="custom_rnn")
    config = layer.get_config()
    assert config["cell"]["registered_name"] == "rnn_tests>MinimalRNNCell"
    clone = RNN.from_config(config)
    assert isinstance(clone.cell, MinimalRNNCell) and clone.cell.units == 3 and clone.go_backwards
    stacked = RNN.from_config(RNN([LSTMCell(2), GRUCell(3)]).get_config())
    assert [type(c) for c in stacked.cell.cells] == [LSTMCell, GRUCell]


def test_errors():
    class NoState(Layer):
        def call(self, inputs, states):
            return inputs, states

    with pytest.raises(ValueError, match="should have a `state_size`.*Received: cell="):
        RNN(NoState())
    with pytest.raises(ValueError, match="should have a `call` method. Received: cell=3"):
        RNN(3)
    with pytest.raises(ValueError, match="All cells must have a `state_size`.*Received"):
        StackedRNNCells([LSTMCell(2), NoState()])
    with pytest.raises(ValueError, match="non-empty list. Received: cells=\\[\\]"):
        StackedRNNCells([])
    stateful = RNN(GRUCell(2), stateful=True)
    stateful(torch.zeros(3, 2, 2))
    with pytest.raises(ValueError, match="Received: batch_size=4"):
        stateful(torch.zeros(4, 2, 2))
    with pytest.raises(ValueError, match="batch size must be static.*Received"):
        RNN(GRUCell(2), stateful=True).build((None, 3, 2))
