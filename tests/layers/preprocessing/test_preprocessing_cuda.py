"""The preprocessing layers on a CUDA device: outputs stay there, buffers follow `.to()`, seeded
random layers draw on the device and agree with CPU where deterministic (skipped without CUDA)."""

import numpy as np
import pytest
import torch

from torchkeras_lite.layers import preprocessing as P

pytestmark = pytest.mark.cuda


def _same_on_both(layer, x, **kwargs):
    cpu = layer(x, **kwargs)
    layer.to("cuda")
    gpu = layer(x.cuda(), **kwargs)
    assert gpu.device.type == "cuda"
    torch.testing.assert_close(gpu.cpu(), cpu, atol=1e-5, rtol=1e-5)


def test_deterministic_layers_match_cpu_on_cuda():
    images = torch.rand(4, 9, 7, 3)
    _same_on_both(P.Rescaling([1.0, 2.0, 3.0], offset=-1.0), images)
    _same_on_both(P.Normalization(mean=[0.5] * 3, variance=[0.1] * 3, invert=True), images)
    _same_on_both(P.Resizing(5, 6, pad_to_aspect_ratio=True), images)
    _same_on_both(P.CenterCrop(11, 5), images)
    _same_on_both(P.Discretization(bin_boundaries=[0.2, 0.7], output_mode="count"), images[..., 0])
    _same_on_both(P.CategoryEncoding(10, "multi_hot"), torch.randint(0, 10, (4, 6)))
    _same_on_both(
        P.IntegerLookup(vocabulary=[5, 3, 8], output_mode="one_hot"), torch.randint(0, 10, (4, 6))
    )
    _same_on_both(
        P.IntegerLookup(vocabulary=[5, 3, 8], invert=True, mask_token=0), torch.randint(0, 6, (4,))
    )
    warp = P.RandomRotation((0.1, 0.1), fill_mode="wrap")
    _same_on_both(warp, images, training=True)


def test_adapt_on_cuda_tensors_and_seeded_random_layers():
    data = torch.from_numpy(np.random.default_rng(0).normal(size=(64, 3)).astype("float32"))
    layer = P.Normalization()
    layer.build((None, 3))
    layer.to("cuda")
    layer.adapt(data.cuda())
    assert layer.adapt_mean.device.type == "cuda"
    torch.testing.assert_close(layer.adapt_mean.cpu(), data.mean(0), atol=1e-5, rtol=1e-5)
    x = torch.rand(4, 8, 8, 3, device="cuda")
    for cls, kwargs in [
        (P.RandomFlip, {}),
        (P.RandomZoom, {"height_factor": 0.3}),
        (P.RandomTranslation, {"height_factor": 0.2, "width_factor": 0.2}),
        (P.RandomContrast, {"factor": 0.5, "value_range": (0, 1)}),
        (P.RandomCrop, {"height": 5, "width": 5}),
    ]:
        a = cls(seed=3, **kwargs)(x, training=True)
        b = cls(seed=3, **kwargs)(x, training=True)
        assert a.device.type == "cuda" and torch.equal(a, b)


def test_integer_hashing_runs_on_the_device():
    x = torch.randint(-(10**12), 10**12, (64, 3))
    for kwargs in ({}, {"salt": [3, 4]}, {"mask_value": 5}):
        layer = P.Hashing(97, **kwargs)
        assert torch.equal(layer(x.cuda()).cpu(), layer(x))
    lookup = P.IntegerLookup(vocabulary=[1, 2], num_oov_indices=5, oov_method="farmhash")
    assert torch.equal(lookup.to("cuda")(x.cuda()).cpu(), lookup.to("cpu")(x))
