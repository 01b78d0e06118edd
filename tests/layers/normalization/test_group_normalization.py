"""GroupNormalization: conformance with Keras parity (axes, ranks, groups, instance norm), the
statistics, half precision, and errors."""

import pytest
import torch
from conformance import run_layer_test

from torchkeras_lite import initializers
from torchkeras_lite.layers.normalization.group_normalization import GroupNormalization


@pytest.mark.parametrize(
    "kwargs, input_shape",
    [
        ({"groups": 2}, (2, 5, 6)),
        ({"groups": 3, "axis": 1}, (2, 6, 4, 4)),
        ({"groups": -1, "epsilon": 1e-5}, (3, 4, 4, 4)),
        ({"groups": 2, "axis": 2, "center": False}, (2, 3, 4, 5)),
        ({"groups": 1, "scale": False, "beta_regularizer": "l2"}, (4, 6)),
        ({"groups": 2, "gamma_initializer": initializers.RandomNormal(seed=1),
          "beta_initializer": "ones", "gamma_constraint": "non_neg"}, (2, 3, 2, 3, 4)),
    ],
)  # fmt: skip
def test_group_normalization_conformance(kwargs, input_shape):
    n_weights = int(kwargs.get("center", True)) + int(kwargs.get("scale", True))
    run_layer_test(
        GroupNormalization,
        kwargs,
        input_shape=input_shape,
        expected_output_shape=input_shape,
        expected_num_trainable_weights=n_weights,
        supports_masking=True,
    )


def test_group_normalization_statistics_per_group():
    x = torch.randn(3, 7, 8) * 5 + 2
    out = GroupNormalization(groups=4, epsilon=1e-6)(x)
    grouped = out.reshape(3, 7, 4, 2)
    torch.testing.assert_close(grouped.mean(dim=(1, 3)), torch.zeros(3, 4), atol=1e-5, rtol=0)
    torch.testing.assert_close(
        grouped.var(dim=(1, 3), correction=0), torch.ones(3, 4), atol=1e-4, rtol=0
    )


def test_group_normalization_half_precision_computes_in_float32():
    layer = GroupNormalization(groups=2, dtype="bfloat16")
    x = torch.randn(2, 4, 6)
    out = layer(x.to(torch.bfloat16))
    assert out.dtype == torch.bfloat16
    reference = GroupNormalization(groups=2)(x)
    torch.testing.assert_close(out.float(), reference, atol=0.05, rtol=0.05)


def test_group_normalization_errors():
    with pytest.raises(ValueError, match="Received: groups=0"):
        GroupNormalization(groups=0)
    with pytest.raises(ValueError, match="Received: axis='a'"):
        GroupNormalization(axis="a")
    with pytest.raises(ValueError, match="multiple of the number of groups.*Received: groups=4"):
        GroupNormalization(groups=4)(torch.ones(2, 6))
    with pytest.raises(ValueError, match="multiple of the number of groups.*Received: groups=8"):
        GroupNormalization(groups=8)(torch.ones(2, 6))
    with pytest.raises(ValueError, match=r"not a channel axis.*Received: axis=3"):
        GroupNormalization(groups=1, axis=3)(torch.ones(2, 6))
    with pytest.raises(ValueError, match=r"out of bounds.*Received: axis=-4"):
        GroupNormalization(axis=-4).compute_output_shape((2, 3, 4))
