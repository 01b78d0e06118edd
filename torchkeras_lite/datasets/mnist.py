"""MNIST: 70,000 28x28 grayscale images of handwritten digits."""

from __future__ import annotations

import numpy as np

from torchkeras_lite.utils.file_utils import get_file

ORIGIN = "https://storage.googleapis.com/tensorflow/tf-keras-datasets/mnist.npz"
FILE_HASH = "731c5ac602752760c8e48fbffcf8c3b850d9dc2a2aedcf2cc48468fc17b673d1"


def load_data(path: str = "mnist.npz") -> tuple[tuple[np.ndarray, np.ndarray], tuple]:
    """Loads MNIST (downloaded once into the cache, see `keras.utils.get_file`).

    Args:
        path: the file name in the cache.

    Returns:
        `(x_train, y_train), (x_test, y_test)`: uint8 images `(60000, 28, 28)` / `(10000, 28, 28)`
        and uint8 labels 0-9 `(60000,)` / `(10000,)`.

    Example:
        >>> (x_train, y_train), (x_test, y_test) = keras.datasets.mnist.load_data()
    """
    local = get_file(fname=path, origin=ORIGIN, file_hash=FILE_HASH)
    with np.load(local, allow_pickle=False) as f:
        return (f["x_train"], f["y_train"]), (f["x_test"], f["y_test"])
