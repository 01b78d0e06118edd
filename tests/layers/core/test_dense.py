"""Dense: conformance (shapes, config, state_dict, training, compile, Keras parity), layout, errors."""

import numpy as np
import pytest
import torch
from conformance import run_layer_test

import torchkeras_lite as keras
from torchkeras_lite.layers.core import Dense


def test_dense_conformance_2d_with_compile():
    run_layer_test(
        Dense,
        {"units": 3},
        input_shape=(2, 4),
        expected_output_shape=(2, 3),
        expected_num_trainable_weights=2,
        expected_num_non_trainable_weights=0,
        supports_masking=True,
        run_compile_check=True,
    )


def test_dense_conformance_3d_activation_no_bias():
    run_layer_test(
        Dense,
        {"units": 5, "activation": "relu", "use_bias": False, "kernel_initializer": "he_normal"},
        input_shape=(2, 3, 4),
        expected_output_shape=(2, 3, 5),
        expected_num_trainable_weights=1,
    )


def test_dense_conformance_with_regularizers_and_constraints():
    layer = run_layer_test(
        Dense,
        {
            "units": 2,
            "kernel_regularizer": keras.regularizers.L2(0.01),
            "bias_regularizer": "l1",
            "activity_regularizer": "l2",
            "kernel_constraint": "non_neg",
            "bias_constraint": keras.constraints.MaxNorm(2.0),
        },
        input_shape=(3, 4),
        expected_output_shape=(3, 2),
    )
    layer(torch.ones(3, 4))
    assert len(layer.losses) == 3  # activity + kernel + bias penalties


def test_dense_kernel_layout_and_math():
    layer = Dense(2, activation="relu")
    layer.build((None, 3))
    assert tuple(layer.kernel.shape) == (3, 2) and tuple(layer.bias.shape) == (2,)
    kernel = np.array([[1.0, -1.0], [2.0, 0.0], [0.0, 1.0]], dtype="float32")
    layer.set_weights([kernel, np.array([0.5, -10.0], dtype="float32")])
    x = np.array([[1.0, 2.0, 3.0]], dtype="float32")
    expected = np.maximum(x @ kernel + [0.5, -10.0], 0)
    np.testing.assert_allclose(layer(torch.from_numpy(x)).detach().numpy(), expected)
    # 3D input without bias: same kernel on every step (the F.linear path)
    nb = Dense(2, use_bias=False)
    nb.build((None, 3))
    nb.set_weights([kernel])
    x3 = torch.randn(2, 5, 3)
    np.testing.assert_allclose(nb(x3).detach().numpy(), x3.numpy() @ kernel, atol=1e-6)


def test_dense_mask_passes_through():
    x = torch.ones(2, 3, 4)
    x._keras_mask = torch.tensor([[True, True, False], [True, False, False]])
    out = Dense(2)(x)
    assert torch.equal(out._keras_mask, x._keras_mask)


def test_dense_input_spec_checks_last_axis():
    layer = Dense(2, name="d")
    layer(torch.ones(1, 3))
    with pytest.raises(
        ValueError, match=r"layer 'd'.*expected axis -1 of input shape to have value 3"
    ):
        layer(torch.ones(1, 4))
    with pytest.raises(ValueError, match="expected min_ndim=2, found ndim=1"):
        Dense(2)(torch.ones(3))


@pytest.mark.parametrize("units", [0, -3, 2.5, "4", True])
def test_dense_invalid_units(units):
    with pytest.raises(ValueError, match=r"expected a positive integer. Received: units="):
        Dense(units)


def test_dense_unknown_activation_lists_close_matches():
    with pytest.raises(ValueError, match="Unknown activation.*relu"):
        Dense(2, activation="rellu")
