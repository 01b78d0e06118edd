"""CIFAR-10: 60,000 32x32 color images in 10 classes."""

from __future__ import annotations

import os

import numpy as np

from torchkeras_lite.datasets.cifar import finish, load_batch
from torchkeras_lite.utils.file_utils import get_file

ORIGIN = "https://www.cs.toronto.edu/~kriz/cifar-10-python.tar.gz"
FILE_HASH = "6d958be074577803d12ecdefd02955f39262c83c16fe9348329d7fe0b5c001ce"


def load_data() -> tuple[tuple[np.ndarray, np.ndarray], tuple]:
    """Loads CIFAR-10 (the python-pickle archive, downloaded once into the cache and extracted).

    The batches are pickles; they are parsed with a restricted unpickler that only accepts plain
    data and numpy arrays (see `torchkeras_lite.datasets.dataset_files`).

    Returns:
        `(x_train, y_train), (x_test, y_test)`: uint8 images `(50000, 32, 32, 3)` /
        `(10000, 32, 32, 3)` (channels first if `image_data_format()` says so) and uint8 labels
        `(50000, 1)` / `(10000, 1)`.

    Example:
        >>> (x_train, y_train), (x_test, y_test) = keras.datasets.cifar10.load_data()
    """
    root = get_file(
        fname="cifar-10-batches-py-target", origin=ORIGIN, extract=True, file_hash=FILE_HASH
    )
    folder = os.path.join(root, "cifar-10-batches-py")
    parts = [load_batch(os.path.join(folder, f"data_batch_{i}")) for i in range(1, 6)]
    x_train = np.concatenate([x for x, _ in parts]).astype("uint8")
    y_train = [label for _, labels in parts for label in labels]
    x_test, y_test = load_batch(os.path.join(folder, "test_batch"))
    return finish(x_train, y_train, x_test, y_test)
