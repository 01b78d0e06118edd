"""ops.attention: masks, Keras' masked softmax, and the fused/explicit attention kernels."""

import torch

from torchkeras_lite.ops import attention as attention_ops


def test_causal_and_sliding_window_masks():
    assert attention_ops.causal_mask(2, 3).tolist() == [[True, False, False], [True, True, False]]
    band = attention_ops.sliding_window_mask(3, 3, 2)
    assert band.tolist() == [[True, True, False], [True, True, True], [False, True, True]]


def test_masked_softmax_zeroes_masked_entries_over_one_or_several_axes():
    x = torch.randn(2, 3, 4)
    mask = torch.rand(2, 3, 4) > 0.5
    out = attention_ops.masked_softmax(x, mask, axis=-1)
    assert torch.all(out[~mask] == 0)
    rows = mask.any(-1)
    torch.testing.assert_close(out.sum(-1)[rows], torch.ones(int(rows.sum())))
    joint = attention_ops.masked_softmax(x, None, axis=(1, 2))
    torch.testing.assert_close(joint.sum(dim=(1, 2)), torch.ones(2))
    torch.testing.assert_close(attention_ops.masked_softmax(x), torch.softmax(x, -1))


def test_fused_and_explicit_attention_agree_with_gqa_and_masks():
    q, k, v = torch.randn(2, 4, 5, 3), torch.randn(2, 2, 6, 3), torch.randn(2, 2, 6, 3)
    mask = torch.rand(2, 1, 5, 6) > 0.3
    mask[..., 0] = True
    fused = attention_ops.dot_product_attention(q, k, v, mask=mask, scale=0.5, enable_gqa=True)
    explicit, probs = attention_ops.attention_with_scores(
        q, k.repeat_interleave(2, 1), v.repeat_interleave(2, 1), mask, scale=0.5
    )
    torch.testing.assert_close(fused, explicit, atol=1e-5, rtol=1e-5)
    assert torch.all(probs[~mask.expand_as(probs)] == 0)


def test_luong_and_additive_scores():
    q, k = torch.randn(2, 3, 4), torch.randn(2, 5, 4)
    torch.testing.assert_close(attention_ops.luong_scores(q, k), q @ k.transpose(1, 2))
    w, scale = torch.tensor(2.0), torch.randn(4)
    expected = 2.0 * torch.tanh(q[:, :, None] + k[:, None]).sum(-1)
    torch.testing.assert_close(attention_ops.luong_scores(q, k, None, w), expected)
    expected = (scale * torch.tanh(q[:, :, None] + k[:, None])).sum(-1)
    torch.testing.assert_close(attention_ops.additive_scores(q, k, scale), expected)
    out, weights = attention_ops.apply_attention_scores(q @ k.transpose(1, 2), k)
    torch.testing.assert_close(weights.sum(-1), torch.ones(2, 3))
    assert out.shape == (2, 3, 4)
