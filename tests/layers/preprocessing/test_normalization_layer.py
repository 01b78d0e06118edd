"""Normalization: adapt (arrays, tensors, streamed DataLoaders) vs Keras, given statistics, invert."""

import numpy as np
import pytest
import torch
from conformance import run_layer_test
from torch.utils.data import DataLoader, TensorDataset

from torchkeras_lite.layers.preprocessing import Normalization

RNG = np.random.default_rng(0)
DATA = RNG.normal(3.0, 2.0, (48, 5, 4)).astype("float32")


def test_normalization_conformance_unadapted_weights():
    layer = run_layer_test(
        Normalization,
        {"axis": (1, 2)},
        input_shape=(4, 5, 4),
        expected_output_shape=(4, 5, 4),
        expected_num_trainable_weights=0,
        expected_num_non_trainable_weights=3,
        supports_masking=True,
    )
    assert [w.name for w in layer.weights] == ["mean", "variance", "count"]
    assert [tuple(w.shape) for w in layer.weights] == [(5, 4), (5, 4), ()]


def test_normalization_adapted_state_travels_in_weights_and_state_dict():
    layer = Normalization()
    layer.adapt(DATA)
    clone = Normalization.from_config(layer.get_config())
    clone(DATA[:2])
    clone.load_state_dict(layer.state_dict())
    assert torch.equal(clone(DATA[:2]), layer(DATA[:2]))
    other = Normalization()
    other.build((None, 5, 4))
    other.set_weights(layer.get_weights())
    assert torch.equal(other(DATA[:2]), layer(DATA[:2]))


def test_normalization_conformance_given_statistics():
    run_layer_test(
        Normalization,
        {"mean": [1.0, 2.0, 3.0], "variance": [1.0, 4.0, 9.0]},
        input_shape=(4, 3),
        expected_output_shape=(4, 3),
        expected_num_non_trainable_weights=0,
    )


@pytest.mark.parametrize("axis", [-1, None, (1, 2), 1, (0, -1)])
def test_normalization_adapt_matches_keras(axis):
    keras = pytest.importorskip("keras")
    ours, ref = Normalization(axis=axis), keras.layers.Normalization(axis=axis)
    ours.adapt(DATA)
    ref.adapt(DATA)
    for a, b in zip(ours.get_weights(), ref.get_weights()):
        assert a.shape == b.shape and a.dtype == b.dtype
        np.testing.assert_allclose(a, b, atol=1e-5)
    x = RNG.normal(size=(48, 5, 4)).astype("float32")
    np.testing.assert_allclose(
        ours(x).numpy(), keras.ops.convert_to_numpy(ref(x)), atol=1e-5, rtol=1e-5
    )


def test_normalization_streams_dataloaders_tensors_and_lists_of_batches():
    full = Normalization()
    full.adapt(DATA)
    x = torch.from_numpy(DATA)
    sources = [
        DataLoader(x, batch_size=10),  # uneven last batch
        DataLoader(TensorDataset(x, torch.zeros(48)), batch_size=16),  # (x, y) batches
        [DATA[:20], DATA[20:]],
        (b for b in [x[:7], x[7:]]),
        x,
        DATA.tolist(),
    ]
    for source in sources:
        layer = Normalization()
        layer.adapt(source)
        for a, b in zip(layer.get_weights(), full.get_weights()):
            np.testing.assert_allclose(a, b, atol=1e-5)


def test_normalization_population_variance_and_invert_round_trip():
    layer = Normalization(axis=None)
    layer.adapt(np.array([1.0, 2.0, 3.0, 4.0, 5.0]))
    assert float(layer.adapt_variance) == pytest.approx(2.0)  # population, not sample (2.5)
    np.testing.assert_allclose(
        layer(np.array([1.0, 2.0, 3.0])).numpy(), [-1.4142135, -0.70710677, 0.0], atol=1e-6
    )
    inverse = Normalization(axis=None, invert=True)
    inverse.adapt(np.array([1.0, 2.0, 3.0, 4.0, 5.0]))
    x = torch.tensor([0.3, -1.2])
    assert torch.allclose(inverse(layer(x)), x, atol=1e-6)


