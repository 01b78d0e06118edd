"""Reading CIFAR's pickled batches (with `RestrictedUnpickler`: no code runs while loading)."""

from __future__ import annotations

import numpy as np

from torchkeras_lite.backend.config import image_data_format
from torchkeras_lite.datasets.dataset_files import load_pickle


def load_batch(fpath: str, label_key: str = "labels") -> tuple[np.ndarray, list[int]]:
    """`(images (N, 3, 32, 32) uint8, labels)` from one CIFAR batch file.

    The batches are Python pickles of a dict of `bytes` keys; they are read with the restricted
    unpickler, which accepts only plain data and numpy arrays.
    """
    with open(fpath, "rb") as f:
        batch = {k.decode("utf8"): v for k, v in load_pickle(f, encoding="bytes").items()}
    data = batch["data"]
    return data.reshape(data.shape[0], 3, 32, 32), batch[label_key]


def finish(x_train, y_train, x_test, y_test) -> tuple[tuple, tuple]:
    """Labels as `(N, 1)` uint8 arrays, images channels-last unless the config says otherwise."""
    y_train = np.asarray(y_train, dtype="uint8").reshape(-1, 1)
    y_test = np.asarray(y_test, dtype="uint8").reshape(-1, 1)
    if image_data_format() == "channels_last":
        x_train, x_test = x_train.transpose(0, 2, 3, 1), x_test.transpose(0, 2, 3, 1)
    return (x_train, y_train), (x_test.astype(x_train.dtype), y_test)
