"""torchkeras_lite.ops.image: resize and affine warps vs keras.ops.image on Keras' torch backend."""

import importlib

import numpy as np
import pytest
import torch

# The kernel module itself (`torchkeras_lite.ops.image` as an attribute is Keras' `ops.image`).
im = importlib.import_module("torchkeras_lite.ops.image")

RNG = np.random.default_rng(3)
X = RNG.random((3, 7, 9, 2)).astype("float32")


def _transforms():
    h, w = X.shape[1:3]
    yield "rotate", im.rotation_transform(torch.tensor([10.0, -35.0, 170.0]), h, w)
    yield (
        "zoom",
        im.zoom_transform(torch.tensor([0.5, 2.0, 1.0]), torch.tensor([1.5, 0.25, 0.9]), h, w),
    )
    yield (
        "shift",
        im.translation_transform(torch.tensor([2.5, -4.5, 11.0]), torch.tensor([-1.5, 3.7, 0.0])),
    )


@pytest.mark.parametrize("interpolation", ["bilinear", "nearest"])
@pytest.mark.parametrize("fill_mode", ["constant", "nearest", "wrap", "mirror", "reflect"])
def test_affine_transform_matches_keras(interpolation, fill_mode):
    keras = pytest.importorskip("keras")
    for _, t in _transforms():
        for fill_value in (0.0, 0.7):
            ours = im.affine_transform(torch.from_numpy(X), t, interpolation, fill_mode, fill_value)
            ref = keras.ops.image.affine_transform(
                X, t.numpy(), interpolation, fill_mode, fill_value
            )
            np.testing.assert_allclose(ours.numpy(), keras.ops.convert_to_numpy(ref), atol=1e-5)


def test_affine_transform_channels_first_unbatched_and_integer_images():
    keras = pytest.importorskip("keras")
    t = im.rotation_transform(torch.tensor([25.0]), 7, 9)
    xc = np.ascontiguousarray(X.transpose(0, 3, 1, 2))
    ours = im.affine_transform(
        torch.from_numpy(xc), t.expand(3, 8), fill_mode="reflect", data_format="channels_first"
    )
    ref = keras.ops.image.affine_transform(
        xc, t.expand(3, 8).numpy(), fill_mode="reflect", data_format="channels_first"
    )
    np.testing.assert_allclose(ours.numpy(), keras.ops.convert_to_numpy(ref), atol=1e-5)
    single = im.affine_transform(torch.from_numpy(X[0]), t[0], fill_mode="reflect")
    np.testing.assert_allclose(
        single.numpy(), keras.ops.convert_to_numpy(ref)[0].transpose(1, 2, 0), atol=1e-5
    )
    xi = (X * 255).astype("uint8")
    ours = im.affine_transform(torch.from_numpy(xi), t.expand(3, 8))
    ref = keras.ops.image.affine_transform(xi, t.expand(3, 8).numpy())
    assert ours.dtype == torch.uint8
    np.testing.assert_array_equal(ours.numpy(), keras.ops.convert_to_numpy(ref))


def test_identity_transform_is_exact():
    t = torch.tensor([1.0, 0, 0, 0, 1, 0, 0, 0])
    x = torch.from_numpy(X)
    for mode in ("constant", "reflect", "wrap", "nearest", "mirror"):
        assert torch.allclose(im.affine_transform(x, t, fill_mode=mode), x, atol=1e-6)


@pytest.mark.parametrize("interpolation", ["bilinear", "nearest", "bicubic"])
def test_resize_matches_keras(interpolation):
    keras = pytest.importorskip("keras")
    for antialias in (False, True):
        for kw in (
            {},
            {"crop_to_aspect_ratio": True},
            {"pad_to_aspect_ratio": True, "fill_value": 0.3},
        ):
            for size in ((4, 5), (13, 6), (7, 9), (3, 20)):
                ours = im.resize(torch.from_numpy(X), size, interpolation, antialias, **kw)
                ref = keras.ops.image.resize(X, size, interpolation, antialias=antialias, **kw)
                np.testing.assert_allclose(ours.numpy(), keras.ops.convert_to_numpy(ref), atol=1e-5)
    xi = (X * 255).astype("uint8")
    ours = im.resize(torch.from_numpy(xi), (4, 13), interpolation)
    ref = keras.ops.convert_to_numpy(keras.ops.image.resize(xi, (4, 13), interpolation))
    assert ours.dtype == torch.uint8
    np.testing.assert_array_equal(ours.numpy(), ref)


def test_resize_keeps_channels_last_layout_without_copies():
    x = torch.rand(2, 8, 8, 3)
    nchw, unbatched = im.to_nchw(x, "channels_last")
    assert not unbatched and nchw.data_ptr() == x.data_ptr()
    assert nchw.is_contiguous(memory_format=torch.channels_last)
    out = im.resize(x, (4, 4))
    assert out.shape == (2, 4, 4, 3) and out.is_contiguous()


def test_crop_boxes_and_contrast():
    assert im.aspect_ratio_crop_box(340, 500, 200, 200) == (0, 80, 340, 340)
    assert im.aspect_ratio_pad(5, 10, 4, 4) == (2, 0)
    x = torch.arange(16.0).reshape(1, 4, 4, 1)
    assert torch.equal(
        im.crop(x, 1, 2, 2, 2, "channels_last")[0, ..., 0], torch.tensor([[6.0, 7.0], [10.0, 11.0]])
    )
    out = im.adjust_contrast(x, torch.tensor(2.0))
    assert torch.allclose(out.mean(), x.mean()) and torch.allclose(out.std(), 2 * x.std())
