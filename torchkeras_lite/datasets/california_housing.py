"""California housing: 20,640 districts, 8 features each, and their median house value."""

from __future__ import annotations

import numpy as np

from torchkeras_lite.datasets import dataset_files as files
from torchkeras_lite.utils.file_utils import get_file

ORIGIN = "https://storage.googleapis.com/tensorflow/tf-keras-datasets/california_housing.npz"
FILE_HASH = "1a2e3a52e0398de6463aebe6f4a8da34fb21fbb6b934cf88c3425e766f2a1a6f"


def load_data(
    version: str = "large",
    path: str = "california_housing.npz",
    test_split: float = 0.2,
    seed: int = 113,
) -> tuple[tuple[np.ndarray, np.ndarray], tuple]:
    """Loads the California housing data, shuffled with `seed`, the last `test_split` for testing.

    Args:
        version: "large" (all 20,640 districts) or "small" (the first 600).
        path: the file name in the cache.
        test_split: the fraction kept for testing.
        seed: the shuffling seed.

    Returns:
        `(x_train, y_train), (x_test, y_test)`: float32 features `(16512, 8)` / `(4128, 8)` and
        float32 targets (for "large").

    Example:
        >>> (x_train, y_train), _ = keras.datasets.california_housing.load_data(version="small")
    """
    files.check_test_split(test_split)
    if version not in ("large", "small"):
        raise ValueError(f"`version` must be 'small' or 'large'. Received: version={version!r}")
    with np.load(get_file(path, origin=ORIGIN, file_hash=FILE_HASH), allow_pickle=False) as f:
        x, y = f["x"], f["y"]
    if version == "small":
        x, y = x[:600], y[:600]
    x, y = files.shuffled(np.random.RandomState(seed), x, y)
    return files.split(x, y, test_split)
