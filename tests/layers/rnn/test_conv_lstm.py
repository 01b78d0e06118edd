"""ConvLSTM1D/2D/3D: Keras kernels, paddings, strides, data formats, masks and states."""

import numpy as np
import pytest
import torch
from conformance import run_layer_test
from rnn_parity import ARBITRARY_MASK, assert_parity, twin

from torchkeras_lite.layers import ConvLSTM1D, ConvLSTM2D, ConvLSTM3D
from torchkeras_lite.layers.rnn import ConvLSTMCell

keras = pytest.importorskip("keras")
rng = np.random.default_rng(7)


def test_conv_lstm2d_conformance():
    run_layer_test(
        ConvLSTM2D,
        {"filters": 3, "kernel_size": 3, "padding": "same", "return_sequences": True},
        input_shape=(2, 3, 5, 5, 2),
        expected_output_shape=(2, 3, 5, 5, 3),
        expected_num_trainable_weights=3,
    )


def test_conv_lstm1d_conformance_with_states():
    run_layer_test(
        ConvLSTM1D,
        {"filters": 2, "kernel_size": 2, "strides": 2, "return_state": True},
        input_shape=(2, 3, 7, 2),
        expected_output_shape=[(2, 3, 2), (2, 3, 2), (2, 3, 2)],
        keras_parity=False,  # covered by test_parity_with_keras (Keras' ConvLSTM is slow)
    )


@pytest.mark.parametrize(
    "cls, spatial", [(ConvLSTM1D, (7,)), (ConvLSTM2D, (6, 5)), (ConvLSTM3D, (5, 6, 5))]
)
@pytest.mark.parametrize(
    "kwargs",
    [
        {"padding": "same", "kernel_size": 2, "strides": 2, "data_format": "channels_first"},
        {"padding": "valid", "kernel_size": 3, "dilation_rate": 2, "go_backwards": True},
    ],
)
def test_parity_with_keras(cls, spatial, kwargs):
    first = kwargs.get("data_format") == "channels_first"
    x = rng.normal(size=(2, 3, *((3, *spatial) if first else (*spatial, 3)))).astype("float32")
    common = dict(return_sequences=True, return_state=True, **kwargs)
    ours = cls(4, **common)
    theirs = getattr(keras.layers, cls.__name__)(4, bias_initializer="random_normal", **common)
    twin(ours, theirs, x)
    out = assert_parity(ours, theirs, x, modes=(False,))[0]  # training: the same code path
    assert ours.compute_output_shape(x.shape) == tuple(tuple(o.shape) for o in out)


def test_mask_initial_state_and_dropout():
    x = rng.normal(size=(4, 6, 5, 2)).astype("float32")
    ours, theirs = ConvLSTM1D(3, 3, padding="same"), keras.layers.ConvLSTM1D(3, 3, padding="same")
    twin(ours, theirs, x)
    state = [np.full((4, 5, 3), 0.2, "float32"), np.full((4, 5, 3), -0.1, "float32")]
    assert_parity(ours, theirs, x, mask=ARBITRARY_MASK, initial_state=state)
    dropping = ConvLSTM1D(3, 3, dropout=0.4, recurrent_dropout=0.4)
    t = torch.from_numpy(x)
    assert not torch.equal(dropping(t, training=True), dropping(t, training=True))
    assert torch.equal(dropping(t), dropping(t))


def test_stateful_conv_lstm():
    x = rng.normal(size=(2, 4, 5, 5, 1)).astype("float32")
    ours = ConvLSTM2D(2, 3, padding="same", stateful=True)
    theirs = keras.layers.ConvLSTM2D(2, 3, padding="same", stateful=True)
    twin(ours, theirs, x)
    ours.reset_state()
    theirs.reset_state()
    for chunk in (x[:, :2], x[:, 2:]):
        np.testing.assert_allclose(
            ours(torch.from_numpy(chunk)).detach().numpy(),
            keras.ops.convert_to_numpy(theirs(chunk)),
            atol=1e-5,
        )
    assert [tuple(s.shape) for s in ours.states] == [(2, 5, 5, 2)] * 2


def test_errors_and_config():
    with pytest.raises(ValueError, match="not compatible with `dilation_rate > 1`.*Received"):
        ConvLSTM2D(2, 3, strides=2, dilation_rate=2)
    with pytest.raises(ValueError, match="Received: filters=0"):
        ConvLSTM2D(0, 3)
    with pytest.raises(ValueError, match="Received: padding='full'"):
        ConvLSTM2D(2, 3, padding="full")
    with pytest.raises(ValueError, match="Received: rank=4"):
        ConvLSTMCell(4, 2, 3)
    with pytest.raises(ValueError, match="expected ndim=5, found ndim=4"):
        ConvLSTM2D(2, 3)(torch.zeros(1, 2, 3, 3))
    config = ConvLSTM3D(2, (1, 2, 3), padding="same").get_config()
    assert config["kernel_size"] == (1, 2, 3) and "cell" not in config and "rank" not in config
    assert set(keras.layers.ConvLSTM3D(2, 3).get_config()) <= set(config)
    assert ConvLSTM3D.from_config(config).kernel_size == (1, 2, 3)
