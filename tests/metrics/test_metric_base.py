"""The Metric base: state as buffers, in-place reset, devices, no gradients and no host syncs."""

import contextlib

import pytest
import torch

from torchkeras_lite import metrics
from torchkeras_lite.metrics.metric import Metric

# One instance of every metric with the inputs it expects: (factory, y_true, y_pred).
_G = torch.Generator().manual_seed(0)
_PROBS = torch.rand(8, 4, generator=_G)
_LABELS = (torch.rand(8, 4, generator=_G) > 0.5).float()
_ONEHOT = torch.eye(4)[torch.arange(8) % 4]
_SPARSE = torch.arange(8) % 4
_REG = torch.rand(8, 3, generator=_G) + 0.1

FACTORIES = {
    "Accuracy": (lambda: metrics.Accuracy(), _LABELS, _LABELS.flip(0)),
    "BinaryAccuracy": (lambda: metrics.BinaryAccuracy(), _LABELS, _PROBS),
    "CategoricalAccuracy": (lambda: metrics.CategoricalAccuracy(), _ONEHOT, _PROBS),
    "SparseCategoricalAccuracy": (lambda: metrics.SparseCategoricalAccuracy(), _SPARSE, _PROBS),
    "TopKCategoricalAccuracy": (lambda: metrics.TopKCategoricalAccuracy(k=2), _ONEHOT, _PROBS),
    "SparseTopKCategoricalAccuracy": (
        lambda: metrics.SparseTopKCategoricalAccuracy(k=2),
        _SPARSE,
        _PROBS,
    ),
    "MeanSquaredError": (lambda: metrics.MeanSquaredError(), _REG, _REG.flip(0)),
    "RootMeanSquaredError": (lambda: metrics.RootMeanSquaredError(), _REG, _REG.flip(0)),
    "MeanAbsoluteError": (lambda: metrics.MeanAbsoluteError(), _REG, _REG.flip(0)),
    "MeanAbsolutePercentageError": (
        lambda: metrics.MeanAbsolutePercentageError(),
        _REG,
        _REG.flip(0),
    ),
    "MeanSquaredLogarithmicError": (
        lambda: metrics.MeanSquaredLogarithmicError(),
        _REG,
        _REG.flip(0),
    ),
    "CosineSimilarity": (lambda: metrics.CosineSimilarity(), _REG, _REG.flip(0)),
    "LogCoshError": (lambda: metrics.LogCoshError(), _REG, _REG.flip(0)),
    "R2Score": (lambda: metrics.R2Score(num_regressors=1), _REG, _REG.flip(0)),
    "AUC": (lambda: metrics.AUC(), _LABELS, _PROBS),
    "AUC-multi": (lambda: metrics.AUC(multi_label=True, curve="PR"), _LABELS, _PROBS),
    "AUC-thresholds": (lambda: metrics.AUC(thresholds=[0.3, 0.1]), _LABELS, _PROBS),
    "Precision": (lambda: metrics.Precision(top_k=2, class_id=1), _LABELS, _PROBS),
    "Recall": (lambda: metrics.Recall(thresholds=[0.2, 0.7]), _LABELS, _PROBS),
    "TruePositives": (lambda: metrics.TruePositives(), _LABELS, _PROBS),
    "TrueNegatives": (lambda: metrics.TrueNegatives(), _LABELS, _PROBS),
    "FalsePositives": (lambda: metrics.FalsePositives(), _LABELS, _PROBS),
    "FalseNegatives": (lambda: metrics.FalseNegatives(), _LABELS, _PROBS),
    "PrecisionAtRecall": (lambda: metrics.PrecisionAtRecall(0.5), _LABELS, _PROBS),
    "RecallAtPrecision": (lambda: metrics.RecallAtPrecision(0.5), _LABELS, _PROBS),
    "SensitivityAtSpecificity": (lambda: metrics.SensitivityAtSpecificity(0.5), _LABELS, _PROBS),
    "SpecificityAtSensitivity": (lambda: metrics.SpecificityAtSensitivity(0.5), _LABELS, _PROBS),
    "F1Score": (lambda: metrics.F1Score(), _LABELS, _PROBS),
    "FBetaScore": (lambda: metrics.FBetaScore(beta=2.0, average="weighted"), _LABELS, _PROBS),
    "MeanIoU": (lambda: metrics.MeanIoU(4), _SPARSE, _SPARSE.flip(0)),
    "IoU": (lambda: metrics.IoU(4, [1, 2], ignore_class=0), _SPARSE, _SPARSE.flip(0)),
    "BinaryIoU": (lambda: metrics.BinaryIoU(), _LABELS[:, :1], _PROBS[:, :1]),
    "OneHotMeanIoU": (lambda: metrics.OneHotMeanIoU(4), _ONEHOT, _PROBS),
    "BinaryCrossentropy": (lambda: metrics.BinaryCrossentropy(), _LABELS, _PROBS),
    "CategoricalCrossentropy": (lambda: metrics.CategoricalCrossentropy(), _ONEHOT, _PROBS),
    "SparseCategoricalCrossentropy": (
        lambda: metrics.SparseCategoricalCrossentropy(),
        _SPARSE,
        _PROBS,
    ),
    "SparseCategoricalCrossentropy-ignore": (
        lambda: metrics.SparseCategoricalCrossentropy(ignore_class=0),
        _SPARSE,
        _PROBS,
    ),
    "KLDivergence": (lambda: metrics.KLDivergence(), _ONEHOT, _PROBS),
    "Poisson": (lambda: metrics.Poisson(), _REG, _REG.flip(0)),
    "Hinge": (lambda: metrics.Hinge(), _LABELS, _PROBS),
    "SquaredHinge": (lambda: metrics.SquaredHinge(), _LABELS, _PROBS),
    "CategoricalHinge": (lambda: metrics.CategoricalHinge(), _ONEHOT, _PROBS),
    "huber": (lambda: metrics.get("huber"), _REG, _REG.flip(0)),
    "dice": (lambda: metrics.get("dice"), _LABELS, _PROBS),
}
_WEIGHTS = torch.linspace(0.5, 1.5, 8)