@pytest.mark.parametrize("invert", [False, True])
def test_normalization_given_broadcast_statistics_match_keras(invert):
    keras = pytest.importorskip("keras")
    x = DATA[:6]
    for kwargs in [
        {"axis": (1, 2), "mean": [1.0, 2.0, 3.0, 4.0], "variance": [1.0, 2.0, 0.5, 4.0]},
        {"axis": -1, "mean": 2.0, "variance": 3.0},
    ]:
        ours = Normalization(invert=invert, **kwargs)(x).numpy()
        ref = keras.ops.convert_to_numpy(keras.layers.Normalization(invert=invert, **kwargs)(x))
        np.testing.assert_allclose(ours, ref, atol=1e-5)


def test_normalization_zero_variance_uses_epsilon():
    layer = Normalization(mean=[1.0], variance=[0.0])
    assert torch.isfinite(layer(torch.tensor([[3.0]]))).all()


def test_normalization_errors():
    with pytest.raises(
        ValueError, match="both `mean` and `variance` must be set.*Received: mean=1"
    ):
        Normalization(mean=1.0)
    with pytest.raises(ValueError, match=r"must have the same shape.*mean shape \(2,\)"):
        Normalization(mean=[1.0, 2.0], variance=[1.0])
    with pytest.raises(ValueError, match=r"rank of `mean` must be less.*Received: mean shape"):
        Normalization(axis=-1, mean=[[1.0]], variance=[[1.0]])
    with pytest.raises(ValueError, match=r"`axis` must be an int.*Received: axis=\('a',\)"):
        Normalization(axis=("a",))
    with pytest.raises(ValueError, match=r"range \[-ndim, ndim\).*ndim=2, while axis=\(3,\)"):
        Normalization(axis=3)(torch.ones(2, 2))
    with pytest.raises(ValueError, match="must have a known shape.*unknown axis at index 1"):
        Normalization(axis=1).build((None, None))
    with pytest.raises(ValueError, match=r"cannot be broadcast.*Received: input_shape=\(2, 3\)"):
        Normalization(mean=[1.0, 2.0], variance=[1.0, 2.0])(torch.ones(2, 3))
    with pytest.raises(ValueError, match="Cannot adapt a Normalization layer that was given"):
        Normalization(mean=1.0, variance=1.0).adapt(DATA)
    built = Normalization()
    built.adapt(DATA)
    with pytest.raises(ValueError, match=r"incompatible shape, data.shape=\(2, 5, 3\)"):
        built.adapt(np.ones((2, 5, 3)))
    with pytest.raises(
        ValueError, match=r"yielded a batch with incompatible shape.*got \(2, 5, 3\)"
    ):
        Normalization().adapt([DATA[:2], np.ones((2, 5, 3))])
    with pytest.raises(ValueError, match="empty iterable"):
        Normalization().adapt(iter([]))
    with pytest.raises(TypeError, match="Unsupported data type for adapt.*type\\(data\\)=dict"):
        Normalization().adapt({"x": DATA})
    with pytest.raises(ValueError, match="saw no values.*count=0"):
        Normalization().adapt([np.ones((0, 3))])


@pytest.mark.parametrize("invert", [False, True])
def test_normalization_of_image_channels_takes_the_wide_row_path(invert):
    keras = pytest.importorskip("keras")
    images = RNG.random((6, 16, 16, 3)).astype("float32")  # 3 trailing features, 4608 values
    kwargs = {"mean": [0.2, 0.5, 0.7], "variance": [0.01, 0.2, 3.0], "invert": invert}
    ours = Normalization(**kwargs)(images)
    ref = keras.ops.convert_to_numpy(keras.layers.Normalization(**kwargs)(images))
    np.testing.assert_allclose(ours.numpy(), ref, atol=1e-5, rtol=1e-6)
    adapted = Normalization(invert=invert)
    adapted.adapt(images)
    expected = Normalization(invert=invert)
    expected.adapt(images)
    strided = torch.from_numpy(images).transpose(1, 2)  # not contiguous: the broadcast path
    np.testing.assert_allclose(
        adapted(images).transpose(1, 2).numpy(), expected(strided).numpy(), atol=1e-6
    )
