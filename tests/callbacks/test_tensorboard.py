import sys

import pytest
import torch

from torchkeras_lite.callbacks import TensorBoard


def test_missing_tensorboard_raises_a_clear_import_error(monkeypatch, tmp_path):
    monkeypatch.setitem(sys.modules, "tensorboard", None)  # makes `import tensorboard` fail
    with pytest.raises(ImportError, match="pip install tensorboard"):
        TensorBoard(log_dir=tmp_path)


@pytest.mark.parametrize(
    "kwargs,match",
    [
        (
            {"update_freq": "sometimes"},
            "`update_freq` must be 'epoch', 'batch' or a positive integer",
        ),
        ({"update_freq": 0}, "Received: update_freq=0"),
        ({"histogram_freq": -1}, "`histogram_freq` must be a non-negative integer"),
    ],
)
def test_argument_errors(tmp_path, kwargs, match):
    with pytest.raises(ValueError, match=match):
        TensorBoard(log_dir=tmp_path, **kwargs)


class Model(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.dense = torch.nn.Linear(2, 3)
        self.optimizer = torch.optim.SGD(self.parameters(), lr=0.5)
        self.stop_training = False


def test_writes_event_files(tmp_path):
    pytest.importorskip("tensorboard")
    from tensorboard.backend.event_processing.event_accumulator import EventAccumulator

    model = Model()
    cb = TensorBoard(log_dir=tmp_path, histogram_freq=1, update_freq=2)
    cb.set_model(model)
    cb.on_train_begin()
    for epoch in range(2):
        cb.on_epoch_begin(epoch)
        for batch in range(3):
            cb.on_train_batch_begin(batch)
            cb.on_train_batch_end(batch, {"loss": torch.tensor(1.0 + batch)})
        cb.on_test_begin()
        cb.on_test_end({"loss": 0.75})
        cb.on_epoch_end(epoch, {"loss": 1.0 - epoch / 4, "val_loss": 0.75 - epoch / 4})
    cb.on_train_end()

    train = EventAccumulator(str(tmp_path / "train"), size_guidance={"histograms": 0}).Reload()
    val = EventAccumulator(str(tmp_path / "validation")).Reload()
    values = {
        tag: [(e.step, e.value) for e in train.Scalars(tag)] for tag in train.Tags()["scalars"]
    }
    assert values["epoch_loss"] == [(0, 1.0), (1, 0.75)]
    assert values["epoch_learning_rate"] == [(0, 0.5), (1, 0.5)]
    assert values["batch_loss"] == [(2, 2.0), (4, 1.0), (6, 3.0)]  # every 2nd global batch
    assert [(e.step, e.value) for e in val.Scalars("epoch_loss")] == [(0, 0.75), (1, 0.5)]
    assert [e.step for e in val.Scalars("evaluation_loss_vs_iterations")] == [3, 6]
    assert sorted(train.Tags()["histograms"]) == ["dense/bias/histogram", "dense/weight/histogram"]
    assert "model/text_summary" in train.Tags()["tensors"]
