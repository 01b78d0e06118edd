"""Convolution layers as torch modules: channels-last inputs without copies, the inference
weight cache (never stale), `.to()`, deepcopy and pickling."""

import copy
import io

import torch
from torch.profiler import ProfilerActivity, profile

from torchkeras_lite.layers.convolutional import (
    Conv1D,
    Conv1DTranspose,
    Conv2D,
    Conv3DTranspose,
    DepthwiseConv2D,
    SeparableConv1D,
    SeparableConv2D,
)


def test_channels_last_input_is_not_copied():
    for layer, shape in ((Conv2D(8, 3, padding="same"), (2, 6, 6, 4)), (Conv1D(8, 3), (2, 9, 4))):
        x = torch.randn(shape)
        layer(x)
        with profile(activities=[ProfilerActivity.CPU], record_shapes=True) as prof:
            y = layer(x)
        copies = [
            e.input_shapes
            for e in prof.events()
            if e.name in ("aten::copy_", "aten::clone", "aten::contiguous", "aten::constant_pad_nd")
        ]
        lifted = [shape[0], shape[-1], *([1] if len(shape) == 3 else []), *shape[1:-1]]
        assert not any(s and list(s[0]) in (list(shape), lifted) for s in copies), copies
        assert y.is_contiguous()  # the output permuted back is a plain NHWC tensor


def test_module_api_to_deepcopy_and_pickle():
    layer = Conv2D(3, 3, strides=2, padding="same")
    x = torch.randn(1, 6, 6, 2)
    want = layer(x)
    moved = copy.deepcopy(layer).to(torch.float64)
    assert moved.kernel.dtype == torch.float64
    torch.testing.assert_close(moved(x.double()), want.double())
    buffer = io.BytesIO()
    torch.save(layer, buffer)
    buffer.seek(0)
    torch.testing.assert_close(torch.load(buffer, weights_only=False)(x), want)


def test_inference_weight_cache_is_never_stale():
    layer = Conv2D(4, 3, padding="same")
    x = torch.randn(2, 5, 5, 3)

    def reference():
        w = layer.kernel.detach().permute(3, 2, 0, 1)
        y = torch.nn.functional.conv2d(x.permute(0, 3, 1, 2), w, layer.bias.detach(), padding=1)
        return y.permute(0, 2, 3, 1)

    with torch.no_grad():
        torch.testing.assert_close(layer(x), reference())
        assert layer.__dict__["_weight_cache"]  # inference filled the cache
    optimizer = torch.optim.SGD(layer.parameters(), lr=0.5)
    layer(x, training=True).sum().backward()
    optimizer.step()  # an in-place update
    with torch.no_grad():
        torch.testing.assert_close(layer(x), reference())
    layer.set_weights([w * 2 for w in layer.get_weights()])
    with torch.no_grad():
        torch.testing.assert_close(layer(x), reference())
    layer.load_state_dict({k: v + 1 for k, v in layer.state_dict().items()})
    layer.trainable = False  # frozen: the cache serves grad-enabled calls too
    torch.testing.assert_close(layer(x), reference())
    clone = copy.deepcopy(layer)
    with torch.no_grad():
        clone.kernel.zero_()
    torch.testing.assert_close(clone(x), torch.zeros_like(x[..., :1]) + clone.bias.detach())
    torch.testing.assert_close(layer(x), reference())
    layer.to(torch.float64)
    x = x.double()
    torch.testing.assert_close(layer(x), reference())
    assert "_weight_cache" not in layer.__getstate__()
    with torch.inference_mode():  # a cache made in inference mode serves frozen training too
        torch.testing.assert_close(layer(x), reference())
    xg = x.clone().requires_grad_(True)
    layer(xg).sum().backward()
    assert xg.grad is not None


def test_inference_with_cached_weights_equals_the_training_path():
    cases = [
        (SeparableConv1D(3, 3, depth_multiplier=2), (2, 7, 4)),
        (SeparableConv2D(3, 3, data_format="channels_first"), (2, 4, 6, 6)),
        (DepthwiseConv2D(3, depth_multiplier=2), (2, 6, 6, 3)),
        (Conv1D(3, 3, padding="causal"), (2, 7, 4)),
        (Conv1DTranspose(3, 3, strides=2), (2, 5, 4)),
        (Conv3DTranspose(2, 2, strides=2, padding="same"), (1, 3, 3, 3, 2)),
    ]
    for layer, shape in cases:
        x = torch.randn(shape)
        want = layer(x)
        with torch.no_grad():
            torch.testing.assert_close(layer(x), want)
            torch.testing.assert_close(layer(x), want)  # served from the cache
