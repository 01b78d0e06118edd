"""The random image layers: inference identity, seeded determinism, value ranges, Keras parity on
degenerate (deterministic) factor ranges, errors."""

import numpy as np
import pytest
import torch
from conformance import run_layer_test

from torchkeras_lite.layers.preprocessing import (
    RandomContrast,
    RandomCrop,
    RandomFlip,
    RandomRotation,
    RandomTranslation,
    RandomZoom,
    Resizing,
)

X = torch.from_numpy(np.random.default_rng(5).random((6, 8, 8, 3)).astype("float32"))
LAYERS = [
    (RandomFlip, {"seed": 1}),
    (RandomRotation, {"factor": 0.2, "seed": 1}),
    (RandomZoom, {"height_factor": 0.3, "width_factor": (-0.2, 0.4), "seed": 1}),
    (RandomTranslation, {"height_factor": 0.2, "width_factor": 0.3, "seed": 1}),
    (RandomContrast, {"factor": (0.3, 0.6), "value_range": (0, 1), "seed": 1}),
]


@pytest.mark.parametrize("cls,kwargs", LAYERS, ids=lambda v: getattr(v, "__name__", ""))
def test_random_layer_conformance_identity_and_determinism(cls, kwargs):
    run_layer_test(cls, kwargs, input_data=X, input_shape=None, expected_output_shape=(6, 8, 8, 3))
    layer = cls(**kwargs)
    assert torch.equal(layer(X), X)  # inference (the default outside training)
    first, second = layer(X, training=True), layer(X, training=True)
    assert not torch.equal(first, X) and not torch.equal(first, second)  # a fresh draw per call
    again = cls(**kwargs)
    assert torch.equal(again(X, training=True), first) and torch.equal(
        again(X, training=True), second
    )
    torch.manual_seed(7)
    unseeded = cls(**{**kwargs, "seed": None})(X, training=True)
    torch.manual_seed(7)
    assert torch.equal(cls(**{**kwargs, "seed": None})(X, training=True), unseeded)
    single = layer(X[0], training=True)
    assert single.shape == X[0].shape
    assert layer(X.to(torch.uint8), training=False).dtype == (
        torch.uint8 if cls is RandomContrast else torch.float32
    )


def test_random_flip_flips_whole_images():
    out = RandomFlip("horizontal", seed=1)(X, training=True)
    flipped = [torch.equal(o, torch.flip(x, (1,))) for o, x in zip(out, X)]
    same = [torch.equal(o, x) for o, x in zip(out, X)]
    assert all(f or s for f, s in zip(flipped, same)) and any(flipped) and any(same)
    out = RandomFlip("horizontal_and_vertical", seed=3)(X, training=True)
    assert all(torch.equal(o, x) or torch.equal(o, torch.flip(x, (0, 1))) for o, x in zip(out, X))
    out = RandomFlip("vertical", data_format="channels_first", seed=3)(X, training=True)
    assert all(torch.equal(o, x) or torch.equal(o, torch.flip(x, (1,))) for o, x in zip(out, X))


@pytest.mark.parametrize(
    "cls,kwargs",
    [
        (RandomRotation, {"factor": (0.25, 0.25), "interpolation": "nearest"}),
        (RandomRotation, {"factor": (-0.1, -0.1), "fill_mode": "constant", "fill_value": 0.5}),
        (RandomZoom, {"height_factor": (0.5, 0.5), "width_factor": (-0.3, -0.3)}),
        (RandomZoom, {"height_factor": (-0.4, -0.4), "fill_mode": "wrap"}),
        (RandomTranslation, {"height_factor": (0.2, 0.2), "width_factor": (-0.3, -0.3)}),
        (
            RandomTranslation,
            {"height_factor": (0.1, 0.1), "width_factor": 0.0, "fill_mode": "nearest"},
        ),
    ],
)
def test_degenerate_factor_ranges_match_keras_in_training(cls, kwargs):
    keras = pytest.importorskip("keras")
    ours = cls(**kwargs)(X, training=True)
    ref = getattr(keras.layers, cls.__name__)(**kwargs)(X.numpy(), training=True)
    np.testing.assert_allclose(ours.numpy(), keras.ops.convert_to_numpy(ref), atol=1e-5)