@contextlib.contextmanager
def _host_reads_forbidden():
    """Any Python-level read of a tensor value (`.item()`, `bool(t)`, `float(t)`, ...) raises."""

    def forbid(name):
        def raiser(self, *args, **kwargs):
            raise AssertionError(f"host sync: Tensor.{name} called during update_state")

        return raiser

    names = ["item", "tolist", "numpy", "__bool__", "__float__", "__int__", "__index__"]
    saved = {n: torch.Tensor.__dict__.get(n) for n in names}
    try:
        for n in names:
            setattr(torch.Tensor, n, forbid(n))
        yield
    finally:
        for n in names:
            if saved[n] is None:
                delattr(torch.Tensor, n)
            else:
                setattr(torch.Tensor, n, saved[n])


def test_forbidding_context_catches_host_reads():
    with _host_reads_forbidden(), pytest.raises(AssertionError, match="host sync"):
        bool(torch.tensor(1.0) > 0)
    assert bool(torch.tensor(1.0) > 0)


@pytest.mark.parametrize("key", sorted(FACTORIES))
def test_update_state_never_reads_tensor_values(key):
    factory, y_true, y_pred = FACTORIES[key]
    w = None if key == "dice" else _WEIGHTS  # dice gives one value per batch
    m = factory()
    expected = factory()
    for _ in range(2):
        expected.update_state(y_true, y_pred, sample_weight=w)
    with _host_reads_forbidden():
        m.update_state(y_true, y_pred, sample_weight=w)  # the first call also builds lazy state
        m.update_state(y_true, y_pred, sample_weight=w)
    assert all(isinstance(v, torch.Tensor) and not v.requires_grad for v in m.variables)
    torch.testing.assert_close(m.result(), expected.result(), equal_nan=True)


@pytest.mark.parametrize("key", ["AUC", "F1Score", "MeanIoU", "Mean", "R2Score"])
def test_reset_state_is_in_place(key):
    if key == "Mean":
        m = metrics.Mean()
        m.update_state(torch.tensor([1.0, 2.0]))
    else:
        factory, y_true, y_pred = FACTORIES[key]
        m = factory()
        m.update_state(y_true, y_pred)
    pointers = [v.data_ptr() for v in m.variables]
    assert any(bool(v.abs().sum() > 0) for v in m.variables)
    m.reset_state()
    assert [v.data_ptr() for v in m.variables] == pointers
    assert all(bool((v == 0).all()) for v in m.variables)


