"""ops.merging: Keras' batch_dot shapes/values, masked extrema and products, mask merging."""

import torch

from torchkeras_lite.ops import merging as merging_ops


def test_batch_dot_matches_einsum():
    x, y = torch.randn(2, 3, 4), torch.randn(2, 4, 5)
    torch.testing.assert_close(merging_ops.batch_dot(x, y, (2, 1)), x @ y)
    torch.testing.assert_close(merging_ops.batch_dot(x, x, (1, 1)), x.transpose(1, 2) @ x)
    a, b = torch.randn(2, 3), torch.randn(2, 3)
    torch.testing.assert_close(merging_ops.batch_dot(a, b, (1, 1)), (a * b).sum(1, keepdim=True))
    big = torch.randn(2, 3, 4, 6), torch.randn(2, 6, 5, 7)
    expected = torch.einsum("bijk,bklm->bijlm", *big)
    torch.testing.assert_close(merging_ops.batch_dot(*big, (3, 1)), expected)


def test_masked_extremum_and_product():
    a, b = torch.tensor([[[5.0], [1.0]]]), torch.tensor([[[2.0], [3.0]]])
    masks = [torch.tensor([[True, False]]), torch.tensor([[True, True]])]
    assert merging_ops.extremum([a, b], masks, torch.maximum).flatten().tolist() == [5.0, 3.0]
    assert merging_ops.extremum([a, b], masks, torch.minimum).flatten().tolist() == [2.0, 3.0]
    assert merging_ops.masked_product([a, b], masks).flatten().tolist() == [10.0, 3.0]
    none_masked = [torch.tensor([[False, False]]), torch.tensor([[True, False]])]
    assert merging_ops.masked_product([a, b], none_masked).flatten().tolist() == [2.0, 0.0]


def test_mask_merging():
    m1, m2 = torch.tensor([[True, False]]), torch.tensor([[False, False]])
    assert merging_ops.or_masks([m1, m2]).tolist() == [[True, False]]
    assert merging_ops.or_masks([m1, None]) is None
    xs = [torch.ones(1, 2, 3), torch.ones(1, 2, 3)]
    assert merging_ops.concatenate_masks(xs, [m1, None], axis=1).tolist() == [
        [True, False, True, True]
    ]
    assert merging_ops.concatenate_masks(xs, [m1, m2], axis=-1).tolist() == [[True, False]]
    assert merging_ops.concatenate_masks(xs, [None, None], axis=-1) is None
