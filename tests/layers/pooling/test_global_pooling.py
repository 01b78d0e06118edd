"""GlobalMax/GlobalAveragePooling1D/2D/3D: conformance, keepdims, masks, Keras parity, errors."""

import numpy as np
import pytest
import torch
from conformance import run_layer_test

from torchkeras_lite.layers.pooling import (
    GlobalAveragePooling1D,
    GlobalAveragePooling2D,
    GlobalAveragePooling3D,
    GlobalMaxPooling1D,
    GlobalMaxPooling2D,
    GlobalMaxPooling3D,
)


@pytest.mark.parametrize(
    ("cls", "kwargs", "shape", "out"),
    [
        (GlobalAveragePooling1D, {}, (2, 5, 3), (2, 3)),
        (GlobalAveragePooling1D, {"data_format": "channels_first", "keepdims": True}, (2, 3, 5), (2, 3, 1)),
        (GlobalAveragePooling2D, {"keepdims": True}, (2, 4, 5, 3), (2, 1, 1, 3)),
        (GlobalAveragePooling3D, {"data_format": "channels_first"}, (2, 3, 2, 3, 4), (2, 3)),
        (GlobalMaxPooling1D, {"keepdims": True}, (2, 5, 3), (2, 1, 3)),
        (GlobalMaxPooling2D, {"data_format": "channels_first"}, (2, 3, 4, 5), (2, 3)),
        (GlobalMaxPooling3D, {"keepdims": True}, (2, 2, 3, 4, 3), (2, 1, 1, 1, 3)),
    ],
)  # fmt: skip
def test_global_pooling_conformance(cls, kwargs, shape, out):
    run_layer_test(
        cls,
        kwargs,
        input_shape=shape,
        expected_output_shape=out,
        expected_num_trainable_weights=0,
        supports_masking=cls is GlobalAveragePooling1D,
    )


@pytest.mark.parametrize("data_format", ["channels_last", "channels_first"])
def test_global_average_pooling1d_mask_matches_keras(data_format):
    kr = pytest.importorskip("keras")
    rng = np.random.default_rng(6)
    x = rng.standard_normal((3, 5, 4)).astype("float32")
    if data_format == "channels_first":
        x = np.ascontiguousarray(x.transpose(0, 2, 1))
    mask = np.array([[1, 1, 0, 0, 0], [1, 1, 1, 1, 1], [0, 1, 0, 1, 0]], dtype=bool)
    for keepdims in (False, True):
        layer = GlobalAveragePooling1D(data_format=data_format, keepdims=keepdims)
        got = layer(torch.from_numpy(x), mask=torch.from_numpy(mask))
        klayer = kr.layers.GlobalAveragePooling1D(data_format=data_format, keepdims=keepdims)
        want = kr.ops.convert_to_numpy(klayer(x, mask=mask))
        np.testing.assert_allclose(got.numpy(), want, atol=1e-6)
        assert getattr(got, "_keras_mask", None) is None


def test_global_average_pooling1d_uses_the_mask_carried_by_the_input():
    x = torch.tensor([[[1.0], [3.0], [100.0]]])
    x._keras_mask = torch.tensor([[True, True, False]])
    assert GlobalAveragePooling1D()(x).flatten().tolist() == [2.0]


def test_global_max_pooling_ignores_masks_like_keras():
    layer = GlobalMaxPooling1D()
    assert not layer.supports_masking
    x = torch.tensor([[[1.0], [3.0], [100.0]]])
    x._keras_mask = torch.tensor([[True, True, False]])
    assert layer(x).flatten().tolist() == [100.0]


def test_errors():
    with pytest.raises(ValueError, match="Received: keepdims='yes'"):
        GlobalMaxPooling2D(keepdims="yes")
    with pytest.raises(ValueError, match="Received: data_format='last'"):
        GlobalAveragePooling2D(data_format="last")
    with pytest.raises(ValueError, match="expected ndim=5, found ndim=4"):
        GlobalMaxPooling3D()(torch.randn(2, 3, 4, 5))
