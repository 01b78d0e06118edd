"""IMDB: 50,000 movie reviews labelled positive (1) or negative (0), as sequences of word ids.

Word id `i` stands for the `i`-th most frequent word; ids are shifted by `index_from`, so the
first ids stay free for padding (0), the start marker (`start_char`) and out-of-vocabulary words
(`oov_char`).
"""

from __future__ import annotations

import json

import numpy as np

from torchkeras_lite.datasets import dataset_files as files
from torchkeras_lite.utils.file_utils import get_file

ORIGIN_FOLDER = "https://storage.googleapis.com/tensorflow/tf-keras-datasets/"
FILE_HASH = "69664113be75683a8fe16e3ed0ab59fda8886cb3cd7ada244f7d9544e4676b9f"
WORD_INDEX_HASH = "bfafd718b763782e994055a2d397834f"


def load_data(
    path: str = "imdb.npz",
    num_words: int | None = None,
    skip_top: int = 0,
    maxlen: int | None = None,
    seed: int = 113,
    start_char: int | None = 1,
    oov_char: int | None = 2,
    index_from: int = 3,
    **kwargs,
) -> tuple[tuple[np.ndarray, np.ndarray], tuple]:
    """Loads IMDB (downloaded once into the cache), shuffled with `seed`.

    The sequences are pickled object arrays in the `.npz`; they are parsed with a restricted
    unpickler that only accepts plain data and numpy arrays.

    Args:
        path: the file name in the cache.
        num_words: keep the `num_words` most frequent words (ids >= num_words become `oov_char`).
        skip_top: also treat the `skip_top` most frequent words as out of vocabulary.
        maxlen: drop sequences of `maxlen` words or more.
        seed: the shuffling seed.
        start_char: the id that starts every sequence (None: no marker).
        oov_char: the id of out-of-vocabulary words (None: they are removed).
        index_from: the offset added to word ids.

    Returns:
        `(x_train, y_train), (x_test, y_test)`: 1-D object arrays of lists of ints (25,000 each
        before `maxlen` filtering) and int labels.

    Example:
        >>> (x_train, y_train), (x_test, y_test) = keras.datasets.imdb.load_data(num_words=10000)
    """
    if kwargs:
        raise TypeError(f"Unrecognized keyword arguments. Received: {sorted(kwargs)}")
    data = files.load_npz(
        get_file(fname=path, origin=f"{ORIGIN_FOLDER}imdb.npz", file_hash=FILE_HASH)
    )
    rng = np.random.RandomState(seed)
    x_train, y_train = files.shuffled(rng, data["x_train"], data["y_train"])
    x_test, y_test = files.shuffled(rng, data["x_test"], data["y_test"])
    xs_train = files.encode_sequences(x_train, start_char, index_from)
    xs_test = files.encode_sequences(x_test, start_char, index_from)
    if maxlen:
        xs_train, y_train = files.remove_long(maxlen, xs_train, y_train)
        xs_test, y_test = files.remove_long(maxlen, xs_test, y_test)
        if not xs_train or not xs_test:
            raise ValueError(
                f"No sequence is shorter than maxlen={maxlen}; increase `maxlen`. Received: maxlen={maxlen}"
            )
    xs = files.limit_vocabulary(xs_train + xs_test, num_words, skip_top, oov_char)
    cut = len(xs_train)
    labels = np.concatenate([y_train, y_test])
    return (files.object_array(xs[:cut]), labels[:cut]), (
        files.object_array(xs[cut:]),
        labels[cut:],
    )


def get_word_index(path: str = "imdb_word_index.json") -> dict[str, int]:
    """The word -> id dictionary (ids before the `index_from` shift).

    Example:
        >>> index = keras.datasets.imdb.get_word_index()
        >>> index["the"]
        1
    """
    local = get_file(
        fname=path, origin=f"{ORIGIN_FOLDER}imdb_word_index.json", file_hash=WORD_INDEX_HASH
    )
    with open(local, encoding="utf8") as f:
        return json.load(f)
