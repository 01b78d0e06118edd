"""Dot: conformance with Keras parity for axes pairs, ranks and normalize; output shapes, masks,
errors and the functional `dot`."""

import pytest
import torch
from conformance import run_layer_test

from torchkeras_lite.layers.merging import Dot, dot


@pytest.mark.parametrize(
    "kwargs, shapes, expected",
    [
        ({"axes": 1}, [(3, 4), (3, 4)], (3, 1)),
        ({"axes": -1, "normalize": True}, [(3, 4), (3, 4)], (3, 1)),
        ({"axes": (1, 2)}, [(2, 3, 5), (2, 4, 3)], (2, 5, 4)),
        ({"axes": [2, 1], "normalize": True}, [(2, 3, 5), (2, 5, 4)], (2, 3, 4)),
        ({"axes": (1, 1)}, [(2, 3), (2, 3, 6)], (2, 6)),
        ({"axes": (3, 1)}, [(2, 3, 4, 6), (2, 6, 5, 7)], (2, 3, 4, 5, 7)),
    ],
)
def test_dot_conformance(kwargs, shapes, expected):
    run_layer_test(
        Dot,
        kwargs,
        input_shape=shapes,
        expected_output_shape=expected,
        expected_num_trainable_weights=0,
    )


def test_dot_math_and_functional_form():
    x, y = torch.randn(2, 5, 3), torch.randn(2, 5, 4)
    torch.testing.assert_close(dot([x, y], axes=1), torch.einsum("bij,bik->bjk", x, y))
    cos = Dot(axes=-1, normalize=True)([x[:, 0], y[:, 0, :3]])
    expected = torch.nn.functional.cosine_similarity(x[:, 0], y[:, 0, :3]).unsqueeze(-1)
    torch.testing.assert_close(cos, expected)


def test_dot_has_no_mask_and_config():
    x = torch.randn(2, 3, 4)
    x._keras_mask = torch.ones(2, 3, dtype=torch.bool)
    assert getattr(Dot(axes=2)([x, x]), "_keras_mask", None) is None
    assert Dot(axes=(1, 2)).get_config()["axes"] == [1, 2]


def test_dot_errors():
    with pytest.raises(TypeError, match="list or an int. Received: axes='a'"):
        Dot(axes="a")
    with pytest.raises(ValueError, match=r"two elements. Received: axes=\(1, 2, 3\)"):
        Dot(axes=(1, 2, 3))
    with pytest.raises(ValueError, match=r"should be integers. Received: axes=\(1, 'a'\)"):
        Dot(axes=(1, "a"))
    with pytest.raises(
        ValueError, match=r"axis values 3 \(at axis 1\) != 4.*Received: input_shape="
    ):
        Dot(axes=1)([torch.ones(2, 3), torch.ones(2, 4)])
    with pytest.raises(ValueError, match=r"batch axis 0.*Received: axes=0"):
        Dot(axes=0)([torch.ones(2, 3), torch.ones(2, 3)])
    with pytest.raises(ValueError, match=r"exactly 2 input.*Received: input_shape="):
        Dot(axes=1)([torch.ones(2, 3)] * 3)
    with pytest.raises(ValueError, match=r"rank >= 2.*Received: input_shape="):
        Dot(axes=-1)([torch.ones(3), torch.ones(3)])
