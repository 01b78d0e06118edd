"""Conv1D/2D/3D: conformance, Keras parity ("same" + strides, dilation, groups, causal, both data
formats), kernel layout, channels-last without copies, errors."""

import numpy as np
import pytest
import torch
from conformance import run_layer_test

import torchkeras_lite as keras
from torchkeras_lite.layers.convolutional import Conv1D, Conv2D, Conv3D


def test_conv2d_conformance_same_stride2_with_compile():
    run_layer_test(
        Conv2D,
        {"filters": 4, "kernel_size": 3, "strides": 2, "padding": "same", "activation": "relu"},
        input_shape=(2, 8, 8, 3),
        expected_output_shape=(2, 4, 4, 4),
        expected_num_trainable_weights=2,
        expected_num_non_trainable_weights=0,
        supports_masking=False,
        run_compile_check=True,
    )


def test_conv2d_conformance_channels_first_groups_dilation():
    run_layer_test(
        Conv2D,
        {
            "filters": 6,
            "kernel_size": (3, 2),
            "padding": "same",
            "data_format": "channels_first",
            "dilation_rate": (2, 1),
            "groups": 2,
            "use_bias": False,
        },
        input_shape=(2, 4, 7, 6),
        expected_output_shape=(2, 6, 7, 6),
        expected_num_trainable_weights=1,
    )


def test_conv1d_conformance_causal_dilated():
    run_layer_test(
        Conv1D,
        {"filters": 3, "kernel_size": 3, "padding": "causal", "dilation_rate": 2},
        input_shape=(2, 9, 4),
        expected_output_shape=(2, 9, 3),
    )


def test_conv1d_conformance_channels_first_groups_strided_same():
    run_layer_test(
        Conv1D,
        {
            "filters": 4,
            "kernel_size": 4,
            "strides": 2,
            "padding": "same",
            "groups": 2,
            "data_format": "channels_first",
        },
        input_shape=(2, 6, 10),
        expected_output_shape=(2, 4, 5),
    )


def test_conv3d_conformance_both_formats():
    run_layer_test(
        Conv3D,
        {"filters": 2, "kernel_size": 3, "strides": 2, "padding": "same"},
        input_shape=(2, 6, 5, 4, 3),
        expected_output_shape=(2, 3, 3, 2, 2),
    )
    run_layer_test(
        Conv3D,
        {"filters": 2, "kernel_size": (2, 3, 1), "data_format": "channels_first"},
        input_shape=(1, 3, 4, 5, 3),
        expected_output_shape=(1, 2, 3, 3, 3),
    )


def test_conv2d_regularizers_and_constraints_reach_losses_and_config():
    layer = run_layer_test(
        Conv2D,
        {
            "filters": 2,
            "kernel_size": 2,
            "kernel_regularizer": "l2",
            "bias_regularizer": keras.regularizers.L1(0.1),
            "activity_regularizer": "l2",
            "kernel_constraint": "non_neg",
            "bias_initializer": keras.initializers.Constant(0.5),
        },
        input_shape=(2, 4, 4, 3),
        expected_output_shape=(2, 3, 3, 2),
    )
    layer(torch.ones(2, 4, 4, 3))
    assert len(layer.losses) == 3
    assert layer.kernel.constraint is not None


@pytest.mark.parametrize("data_format", ["channels_last", "channels_first"])
def test_conv_same_padding_with_strides_matches_keras_on_even_and_odd_inputs(data_format):
    kr = pytest.importorskip("keras")
    rng = np.random.default_rng(1)
    for cls, rank in ((Conv1D, 1), (Conv2D, 2)):
        for size, k, s, d in [(8, 3, 2, 1), (7, 3, 2, 1), (8, 4, 3, 1), (9, 2, 2, 1), (6, 3, 1, 2)]:
            kwargs = dict(
                filters=3, kernel_size=k, strides=s, dilation_rate=d, padding="same",
                data_format=data_format,
            )  # fmt: skip
            spatial = (size,) * rank
            shape = (2, *spatial, 4) if data_format == "channels_last" else (2, 4, *spatial)
            x = rng.standard_normal(shape).astype("float32")
            ours, theirs = cls(**kwargs), getattr(kr.layers, cls.__name__)(**kwargs)
            ours(torch.from_numpy(x))
            theirs(x)
            theirs.set_weights(ours.get_weights())
            got = ours(torch.from_numpy(x)).detach().numpy()
            want = kr.ops.convert_to_numpy(theirs(x))
            np.testing.assert_allclose(got, want, atol=1e-5, err_msg=f"{cls.__name__} {kwargs}")
            assert ours.compute_output_shape(shape) == want.shape


