"""Reuters: 11,228 newswires labelled with one of 46 topics, as sequences of word ids."""

from __future__ import annotations

import json

import numpy as np

from torchkeras_lite.datasets import dataset_files as files
from torchkeras_lite.utils.file_utils import get_file

ORIGIN_FOLDER = "https://storage.googleapis.com/tensorflow/tf-keras-datasets/"
FILE_HASH = "d6586e694ee56d7a4e65172e12b3e987c03096cb01eab99753921ef915959916"
WORD_INDEX_HASH = "4d44cc38712099c9e383dc6e5f11a921"
LABEL_NAMES = (
    "cocoa", "grain", "veg-oil", "earn", "acq", "wheat", "copper", "housing", "money-supply",
    "coffee", "sugar", "trade", "reserves", "ship", "cotton", "carcass", "crude", "nat-gas", "cpi",
    "money-fx", "interest", "gnp", "meal-feed", "alum", "oilseed", "gold", "tin",
    "strategic-metal", "livestock", "retail", "ipi", "iron-steel", "rubber", "heat", "jobs", "lei",
    "bop", "zinc", "orange", "pet-chem", "dlr", "gas", "silver", "wpi", "hog", "lead",
)  # fmt: skip


def load_data(
    path: str = "reuters.npz",
    num_words: int | None = None,
    skip_top: int = 0,
    maxlen: int | None = None,
    test_split: float = 0.2,
    seed: int = 113,
    start_char: int | None = 1,
    oov_char: int | None = 2,
    index_from: int = 3,
) -> tuple[tuple[np.ndarray, np.ndarray], tuple]:
    """Loads Reuters (downloaded once into the cache), shuffled with `seed`, split by `test_split`.

    The sequences are pickled object arrays in the `.npz`; they are parsed with a restricted
    unpickler that only accepts plain data and numpy arrays. The arguments are those of
    `keras.datasets.imdb.load_data`, plus `test_split`, the fraction kept for testing.

    Returns:
        `(x_train, y_train), (x_test, y_test)`: 1-D object arrays of lists of ints and int topic
        labels.

    Example:
        >>> (x_train, y_train), (x_test, y_test) = keras.datasets.reuters.load_data(num_words=10000)
    """
    files.check_test_split(test_split)
    local = get_file(fname=path, origin=f"{ORIGIN_FOLDER}reuters.npz", file_hash=FILE_HASH)
    data = files.load_npz(local)
    xs, labels = files.shuffled(np.random.RandomState(seed), data["x"], data["y"])
    xs = files.encode_sequences(xs, start_char, index_from)
    if maxlen:
        xs, labels = files.remove_long(maxlen, xs, labels)
    xs = files.limit_vocabulary(xs, num_words, skip_top, oov_char)
    cut = int(len(xs) * (1 - test_split))
    labels = np.asarray(labels)
    return (files.object_array(xs[:cut]), labels[:cut]), (
        files.object_array(xs[cut:]),
        labels[cut:],
    )


def get_word_index(path: str = "reuters_word_index.json") -> dict[str, int]:
    """The word -> id dictionary (ids before the `index_from` shift)."""
    local = get_file(
        fname=path, origin=f"{ORIGIN_FOLDER}reuters_word_index.json", file_hash=WORD_INDEX_HASH
    )
    with open(local, encoding="utf8") as f:
        return json.load(f)


def get_label_names() -> tuple[str, ...]:
    """The 46 topic names, indexed by label."""
    return LABEL_NAMES