def test_ninety_degree_rotation_is_exact():
    out = RandomRotation((0.25, 0.25), interpolation="nearest")(X, training=True)
    assert torch.equal(out, torch.rot90(X, k=1, dims=(1, 2)))  # counter-clockwise


def test_random_contrast_keeps_means_and_scales_deviations_within_the_range():
    layer = RandomContrast((0.5, 0.5), value_range=(-100, 100), seed=0)
    out = layer(X, training=True)
    assert torch.allclose(out.mean(dim=(1, 2)), X.mean(dim=(1, 2)), atol=1e-5)
    ratio = (out - out.mean(dim=(1, 2), keepdim=True)).std(dim=(1, 2)) / X.std(dim=(1, 2))
    assert bool(((ratio > 0.5 - 1e-4) & (ratio < 1.5 + 1e-4)).all())
    assert RandomContrast(0.4).factor == (0.0, 0.4)  # Keras' rule for a single number
    clipped = RandomContrast((0.0, 1.0), value_range=(0, 1), seed=0)(X * 3, training=True)
    assert float(clipped.max()) <= 1.0


def test_random_crop_windows_and_inference_center_crop():
    layer = RandomCrop(5, 4, seed=2)
    out = layer(X, training=True)
    assert out.shape == (6, 5, 4, 3)
    windows = {
        (t, le)
        for t in range(4)
        for le in range(5)
        if torch.equal(out, X[:, t : t + 5, le : le + 4])
    }
    assert len(windows) == 1  # one window for the whole batch
    assert torch.equal(RandomCrop(5, 4, seed=2)(X, training=True), out)
    center = layer(X)  # inference: the centred window with the target's aspect ratio, resized
    assert center.shape == (6, 5, 4, 3)
    expected = Resizing(5, 4, crop_to_aspect_ratio=True)(X)
    assert torch.allclose(center, expected)
    run_layer_test(
        RandomCrop,
        {"height": 5, "width": 4, "seed": 1},
        input_data=X,
        input_shape=None,
        expected_output_shape=(6, 5, 4, 3),
        keras_parity=False,  # Keras 3 returns inputs uncropped at inference (keras#21868)
    )
    assert RandomCrop(10, 12)(X, training=True).shape == (6, 10, 12, 3)  # smaller: resized up


def test_random_layer_errors():
    with pytest.raises(ValueError, match=r"range \[-1, 1\]. Received: factor=1.5"):
        RandomRotation(1.5)
    with pytest.raises(ValueError, match=r"Received: factor=\(0.1, 0.2, 0.3\)"):
        RandomRotation((0.1, 0.2, 0.3))
    with pytest.raises(ValueError, match=r"Unknown `fill_mode`.*Received: fill_mode='mirror'"):
        RandomRotation(0.1, fill_mode="mirror")
    with pytest.raises(
        ValueError, match=r"Unknown `interpolation`.*Received: interpolation='bicubic'"
    ):
        RandomZoom(0.1, interpolation="bicubic")
    with pytest.raises(ValueError, match=r"range \(-1.0, 1.0\]. Received: height_factor=-1"):
        RandomZoom(-1)
    with pytest.raises(ValueError, match=r"range \(-1.0, 1.0\]. Received: width_factor=\(0.1, 2\)"):
        RandomZoom(0.1, (0.1, 2))
    with pytest.raises(ValueError, match=r"range \[-1.0, 1.0\]. Received: width_factor='a'"):
        RandomTranslation(0.1, "a")
    with pytest.raises(ValueError, match=r"range \[0, 1\]. Received: factor=-0.2"):
        RandomContrast(-0.2)
    with pytest.raises(ValueError, match=r"`value_range`.*Received: value_range=\(1, 0\)"):
        RandomContrast(0.2, value_range=(1, 0))
    with pytest.raises(ValueError, match="unknown mode argument.*Received: mode='diagonal'"):
        RandomFlip("diagonal")
    with pytest.raises(ValueError, match="`seed` must be an integer or None. Received: seed=1.5"):
        RandomFlip(seed=1.5)
    with pytest.raises(ValueError, match=r"rank 3 \(single image\) or 4.*data.shape=\(8, 3\)"):
        RandomFlip()(torch.ones(8, 3), training=True)
