"""CIFAR-100: 60,000 32x32 color images in 100 classes (grouped in 20 superclasses)."""

from __future__ import annotations

import os

import numpy as np

from torchkeras_lite.datasets.cifar import finish, load_batch
from torchkeras_lite.utils.file_utils import get_file

ORIGIN = "https://www.cs.toronto.edu/~kriz/cifar-100-python.tar.gz"
FILE_HASH = "85cd44d02ba6437773c5bbd22e183051d648de2e7d6b014e1ef29b855ba677a7"


def load_data(label_mode: str = "fine") -> tuple[tuple[np.ndarray, np.ndarray], tuple]:
    """Loads CIFAR-100 (the python-pickle archive, downloaded once into the cache and extracted).

    The files are pickles, parsed with a restricted unpickler that only accepts plain data and
    numpy arrays (see `torchkeras_lite.datasets.dataset_files`).

    Args:
        label_mode: "fine" (100 classes) or "coarse" (20 superclasses).

    Returns:
        `(x_train, y_train), (x_test, y_test)`: uint8 images `(50000, 32, 32, 3)` /
        `(10000, 32, 32, 3)` and uint8 labels `(50000, 1)` / `(10000, 1)`.

    Example:
        >>> (x_train, y_train), (x_test, y_test) = keras.datasets.cifar100.load_data("fine")
    """
    if label_mode not in ("fine", "coarse"):
        raise ValueError(
            f'`label_mode` must be one of "fine", "coarse". Received: label_mode={label_mode!r}'
        )
    root = get_file(
        fname="cifar-100-python-target", origin=ORIGIN, extract=True, file_hash=FILE_HASH
    )
    folder = os.path.join(root, "cifar-100-python")
    key = f"{label_mode}_labels"
    x_train, y_train = load_batch(os.path.join(folder, "train"), label_key=key)
    x_test, y_test = load_batch(os.path.join(folder, "test"), label_key=key)
    return finish(x_train, y_train, x_test, y_test)