def test_stride2_same_pads_only_at_the_end():
    layer = Conv1D(1, 3, strides=2, padding="same", use_bias=False, kernel_initializer="ones")
    x = torch.arange(1.0, 7.0).view(1, 6, 1)
    # windows [1,2,3], [3,4,5], [5,6,pad]: torch's symmetric padding=1 would give [pad,1,2], ...
    assert layer(x).flatten().tolist() == [6.0, 12.0, 11.0]


def test_causal_output_does_not_see_the_future():
    layer = Conv1D(2, 3, padding="causal", dilation_rate=2)
    x = torch.randn(1, 10, 3)
    y = layer(x)
    x2 = x.clone()
    x2[:, 6:] = 5.0
    torch.testing.assert_close(layer(x2)[:, :6], y[:, :6])


def test_kernel_layout_is_keras_and_state_dict_keys_are_readable():
    layer = Conv2D(6, (3, 2), groups=2)
    layer.build((None, 5, 5, 4))
    assert tuple(layer.kernel.shape) == (3, 2, 2, 6) and tuple(layer.bias.shape) == (6,)
    assert list(layer.state_dict()) == ["kernel", "bias"]
    x = torch.randn(2, 5, 5, 4)
    ref = torch.nn.functional.conv2d(
        x.permute(0, 3, 1, 2), layer.kernel.permute(3, 2, 0, 1), layer.bias, groups=2
    ).permute(0, 2, 3, 1)
    torch.testing.assert_close(layer(x), ref)


def test_kernel_updates_are_seen_by_the_next_call():
    layer = Conv2D(2, 3, padding="same")
    x = torch.randn(1, 5, 5, 2)
    before = layer(x)
    with torch.no_grad():
        layer.kernel.mul_(2.0)
        layer.bias.add_(1.0)
    torch.testing.assert_close(layer(x), 2 * (before - 0.0) + 1.0)


def test_variable_input_sizes_with_strided_same():
    layer = Conv2D(2, 3, strides=2, padding="same")
    assert layer(torch.randn(1, 8, 8, 1)).shape == (1, 4, 4, 2)
    assert layer(torch.randn(1, 7, 9, 1)).shape == (1, 4, 5, 2)
    assert layer.compute_output_shape((None, None, 9, 1)) == (None, None, 5, 2)


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"filters": 0, "kernel_size": 3}, "strictly positive.*Received: filters=0"),
        ({"filters": 4, "kernel_size": 3, "groups": 0}, "Received: groups=0"),
        ({"filters": 5, "kernel_size": 3, "groups": 2}, "divisible.*Received: groups=2, filters=5"),
        ({"filters": 2, "kernel_size": 0}, r"kernel_size.*Received: kernel_size=0"),
        ({"filters": 2, "kernel_size": True}, r"tuple of 2 integers.*Received: kernel_size=True"),
        ({"filters": 2, "kernel_size": None}, r"tuple of 2 integers.*Received: kernel_size=None"),
        ({"filters": 2, "kernel_size": (3, 1.5)}, r"tuple of 2 integers.*kernel_size=\(3, 1.5\)"),
        ({"filters": 2, "kernel_size": (3, 3, 3)}, r"tuple of 2 integers.*kernel_size=\(3, 3, 3\)"),
        ({"filters": 2, "kernel_size": 3, "strides": 0}, "Received: strides=0"),
        ({"filters": 2, "kernel_size": 3, "padding": "full"}, "Received: padding='full'"),
        ({"filters": 2, "kernel_size": 3, "padding": "causal"}, "Received: padding='causal'"),
        (
            {"filters": 2, "kernel_size": 3, "strides": 2, "dilation_rate": 2},
            r"dilation_rate > 1.*Received: strides=\(2, 2\) and dilation_rate=\(2, 2\)",
        ),
        ({"filters": 2, "kernel_size": 3, "data_format": "NHWC"}, "Received: data_format='NHWC'"),
    ],
)
def test_constructor_errors(kwargs, match):
    with pytest.raises(ValueError, match=match):
        Conv2D(**kwargs)


def test_build_errors():
    with pytest.raises(ValueError, match=r"divisible by the number of groups.*groups=2"):
        Conv2D(4, 3, groups=2)(torch.randn(1, 5, 5, 3))
    with pytest.raises(ValueError, match=r"output size would be zero.*input_shape=\(1, 2, 2, 3\)"):
        Conv2D(4, 3)(torch.randn(1, 2, 2, 3))
    with pytest.raises(ValueError, match=r"channel dimension.*Received: input_shape"):
        Conv2D(4, 3).build((None, 5, 5, None))
    with pytest.raises(
        ValueError, match=r"expects inputs of rank 4. Received: input_shape=\(1, 5, 3\)"
    ):
        Conv2D(4, 3).compute_output_shape((1, 5, 3))
    layer = Conv2D(4, 3)
    layer(torch.randn(1, 5, 5, 3))
    with pytest.raises(ValueError, match="expected axis -1 of input shape to have value 3"):
        layer(torch.randn(1, 5, 5, 2))
