"""AttentionProjection: Keras' EinsumDense kernel layouts, multi-axis contraction, shapes."""

import torch

from torchkeras_lite.layers.attention.attention_projection import AttentionProjection


def test_projection_matches_einsum_for_one_and_two_contracted_axes():
    proj = AttentionProjection((4,), (2, 3), bias_initializer="ones", name="query")
    x = torch.randn(5, 6, 4)
    expected = torch.einsum("btd,dnh->btnh", x, proj.kernel) + 1.0
    torch.testing.assert_close(proj(x), expected)
    out = AttentionProjection((2, 3), (5,), use_bias=False)
    h = torch.randn(5, 6, 2, 3)
    torch.testing.assert_close(out(h), torch.einsum("btnh,nhd->btd", h, out.kernel))
    assert out.bias is None and [tuple(w.shape) for w in out.weights] == [(2, 3, 5)]
    assert out.compute_output_shape((None, 6, 2, 3)) == (None, 6, 5)
    assert proj.built and proj.kernel.path == "query/kernel"
