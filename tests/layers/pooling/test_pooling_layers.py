"""MaxPooling1D/2D/3D and AveragePooling1D/2D/3D: conformance, Keras parity, "same" semantics
(max pads with -inf at the end, average leaves padding out of the count), errors."""

import numpy as np
import pytest
import torch
from conformance import run_layer_test

from torchkeras_lite.layers.pooling import (
    AveragePooling1D,
    AveragePooling2D,
    AveragePooling3D,
    MaxPooling1D,
    MaxPooling2D,
    MaxPooling3D,
)


def _np_avg_pool_same_1d(x: np.ndarray, k: int, s: int) -> np.ndarray:
    """Reference: windows over Keras' "same" padding, averaging only the real entries."""
    n = x.shape[1]
    out = -(-n // s)
    total = max(0, (out - 1) * s + k - n)
    left = total // 2
    rows = []
    for i in range(out):
        lo, hi = max(0, i * s - left), min(n, i * s - left + k)
        rows.append(x[:, lo:hi].mean(axis=1))
    return np.stack(rows, axis=1)


@pytest.mark.parametrize(
    ("cls", "kwargs", "shape", "out"),
    [
        (MaxPooling2D, {"pool_size": 3, "strides": 2, "padding": "same"}, (2, 8, 7, 3), (2, 4, 4, 3)),
        (MaxPooling2D, {"pool_size": (2, 3), "data_format": "channels_first"}, (2, 3, 6, 7), (2, 3, 3, 2)),
        (MaxPooling1D, {"pool_size": 3, "strides": 1, "padding": "same"}, (2, 7, 3), (2, 7, 3)),
        (MaxPooling1D, {"strides": 3, "data_format": "channels_first"}, (2, 3, 9), (2, 3, 3)),
        (MaxPooling3D, {"padding": "same"}, (1, 5, 4, 3, 2), (1, 3, 2, 2, 2)),
        (AveragePooling2D, {"pool_size": 3, "strides": 1, "padding": "same"}, (2, 6, 6, 3), (2, 6, 6, 3)),
        (AveragePooling2D, {"pool_size": 2, "data_format": "channels_first"}, (2, 3, 6, 5), (2, 3, 3, 2)),
        (AveragePooling1D, {"pool_size": 2, "strides": 2, "padding": "same"}, (2, 9, 3), (2, 5, 3)),
        (AveragePooling3D, {"pool_size": 2, "data_format": "channels_first"}, (1, 2, 4, 4, 5), (1, 2, 2, 2, 2)),
    ],
)  # fmt: skip
def test_pooling_conformance(cls, kwargs, shape, out):
    run_layer_test(
        cls,
        kwargs,
        input_shape=shape,
        expected_output_shape=out,
        expected_num_trainable_weights=0,
        expected_num_non_trainable_weights=0,
        supports_masking=False,
    )


@pytest.mark.parametrize("data_format", ["channels_last", "channels_first"])
def test_max_pooling_same_matches_keras_on_even_and_odd_inputs(data_format):
    kr = pytest.importorskip("keras")
    rng = np.random.default_rng(3)
    for n, k, s in [(8, 3, 2), (7, 3, 2), (6, 2, 2), (9, 4, 3), (5, 3, 1), (6, 4, 1), (7, 1, 3)]:
        for cls, rank in ((MaxPooling1D, 1), (MaxPooling2D, 2)):
            shape = (2, *(n,) * rank, 3) if data_format == "channels_last" else (2, 3, *(n,) * rank)
            x = rng.standard_normal(shape).astype("float32") - 5.0  # all negative: pads never win
            kwargs = dict(pool_size=k, strides=s, padding="same", data_format=data_format)
            got = cls(**kwargs)(torch.from_numpy(x)).numpy()
            want = kr.ops.convert_to_numpy(getattr(kr.layers, cls.__name__)(**kwargs)(x))
            np.testing.assert_allclose(got, want, atol=1e-6, err_msg=str(kwargs))
            assert cls(**kwargs).compute_output_shape(shape) == want.shape


def test_average_pooling_same_excludes_padding_from_the_count():
    rng = np.random.default_rng(4)
    # (3, 4, 3) and (2, 3, 2): a window larger than the input (the explicitly padded path)
    for n, k, s in [
        (6, 3, 2),
        (8, 3, 2),
        (5, 2, 2),
        (7, 4, 3),
        (5, 3, 1),
        (6, 4, 1),
        (3, 4, 3),
        (2, 3, 2),
    ]:
        x = rng.standard_normal((2, n, 3)).astype("float32")
        got = AveragePooling1D(k, s, "same")(torch.from_numpy(x)).numpy()
        np.testing.assert_allclose(got, _np_avg_pool_same_1d(x, k, s), atol=1e-6)
    x = torch.arange(1.0, 7.0).view(1, 6, 1)
    # windows [1, 2, 3], [3, 4, 5], [5, 6, pad]: the last averages the 2 real values
    assert AveragePooling1D(3, 2, "same")(x).flatten().tolist() == [2.0, 4.0, 5.5]


def test_windows_larger_than_the_input():
    x = torch.arange(1.0, 10.0).view(1, 3, 3, 1)
    assert MaxPooling2D(4, 3, "same")(x).flatten().tolist() == [9.0]
    assert AveragePooling2D(4, 3, "same")(x).flatten().tolist() == [5.0]
    y = AveragePooling3D(3, 2, "same", data_format="channels_first")(torch.ones(1, 2, 2, 5, 4))
    assert y.shape == (1, 2, 1, 3, 2) and bool((y == 1.0).all())
    y = AveragePooling3D(3, 1, "same")(torch.ones(1, 2, 4, 4, 1))
    assert y.shape == (1, 2, 4, 4, 1) and bool((y == 1.0).all())


def test_average_pooling_same_symmetric_padding_matches_keras():
    kr = pytest.importorskip("keras")
    rng = np.random.default_rng(5)
    x = rng.standard_normal((2, 7, 6, 3)).astype("float32")
    kwargs = dict(pool_size=3, strides=1, padding="same")  # pads (1, 1): same in every backend
    got = AveragePooling2D(**kwargs)(torch.from_numpy(x)).numpy()
    np.testing.assert_allclose(
        got, kr.ops.convert_to_numpy(kr.layers.AveragePooling2D(**kwargs)(x)), atol=1e-6
    )


def test_strided_same_plans_follow_the_input_size():
    layer = MaxPooling2D(3, 2, "same")
    assert layer(torch.randn(1, 8, 8, 1)).shape == (1, 4, 4, 1)
    assert layer(torch.randn(1, 7, 5, 1)).shape == (1, 4, 3, 1)
    assert layer.compute_output_shape((None, None, 5, 1)) == (None, None, 3, 1)


def test_max_pooling_gradient_goes_to_the_maximum():
    x = torch.tensor([[[1.0], [3.0], [2.0], [0.0], [5.0]]], requires_grad=True)
    MaxPooling1D(2, padding="same")(x).sum().backward()
    assert x.grad.flatten().tolist() == [0.0, 1.0, 1.0, 0.0, 1.0]


@pytest.mark.parametrize(
    ("cls", "kwargs", "match"),
    [
        (MaxPooling2D, {"pool_size": 0}, "Received: pool_size=0"),
        (MaxPooling2D, {"pool_size": (2, 2, 2)}, r"tuple of 2 integers.*pool_size=\(2, 2, 2\)"),
        (AveragePooling1D, {"pool_size": 2, "strides": 0}, "Received: strides=0"),
        (AveragePooling3D, {"pool_size": 2, "padding": "causal"}, "Received: padding='causal'"),
        (MaxPooling1D, {"data_format": "channels_middle"}, "data_format='channels_middle'"),
    ],
)
def test_constructor_errors(cls, kwargs, match):
    with pytest.raises(ValueError, match=match):
        cls(**kwargs)


def test_base_pooling_mode_error():
    from torchkeras_lite.layers.pooling import BasePooling

    with pytest.raises(ValueError, match="Received: pool_mode='min'"):
        BasePooling(2, None, pool_dimensions=2, pool_mode="min")


def test_shape_errors():
    with pytest.raises(
        ValueError, match=r"expects inputs of rank 4. Received: input_shape=\(1, 4\)"
    ):
        MaxPooling2D().compute_output_shape((1, 4))
    with pytest.raises(ValueError, match="expected ndim=4, found ndim=3"):
        MaxPooling2D()(torch.randn(2, 4, 4))
    with pytest.raises(ValueError, match=r"zero or negative.*input_shape=\(1, 1, 4, 2\)"):
        MaxPooling2D(2).compute_output_shape((1, 1, 4, 2))


def test_module_api_to_deepcopy_and_pickle():
    import copy
    import io

    layer = AveragePooling2D(3, 2, "same")
    x = torch.randn(1, 5, 5, 2)
    want = layer(x)
    moved = copy.deepcopy(layer).to(torch.float64)
    torch.testing.assert_close(moved(x.double()), want.double())
    buffer = io.BytesIO()
    torch.save(layer, buffer)
    buffer.seek(0)
    torch.testing.assert_close(torch.load(buffer, weights_only=False)(x), want)