def test_state_is_buffers_and_follows_the_inputs_device():
    m = metrics.AUC(num_thresholds=5)
    names = {name for name, _ in m.named_buffers()}
    assert {"true_positives", "false_positives", "true_negatives", "false_negatives"} <= names
    assert set(m.state_dict()) == {
        "true_positives",
        "false_positives",
        "true_negatives",
        "false_negatives",
    }
    m.update_state(_LABELS.to("meta"), _PROBS.to("meta"))
    assert all(v.device.type == "meta" for v in m.variables)
    assert m.true_positives.device.type == "meta"


def test_state_moves_with_to_and_variables_stay_live():
    m = metrics.Mean()
    m.to("meta")
    assert [v.device.type for v in m.variables] == ["meta", "meta"]
    assert m.total is m.variables[0]


def test_no_gradient_flows_into_state():
    x = torch.tensor([1.0, 2.0], requires_grad=True)
    m = metrics.Mean()
    m.update_state(x * 2)
    assert not m.total.requires_grad and m.total.grad_fn is None
    assert m.result().item() == pytest.approx(3.0)


def test_call_updates_then_returns_result_and_repr():
    m = metrics.Sum(name="s")
    assert m([1.0, 2.0]).item() == pytest.approx(3.0)
    assert m([4.0]).item() == pytest.approx(7.0)
    assert repr(m) == "<Sum name=s>" and m.dtype == "float32"
    assert metrics.Mean(dtype="float64").result().dtype == torch.float64


class CountPositive(Metric):
    def __init__(self, name=None):
        super().__init__(name=name)
        self.hits = self.add_variable((), name="positives")
        self.seen = self.add_weight(name="seen")

    def update_state(self, y_true, y_pred, sample_weight=None):
        self._follow_device(y_pred)
        y_pred = torch.as_tensor(y_pred)
        self.hits.add_((y_pred > 0).sum())
        self.seen.add_(y_pred.numel())

    def result(self):
        return self.hits / self.seen


def test_custom_subclass_state_alias_and_auto_name():
    m = CountPositive()
    assert m.name.startswith("count_positive")
    m.update_state(None, torch.tensor([1.0, -1.0, 2.0, 0.0]))
    assert m.result().item() == pytest.approx(0.5)
    m.to("meta")
    assert m.hits.device.type == "meta" and m.hits is m.variables[0]
    assert CountPositive().name != CountPositive().name  # unique auto-names


def test_base_metric_requires_update_state_and_result():
    m = Metric(name="bare")
    with pytest.raises(TypeError, match="does not implement `update_state`"):
        m.update_state(1, 2)
    with pytest.raises(TypeError, match="does not implement `result`"):
        m.result()


@pytest.mark.cuda
def test_cuda_state_follows_inputs_without_syncs():
    for key, (factory, y_true, y_pred) in FACTORIES.items():
        m = factory()
        w = None if key == "dice" else _WEIGHTS.cuda()
        m.update_state(y_true.cuda(), y_pred.cuda(), w)  # builds lazy state, moves it once
        assert all(v.is_cuda for v in m.variables), key
        torch.cuda.synchronize()
        torch.cuda.set_sync_debug_mode("error")
        try:
            m.update_state(y_true.cuda(), y_pred.cuda(), w)
        finally:
            torch.cuda.set_sync_debug_mode("default")


def test_direction_for_monitoring_callbacks():
    assert metrics.get("huber")._direction == "down"
    assert metrics.KLDivergence()._direction == "down"
    assert metrics.AUC()._direction == "up" and metrics.MeanIoU(2)._direction == "up"
    assert not hasattr(metrics.MeanMetricWrapper(lambda a, b: a), "_direction")


def test_name_is_settable_directly_and_through_private_attribute():
    m = metrics.Mean(name="a")
    m.name = "b"
    assert m.name == "b" and m.get_config()["name"] == "b"
    m._name = "out_b"
    assert m.name == "out_b"
