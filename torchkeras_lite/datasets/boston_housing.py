"""Boston housing: 506 houses, 13 features each, and their median value (in $1000s)."""

from __future__ import annotations

import numpy as np

from torchkeras_lite.datasets import dataset_files as files
from torchkeras_lite.utils.file_utils import get_file

ORIGIN = "https://storage.googleapis.com/tensorflow/tf-keras-datasets/boston_housing.npz"
FILE_HASH = "f553886a1f8d56431e820c5b82552d9d95cfcb96d1e678153f8839538947dff5"


def load_data(
    path: str = "boston_housing.npz", test_split: float = 0.2, seed: int = 113
) -> tuple[tuple[np.ndarray, np.ndarray], tuple]:
    """Loads the Boston housing data, shuffled with `seed`, the last `test_split` for testing.

    Returns:
        `(x_train, y_train), (x_test, y_test)`: float64 features `(404, 13)` / `(102, 13)` and
        float64 targets `(404,)` / `(102,)`.

    Example:
        >>> (x_train, y_train), (x_test, y_test) = keras.datasets.boston_housing.load_data()
    """
    files.check_test_split(test_split)
    with np.load(get_file(path, origin=ORIGIN, file_hash=FILE_HASH), allow_pickle=False) as f:
        x, y = f["x"], f["y"]
    x, y = files.shuffled(np.random.RandomState(seed), x, y)
    return files.split(x, y, test_split)
