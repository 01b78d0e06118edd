"""Conv1DTranspose/2D/3D: conformance, Keras parity of the output window for every padding,
stride, output_padding and dilation, kernel layout, errors."""

import itertools

import numpy as np
import pytest
import torch
from conformance import run_layer_test

from torchkeras_lite.layers.convolutional import Conv1DTranspose, Conv2DTranspose, Conv3DTranspose


def test_conv2d_transpose_conformance_same_stride2():
    run_layer_test(
        Conv2DTranspose,
        {"filters": 3, "kernel_size": 3, "strides": 2, "padding": "same", "activation": "tanh"},
        input_shape=(2, 4, 5, 2),
        expected_output_shape=(2, 8, 10, 3),
        expected_num_trainable_weights=2,
        supports_masking=False,
    )


def test_conv2d_transpose_conformance_channels_first_output_padding():
    run_layer_test(
        Conv2DTranspose,
        {
            "filters": 2,
            "kernel_size": (2, 3),
            "strides": (3, 2),
            "output_padding": (1, 0),
            "data_format": "channels_first",
            "use_bias": False,
        },
        input_shape=(2, 3, 3, 4),
        expected_output_shape=(2, 2, 9, 9),
        expected_num_trainable_weights=1,
    )


def test_conv1d_transpose_conformance_valid_stride_larger_than_kernel():
    run_layer_test(
        Conv1DTranspose,
        {"filters": 3, "kernel_size": 2, "strides": 3},
        input_shape=(2, 5, 4),
        expected_output_shape=(2, 15, 3),
    )


def test_conv3d_transpose_conformance_dilated():
    run_layer_test(
        Conv3DTranspose,
        {"filters": 2, "kernel_size": 2, "dilation_rate": 2, "padding": "same"},
        input_shape=(1, 3, 4, 3, 2),
        expected_output_shape=(1, 3, 4, 3, 2),
    )


@pytest.mark.parametrize("data_format", ["channels_last", "channels_first"])
def test_output_window_matches_keras_for_padding_strides_output_padding(data_format):
    kr = pytest.importorskip("keras")
    rng = np.random.default_rng(2)
    configs = []
    for k, s, padding in itertools.product((1, 2, 3, 4), (1, 2, 3), ("valid", "same")):
        for op in [None, *range(s)]:
            configs.append(dict(kernel_size=k, strides=s, padding=padding, output_padding=op))
    configs += [dict(kernel_size=3, dilation_rate=2, padding=p) for p in ("valid", "same")]
    for i, kwargs in enumerate(configs):
        cls, rank = ((Conv1DTranspose, 1), (Conv2DTranspose, 2))[i % 2]
        spatial = (5, 4)[:rank]
        shape = (2, *spatial, 3) if data_format == "channels_last" else (2, 3, *spatial)
        x = rng.standard_normal(shape).astype("float32")
        ours = cls(filters=2, data_format=data_format, use_bias=False, **kwargs)
        got = ours(torch.from_numpy(x)).detach().numpy()
        op_kwargs = {k: v for k, v in kwargs.items() if k != "kernel_size"}
        kernel = ours.get_weights()[0]
        want = kr.ops.convert_to_numpy(
            kr.ops.conv_transpose(x, kernel, data_format=data_format, **op_kwargs)
        )
        assert got.shape == want.shape == ours.compute_output_shape(shape), kwargs
        np.testing.assert_allclose(got, want, atol=1e-5, err_msg=str(kwargs))


def test_same_stride2_crops_the_full_transposed_convolution_from_index_0():
    layer = Conv1DTranspose(1, 3, strides=2, padding="same", use_bias=False)
    layer.build((None, 3, 1))
    layer.set_weights([np.array([1.0, 10.0, 100.0], dtype="float32").reshape(3, 1, 1)])
    y = layer(torch.tensor([[[1.0], [2.0], [3.0]]])).detach().flatten().tolist()
    # full: [1, 10, 100+2, 20, 200+3, 30, 300]; Keras keeps the first 6 (input * stride)
    assert y == [1.0, 10.0, 102.0, 20.0, 203.0, 30.0]


def test_kernel_layout_is_keras():
    layer = Conv2DTranspose(5, (3, 2))
    layer.build((None, 4, 4, 3))
    assert tuple(layer.kernel.shape) == (3, 2, 5, 3) and list(layer.state_dict()) == [
        "kernel",
        "bias",
    ]
    assert layer.get_config()["output_padding"] is None


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"filters": -1, "kernel_size": 3}, "Received: filters=-1"),
        ({"filters": 2, "kernel_size": 3, "strides": 2, "output_padding": 2}, "strictly less"),
        ({"filters": 2, "kernel_size": 3, "output_padding": -1}, "Received: output_padding=-1"),
        ({"filters": 2, "kernel_size": 3, "padding": "causal"}, "Received: padding='causal'"),
        ({"filters": 2, "kernel_size": 3, "strides": 2, "dilation_rate": 2}, "dilation_rate > 1"),
    ],
)
def test_constructor_errors(kwargs, match):
    with pytest.raises(ValueError, match=match):
        Conv2DTranspose(**kwargs)


def test_shape_errors():
    with pytest.raises(
        ValueError, match=r"expects inputs of rank 3. Received: input_shape=\(2, 4\)"
    ):
        Conv1DTranspose(2, 3).compute_output_shape((2, 4))
    layer = Conv2DTranspose(2, 3, data_format="channels_first")
    layer(torch.randn(1, 3, 4, 4))
    with pytest.raises(ValueError, match="expected axis 1 of input shape to have value 3"):
        layer(torch.randn(1, 2, 4, 4))
