import numpy as np
import pytest

from torchkeras_lite.callbacks import CSVLogger

EPOCHS = [
    {"loss": 0.5, "accuracy": 0.75, "val_loss": 0.625, "val_accuracy": 0.5},
    {"loss": 0.25, "accuracy": 0.875, "val_loss": 0.5, "val_accuracy": 0.625},
]


def write(cls, path, epochs, **kwargs):
    cb = cls(str(path), **kwargs)
    cb.on_train_begin()
    for epoch, logs in enumerate(epochs):
        cb.on_epoch_end(epoch, dict(logs))
    cb.on_train_end()
    return path.read_bytes()


@pytest.mark.parametrize(
    "epochs,kwargs",
    [
        (EPOCHS, {}),
        ([{"loss": 0.1, "mae": 1e-05}, {"loss": 0.2, "mae": 123.456}], {}),  # no val_ columns: NA
        (EPOCHS, {"separator": ";"}),
        ([{"loss": 0.5, "note": "a,b", "hist": [1, 2]}, {"loss": 0.25}], {}),  # quoting, lists, NA
        ([{"loss": np.float32(0.1), "val_loss": np.float64(0.2)}], {}),
    ],
)
def test_same_file_as_keras(tmp_path, epochs, kwargs):
    keras = pytest.importorskip("keras")
    ours = write(CSVLogger, tmp_path / "ours.csv", epochs, **kwargs)
    theirs = write(keras.callbacks.CSVLogger, tmp_path / "keras.csv", epochs, **kwargs)
    assert ours == theirs


def test_append_writes_the_header_once_like_keras(tmp_path):
    keras = pytest.importorskip("keras")
    for name, cls in (("ours.csv", CSVLogger), ("keras.csv", keras.callbacks.CSVLogger)):
        write(cls, tmp_path / name, EPOCHS[:1], append=True)
        write(cls, tmp_path / name, EPOCHS[1:], append=True)
    ours = (tmp_path / "ours.csv").read_bytes()
    assert ours == (tmp_path / "keras.csv").read_bytes()
    assert ours.count(b"epoch,") == 1 and ours.count(b"\r\n") == 3


def test_content(tmp_path):
    content = write(CSVLogger, tmp_path / "log.csv", EPOCHS).decode()
    assert content.splitlines() == [
        "epoch,accuracy,loss,val_accuracy,val_loss",
        "0,0.75,0.5,0.5,0.625",
        "1,0.875,0.25,0.625,0.5",
    ]


def test_overwrites_without_append(tmp_path):
    path = tmp_path / "log.csv"
    write(CSVLogger, path, EPOCHS)
    assert write(CSVLogger, path, EPOCHS[:1]).decode().count("\r\n") == 2


def test_epoch_end_outside_training_raises(tmp_path):
    cb = CSVLogger(tmp_path / "log.csv")
    with pytest.raises(ValueError, match="the file is not open"):
        cb.on_epoch_end(0, {"loss": 1.0})
