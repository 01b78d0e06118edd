"""Reading the built-in datasets' files without running code from them.

Some dataset files are Python pickles: the CIFAR batches, and the `.npz` files of IMDB and Reuters,
whose variable-length sequences are stored as pickled object arrays. Unpickling can run arbitrary
code, so these files are read with `RestrictedUnpickler`, which only rebuilds plain data (dicts,
lists, ints, bytes, strings) and numpy arrays: the only globals it resolves are numpy's array
reconstruction functions (`ndarray`, `dtype`, `_reconstruct`) and a latin-1-only stand-in for
`_codecs.encode` (how Python 3 writes `bytes` in protocol-2 pickles); anything else raises
`pickle.UnpicklingError`. Plain numeric `.npz` files are read with `allow_pickle=False`.
"""

from __future__ import annotations

import io
import pickle
import zipfile
from collections.abc import Sequence
from typing import IO, Any

import numpy as np

_NUMPY_GLOBALS = {
    ("numpy", "ndarray"): np.ndarray,
    ("numpy", "dtype"): np.dtype,
}
_RECONSTRUCT_MODULES = ("numpy.core.multiarray", "numpy._core.multiarray")


def _latin1_bytes(text: str, encoding: str = "latin1") -> bytes:
    """What Python 3's protocol-2 pickles call (`_codecs.encode`) to rebuild `bytes`; latin-1 only."""
    if encoding not in ("latin1", "latin-1") or not isinstance(text, str):
        raise pickle.UnpicklingError(
            f"Refusing to decode bytes with {encoding!r} while loading a dataset file."
        )
    return text.encode("latin1")


class RestrictedUnpickler(pickle.Unpickler):
    """An unpickler that only rebuilds builtin containers/scalars and numpy arrays.

    Example:
        >>> with open("data_batch_1", "rb") as f:
        ...     batch = RestrictedUnpickler(f, encoding="bytes").load()
    """

    def find_class(self, module: str, name: str) -> Any:
        if (module, name) in _NUMPY_GLOBALS:
            return _NUMPY_GLOBALS[(module, name)]
        if (module, name) == ("_codecs", "encode"):
            return _latin1_bytes
        if module in _RECONSTRUCT_MODULES and name == "_reconstruct":
            return np.ndarray.__reduce__(np.empty(0))[0]  # numpy's own `_reconstruct`
        raise pickle.UnpicklingError(
            f"Refusing to load `{module}.{name}` from a dataset file: only numpy arrays and plain "
            "Python data are accepted. The file may be corrupted or malicious."
        )


def load_pickle(file: IO[bytes], encoding: str = "ASCII") -> Any:
    """Unpickles `file` with `RestrictedUnpickler` (`encoding="bytes"` for Python 2 pickles)."""
    return RestrictedUnpickler(file, encoding=encoding).load()


def _read_npy(buffer: IO[bytes]) -> np.ndarray:
    version = np.lib.format.read_magic(buffer)
    if version == (1, 0):
        _, _, dtype = np.lib.format.read_array_header_1_0(buffer)
    else:
        _, _, dtype = np.lib.format.read_array_header_2_0(buffer)
    if dtype.hasobject:
        return load_pickle(buffer, encoding="latin1")
    buffer.seek(0)
    return np.lib.format.read_array(buffer, allow_pickle=False)


def load_npz(path: str) -> dict[str, np.ndarray]:
    """The arrays of an `.npz` file; object arrays go through `RestrictedUnpickler`."""
    arrays = {}
    with zipfile.ZipFile(path) as archive:
        for member in archive.namelist():
            if member.endswith(".npy"):
                arrays[member[: -len(".npy")]] = _read_npy(io.BytesIO(archive.read(member)))
    return arrays


def shuffled(rng: np.random.RandomState, *arrays: np.ndarray) -> list[np.ndarray]:
    """The arrays reordered by one permutation drawn from `rng` (a `np.random.RandomState`)."""
    order = np.arange(len(arrays[0]))
    rng.shuffle(order)
    return [a[order] for a in arrays]


def split(x: np.ndarray, y: np.ndarray, test_split: float) -> tuple[tuple, tuple]:
    """`((x_train, y_train), (x_test, y_test))` with the last `test_split` fraction as test data."""
    cut = int(len(x) * (1 - test_split))
    return (np.array(x[:cut]), np.array(y[:cut])), (np.array(x[cut:]), np.array(y[cut:]))


def check_test_split(test_split: float) -> None:
    if not 0 <= test_split < 1:
        raise ValueError(f"`test_split` must be in [0, 1). Received: test_split={test_split}")


def encode_sequences(
    sequences: Sequence[Sequence[int]],
    start_char: int | None,
    index_from: int,
) -> list[list[int]]:
    """Shifts word ids by `index_from` and prepends `start_char` (when not None)."""
    head = [] if start_char is None else [start_char]
    return [head + [int(w) + index_from for w in seq] for seq in sequences]


def remove_long(maxlen: int, xs: list, labels: np.ndarray) -> tuple[list, np.ndarray]:
    """Keeps the sequences strictly shorter than `maxlen`, with their labels."""
    keep = [i for i, x in enumerate(xs) if len(x) < maxlen]
    return [xs[i] for i in keep], np.asarray(labels)[keep]


def limit_vocabulary(
    xs: list[list[int]], num_words: int | None, skip_top: int, oov_char: int | None
) -> list[list[int]]:
    """Word ids outside `[skip_top, num_words)` become `oov_char`, or are dropped when it is None."""
    if not num_words:
        num_words = max((max(x) for x in xs if x), default=0)
    if oov_char is not None:
        return [[w if skip_top <= w < num_words else oov_char for w in x] for x in xs]
    return [[w for w in x if skip_top <= w < num_words] for x in xs]


def object_array(xs: list[list[int]]) -> np.ndarray:
    """A 1-D object array holding one Python list per sample."""
    out = np.empty(len(xs), dtype=object)
    out[:] = xs
    return out
