"""Discretization: bucketing and encodings vs Keras, quantile adapt (streamed) vs Keras' sketch."""

import numpy as np
import pytest
import torch
from conformance import run_layer_test
from torch.utils.data import DataLoader

from torchkeras_lite.layers.preprocessing import Discretization

RNG = np.random.default_rng(1)
DATA = RNG.normal(0, 1, (300, 3)).astype("float32")


def test_discretization_conformance():
    run_layer_test(
        Discretization,
        {"bin_boundaries": [-0.5, 0.0, 0.5]},
        input_shape=(4, 3),
        expected_output_shape=(4, 3),
        expected_num_non_trainable_weights=0,
    )


@pytest.mark.parametrize("mode", ["int", "one_hot", "multi_hot", "count"])
def test_discretization_outputs_match_keras(mode):
    keras = pytest.importorskip("keras")
    kwargs = {"bin_boundaries": [-1.0, 0.0, 0.5], "output_mode": mode}
    ours, ref = Discretization(**kwargs), keras.layers.Discretization(**kwargs)
    for x in [DATA[:8], DATA[:8, :1], DATA[0], np.array([0.0, 0.5, -1.0], "float32")]:
        a, b = ours(x), keras.ops.convert_to_numpy(ref(x))
        assert tuple(a.shape) == b.shape == tuple(ours.compute_output_shape(x.shape))
        assert a.dtype == (torch.int32 if mode == "int" else torch.float32)
        np.testing.assert_array_equal(a.numpy(), b)


def _keras_adapt(layer, batches):
    layer.reset_state()  # Keras' adapt() itself needs TensorFlow; its update/finalize do not
    for batch in batches:
        layer.update_state(batch)
    layer.finalize_state()


@pytest.mark.parametrize("num_bins,epsilon", [(4, 0.01), (7, 0.05), (10, 0.001)])
def test_discretization_adapt_matches_keras(num_bins, epsilon):
    keras = pytest.importorskip("keras")
    ours = Discretization(num_bins=num_bins, epsilon=epsilon)
    ref = keras.layers.Discretization(num_bins=num_bins, epsilon=epsilon)
    ours.adapt(DATA)
    _keras_adapt(ref, [DATA])
    np.testing.assert_array_equal(ours.bin_boundaries, ref.bin_boundaries)
    assert len(ours.bin_boundaries) == num_bins - 1
    batches = [DATA[i : i + 37] for i in range(0, len(DATA), 37)]
    _keras_adapt(ref, batches)
    ours.adapt(DataLoader(torch.from_numpy(DATA), batch_size=37))
    np.testing.assert_array_equal(ours.bin_boundaries, ref.bin_boundaries)
    ours.adapt(batches + [batches[0]], steps=len(batches))
    np.testing.assert_array_equal(ours.bin_boundaries, ref.bin_boundaries)


def test_discretization_adapted_config_keeps_boundaries():
    layer = Discretization(num_bins=4)
    layer.adapt(DATA)
    config = layer.get_config()
    assert config["num_bins"] == 4 and len(config["bin_boundaries"]) == 3
    clone = Discretization.from_config(config)
    assert torch.equal(clone(DATA), layer(DATA))
    x = torch.tensor([[-3.0, 0.1, 9.0]], dtype=torch.float64)
    assert torch.equal(clone(x), torch.tensor([[0, 2, 3]], dtype=torch.int32))


def test_discretization_errors():
    with pytest.raises(ValueError, match=r"Allowed values are.*Received: output_mode='bad'"):
        Discretization(bin_boundaries=[0.0], output_mode="bad")
    with pytest.raises(ValueError, match="`num_bins` must be greater than or equal to 0"):
        Discretization(num_bins=-1)
    with pytest.raises(ValueError, match="Both `num_bins` and `bin_boundaries` should not be set"):
        Discretization(num_bins=2, bin_boundaries=[0.0])
    with pytest.raises(ValueError, match="set either `num_bins` or `bin_boundaries`"):
        Discretization()
    with pytest.raises(ValueError, match=r"sorted in increasing order.*\[1.0, 0.0\]"):
        Discretization(bin_boundaries=[1.0, 0.0])
    with pytest.raises(ValueError, match=r"Received: sparse=True"):
        Discretization(bin_boundaries=[0.0], sparse=True)
    with pytest.raises(ValueError, match="Cannot adapt a Discretization layer.*num_bins=None"):
        Discretization(bin_boundaries=[0.0]).adapt(DATA)
    with pytest.raises(ValueError, match="call `adapt\\(dataset\\)` before.*bin_boundaries=None"):
        Discretization(num_bins=3)(DATA)
