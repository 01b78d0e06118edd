"""The Loss base class: reductions, weighting, masking, naming, errors and numerics."""

import math

import pytest
import torch

from torchkeras_lite import losses
from torchkeras_lite.losses.reduction import reduce_weighted_values


class SquaredError(losses.Loss):
    def call(self, y_true, y_pred):
        return torch.mean(torch.square(y_pred - y_true), dim=-1)


def test_subclass_reductions_by_hand():
    y_true = torch.zeros(4, 2)
    y_pred = torch.tensor([[1.0, 1.0], [2.0, 2.0], [3.0, 3.0], [0.0, 0.0]])
    sw = torch.tensor([1.0, 0.5, 0.0, 2.0])
    per_sample = torch.tensor([1.0, 4.0, 9.0, 0.0])
    assert SquaredError()(y_true, y_pred).item() == pytest.approx(per_sample.mean().item())
    # zero-weight samples still count in the divisor
    got = SquaredError()(y_true, y_pred, sample_weight=sw)
    assert got.item() == pytest.approx((per_sample * sw).sum().item() / 4)
    got = SquaredError(reduction="mean_with_sample_weight")(y_true, y_pred, sample_weight=sw)
    assert got.item() == pytest.approx((per_sample * sw).sum().item() / sw.sum().item())
    got = SquaredError(reduction="sum")(y_true, y_pred, sample_weight=sw)
    assert got.item() == pytest.approx((per_sample * sw).sum().item())
    for none in ("none", None):
        torch.testing.assert_close(
            SquaredError(reduction=none)(y_true, y_pred, sample_weight=sw), per_sample * sw
        )


def test_mask_on_y_pred_averages_over_valid_entries():
    y_true = torch.zeros(2, 3, 1)
    y_pred = torch.arange(6.0).reshape(2, 3, 1)
    y_pred._keras_mask = torch.tensor([[True, True, False], [False, True, True]])
    per_entry = torch.square(torch.arange(6.0)).reshape(2, 3)
    valid = per_entry[y_pred._keras_mask]
    assert losses.MeanSquaredError()(y_true, y_pred).item() == pytest.approx(valid.mean().item())
    assert losses.MeanSquaredError(reduction="sum")(y_true, y_pred).item() == pytest.approx(
        valid.sum().item()
    )
    got = losses.MeanSquaredError(reduction="mean_with_sample_weight")(y_true, y_pred)
    assert got.item() == pytest.approx(valid.mean().item())


def test_fully_masked_batch_gives_zero_not_nan():
    y_pred = torch.ones(3, 2, requires_grad=True)
    masked = y_pred * 1.0
    masked._keras_mask = torch.zeros(3, dtype=torch.bool)
    for reduction in ("sum_over_batch_size", "mean_with_sample_weight"):
        loss = losses.MeanSquaredError(reduction=reduction)(torch.zeros(3, 2), masked)
        assert loss.item() == 0.0
    loss.backward()
    assert torch.isfinite(y_pred.grad).all()


def test_batch_sample_weight_scales_whole_samples():
    # Keras 3 would broadcast a (batch,) weight against the last axis of (batch, time) losses;
    # we align it with the batch axis, like a (batch, 1) weight.
    y_true, y_pred = torch.randn(3, 4, 2), torch.randn(3, 4, 2)
    sw = torch.tensor([1.0, 0.0, 2.0])
    loss = losses.MeanAbsoluteError(reduction="none")
    torch.testing.assert_close(
        loss(y_true, y_pred, sample_weight=sw), loss(y_true, y_pred) * sw[:, None]
    )


def test_rank_alignment_of_targets():
    y_true, y_pred = torch.randn(5), torch.randn(5, 1)
    expected = torch.square(y_true - y_pred[:, 0]).mean()
    assert losses.MeanSquaredError()(y_true, y_pred).item() == pytest.approx(expected.item())
    assert losses.MeanSquaredError()(y_pred, y_true).item() == pytest.approx(expected.item())


def test_dtype_and_integer_targets():
    loss = losses.MeanSquaredError(dtype="float64")
    assert loss.dtype == "float64"
    out = loss(torch.tensor([[1, 2]]), torch.tensor([[1.5, 2.5]], dtype=torch.float16))
    assert out.dtype == torch.float64 and out.item() == pytest.approx(0.25)
    assert losses.Huber(dtype="mixed_bfloat16").dtype == "bfloat16"
    assert (
        losses.MeanSquaredError()(torch.zeros(2, 2, dtype=torch.float64), torch.ones(2, 2)).dtype
        == torch.float32
    )


def test_invalid_reduction():
    with pytest.raises(
        ValueError, match=r"Invalid value for argument `reduction`.*Received: reduction='avg'"
    ):
        losses.MeanSquaredError(reduction="avg")
    with pytest.raises(ValueError, match="Invalid value for argument `reduction`"):
        reduce_weighted_values(torch.ones(2), reduction="max")


def test_loss_base_is_abstract():
    with pytest.raises(TypeError):
        losses.Loss()


def test_auto_names_are_unique_and_snake_case():
    a = losses.LossFunctionWrapper(losses.hinge)
    b = losses.LossFunctionWrapper(losses.hinge)
    assert a.name.startswith("loss_function_wrapper") and a.name != b.name
    assert SquaredError().name.startswith("squared_error")


def test_class_attributes_mirror_arguments():
    loss = losses.BinaryFocalCrossentropy(alpha=0.3, from_logits=True)
    assert (loss.alpha, loss.gamma, loss.from_logits, loss.axis) == (0.3, 2.0, True, -1)
    with pytest.raises(AttributeError):
        _ = loss.delta


