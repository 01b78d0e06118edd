"""TimeDistributed: one call of the wrapped layer on the merged batch and time axes."""

import numpy as np
import pytest
import torch
from conformance import run_layer_test
from rnn_parity import assert_parity, twin

from torchkeras_lite.layers import LSTM, Layer, TimeDistributed
from torchkeras_lite.layers.core import Dense

keras = pytest.importorskip("keras")
X = np.random.default_rng(8).normal(size=(3, 4, 5)).astype("float32")


def test_time_distributed_conformance():
    run_layer_test(
        TimeDistributed,
        {"layer": Dense(6)},
        input_shape=(3, 4, 5),
        expected_output_shape=(3, 4, 6),
        expected_num_trainable_weights=2,
        supports_masking=True,
        keras_init_kwargs={"layer": keras.layers.Dense(6)},
    )


def test_wraps_recurrent_layers_on_4d_inputs():
    x = np.random.default_rng(9).normal(size=(2, 3, 4, 5)).astype("float32")
    ours, theirs = TimeDistributed(LSTM(3)), keras.layers.TimeDistributed(keras.layers.LSTM(3))
    twin(ours, theirs, x)
    assert_parity(ours, theirs, x)
    assert ours.compute_output_shape((2, 3, 4, 5)) == (2, 3, 3)


def test_mask_is_passed_merged_and_kept():
    class Recorder(Layer):
        def call(self, x, mask=None):
            self.seen = mask
            return x * 2

    inner = Recorder()
    mask = torch.tensor([[True, False, True, True]] * 3)
    out = TimeDistributed(inner)(torch.from_numpy(X), mask=mask)
    assert torch.equal(inner.seen, mask.flatten())
    assert torch.equal(out._keras_mask, mask)
    torch.testing.assert_close(out, torch.from_numpy(X) * 2)


def test_errors_and_config():
    with pytest.raises(ValueError, match="`keras.layers.Layer` instance. Received: layer="):
        TimeDistributed(torch.nn.Linear(2, 2))
    with pytest.raises(ValueError, match="at least 3 dimensions. Received: input_shape=\\(2, 3\\)"):
        TimeDistributed(Dense(2)).build((2, 3))
    layer = TimeDistributed(Dense(2))
    with pytest.raises(ValueError, match="at least 2D.*Received: mask.shape=\\(3,\\)"):
        layer(torch.from_numpy(X), mask=torch.ones(3, dtype=torch.bool))
    with pytest.raises(ValueError, match="must be \\(3, 4\\). Received: mask.shape=\\(3, 5\\)"):
        layer(torch.from_numpy(X), mask=torch.ones(3, 5, dtype=torch.bool))
    clone = TimeDistributed.from_config(TimeDistributed(Dense(7, name="d")).get_config())
    assert isinstance(clone.layer, Dense) and clone.layer.units == 7