@pytest.mark.parametrize("from_logits", [False, True])
def test_sparse_label_out_of_range(from_logits):
    y_pred = torch.rand(4, 5)
    loss = losses.SparseCategoricalCrossentropy(from_logits=from_logits)
    pattern = r"sparse_categorical_crossentropy.*\[0, 5\).*5 classes.*Received: label=7"
    with pytest.raises(ValueError, match=pattern) as info:
        loss(torch.tensor([0, 7, 1, 2]), y_pred)
    assert isinstance(info.value.__cause__, (IndexError, RuntimeError))
    # torch's default ignore_index (-100) must not make a bad label silently cost 0
    with pytest.raises(ValueError, match=r"Received: label=-100"):
        losses.sparse_categorical_crossentropy(
            torch.tensor([[-100.0], [1.0]]), y_pred[:2], from_logits=from_logits
        )


def test_sparse_shape_mismatch_and_bad_axis():
    with pytest.raises(
        ValueError, match=r"same shape up until the last dimension.*target.shape=\(3,\)"
    ):
        losses.sparse_categorical_crossentropy(torch.tensor([0, 1, 2]), torch.rand(4, 5))
    with pytest.raises(ValueError, match=r"`axis` must be of type `int`. Received: axis=True"):
        losses.categorical_crossentropy(torch.ones(2, 2), torch.ones(2, 2), axis=True)
    with pytest.raises(
        ValueError, match=r"must have the same shape. Received: target.shape=\(2, 3\)"
    ):
        losses.binary_crossentropy(torch.ones(2, 3), torch.ones(2, 4))


def test_categorical_with_one_class_warns():
    with pytest.warns(SyntaxWarning, match="num_classes > 1"):
        losses.categorical_crossentropy(torch.ones(2, 1), torch.ones(2, 1))


def test_probabilities_are_clipped_like_keras():
    # BCE of p=0 for y=1 is -log(1e-7) ~ 16.1, not torch's 100
    bce = losses.binary_crossentropy(torch.ones(1, 1), torch.zeros(1, 1))
    assert bce.item() == pytest.approx(-math.log(1e-7), rel=1e-3)
    cce = losses.categorical_crossentropy(torch.tensor([[1.0, 0.0]]), torch.tensor([[0.0, 3.0]]))
    assert cce.item() == pytest.approx(-math.log(1e-7), rel=1e-3)
    # rows are renormalised before clipping
    cce = losses.categorical_crossentropy(torch.tensor([[1.0, 0.0]]), torch.tensor([[2.0, 2.0]]))
    assert cce.item() == pytest.approx(math.log(2.0), rel=1e-6)


def test_logits_paths_are_stable_for_large_logits():
    y_pred = torch.tensor([[200.0, -200.0]], requires_grad=True)
    y_true = torch.tensor([[0.0, 1.0]])
    total = (
        losses.binary_crossentropy(y_true, y_pred, from_logits=True).sum()
        + losses.categorical_crossentropy(y_true, y_pred, from_logits=True).sum()
        + losses.sparse_categorical_crossentropy(torch.tensor([1]), y_pred, from_logits=True).sum()
        + losses.binary_focal_crossentropy(y_true, y_pred, from_logits=True).sum()
    )
    assert torch.isfinite(total) and total.item() > 399.0
    total.backward()
    assert torch.isfinite(y_pred.grad).all()


def test_label_smoothing_formulas():
    y_true, logits = torch.tensor([[1.0, 0.0, 0.0]]), torch.zeros(1, 3)
    # uniform prediction: CCE is log(3) whatever the smoothing
    assert losses.categorical_crossentropy(y_true, logits, True, 0.3).item() == pytest.approx(
        math.log(3.0)
    )
    smoothed = y_true * 0.8 + 0.1  # y * (1 - ls) + 0.5 * ls
    expected = losses.binary_crossentropy(smoothed, logits, from_logits=True)
    torch.testing.assert_close(losses.binary_crossentropy(y_true, logits, True, 0.2), expected)


def test_hinge_label_conversion_is_all_or_nothing():
    y_pred = torch.tensor([[0.3, -0.2]])
    assert losses.hinge(torch.tensor([[1.0, 0.0]]), y_pred).item() == pytest.approx((0.7 + 0.8) / 2)
    # a label outside {0, 1} leaves the others unchanged (0 stays 0)
    assert losses.hinge(torch.tensor([[-1.0, 0.0]]), y_pred).item() == pytest.approx(
        (1.3 + 1.0) / 2
    )


@pytest.mark.cuda
def test_no_host_sync_on_cuda():
    device = torch.device("cuda")
    y_pred = torch.randn(8, 4, 5, device=device)
    y_pred._keras_mask = torch.rand(8, 4, device=device) > 0.5
    labels = torch.randint(0, 5, (8, 4), device=device)
    sw = torch.rand(8, 4, device=device)
    torch.cuda.set_sync_debug_mode("error")
    try:
        for loss, y_true in [
            (losses.SparseCategoricalCrossentropy(from_logits=True, ignore_class=0), labels),
            (losses.CategoricalCrossentropy(), torch.nn.functional.one_hot(labels, 5).float()),
            (losses.Hinge(reduction="mean_with_sample_weight"), torch.sign(y_pred)),
            (losses.BinaryCrossentropy(from_logits=True), (y_pred > 0).float()),
        ]:
            out = loss(y_true, y_pred, sample_weight=sw)
            assert out.device.type == "cuda"
    finally:
        torch.cuda.set_sync_debug_mode("default")
