"""`keras.datasets`: tiny files in each dataset's real format, served from 127.0.0.1, parsed."""

from __future__ import annotations

import gzip
import hashlib
import io
import json
import os
import pickle
import struct
import tarfile

import numpy as np
import pytest

from tests.datasets.local_server import serve
from torchkeras_lite import config, datasets
from torchkeras_lite.datasets import dataset_files
from torchkeras_lite.utils import file_utils

RNG = np.random.default_rng(0)
SEQS = [[5, 1, 7], [2, 9, 9, 4, 1], [3], [8, 8, 2, 6], [1, 2], [4, 4, 4, 4, 4, 4]]


@pytest.fixture()
def www(tmp_path, monkeypatch):
    """A served folder, a private cache; `publish(module, name, data)` serves a file for a dataset."""
    folder = tmp_path / "www"
    folder.mkdir()
    monkeypatch.setenv(file_utils.HOME_ENV, str(tmp_path / "cache"))
    with serve(folder) as url:

        def publish(module, name: str, data: bytes, attr: str = "ORIGIN", hash_attr="FILE_HASH"):
            (folder / name).write_bytes(data)
            origin = url if attr in ("ORIGIN_FOLDER",) or name.endswith("-ubyte.gz") else url + name
            monkeypatch.setattr(module, attr, origin)
            if hash_attr:
                monkeypatch.setattr(module, hash_attr, hashlib.sha256(data).hexdigest())

        yield publish


def _npz(**arrays) -> bytes:
    buffer = io.BytesIO()
    np.savez(buffer, **arrays)
    return buffer.getvalue()


def _objects(seqs) -> np.ndarray:
    out = np.empty(len(seqs), dtype=object)
    out[:] = [list(s) for s in seqs]
    return out


def test_mnist(www):
    x = RNG.integers(0, 256, (8, 28, 28)).astype("uint8")
    y = np.arange(8, dtype="uint8")
    www(datasets.mnist, "mnist.npz", _npz(x_train=x[:6], y_train=y[:6], x_test=x[6:], y_test=y[6:]))
    (x_train, y_train), (x_test, y_test) = datasets.mnist.load_data()
    assert x_train.shape == (6, 28, 28) and x_train.dtype == np.uint8 and y_test.tolist() == [6, 7]
    np.testing.assert_array_equal(x_test, x[6:])


def _idx(values: np.ndarray, magic: int) -> bytes:
    header = struct.pack(">II", magic, len(values)) + (
        struct.pack(">II", 28, 28) if values.ndim == 3 else b""
    )
    return gzip.compress(header + values.tobytes())


def test_fashion_mnist(www):
    images = RNG.integers(0, 256, (5, 28, 28)).astype("uint8")
    labels = np.array([3, 1, 4, 1, 5], "uint8")
    for name, data in zip(
        datasets.fashion_mnist.FILES,
        [
            _idx(labels[:3], 2049),
            _idx(images[:3], 2051),
            _idx(labels[3:], 2049),
            _idx(images[3:], 2051),
        ],
    ):
        www(datasets.fashion_mnist, name, data, hash_attr=None)
    (x_train, y_train), (x_test, y_test) = datasets.fashion_mnist.load_data()
    assert (
        x_train.shape == (3, 28, 28) and x_test.shape == (2, 28, 28) and x_train.dtype == np.uint8
    )
    np.testing.assert_array_equal(x_test, images[3:])
    assert y_train.tolist() == [3, 1, 4] and y_test.tolist() == [1, 5]


def _cifar_archive(folder: str, batches: dict[str, dict]) -> bytes:
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w:gz") as tar:
        for name, content in batches.items():
            payload = pickle.dumps({k.encode(): v for k, v in content.items()}, protocol=2)
            info = tarfile.TarInfo(f"{folder}/{name}")
            info.size = len(payload)
            tar.addfile(info, io.BytesIO(payload))
    return buffer.getvalue()


def _batch(n: int, **labels) -> dict:
    data = RNG.integers(0, 256, (n, 3072)).astype("uint8")
    return {"data": data, "batch_label": b"training batch", "filenames": [b"a.png"] * n, **labels}


def test_cifar10(www):
    batches = {f"data_batch_{i}": _batch(2, labels=[i, i + 1]) for i in range(1, 6)}
    batches["test_batch"] = _batch(3, labels=[0, 9, 5])
    www(datasets.cifar10, "cifar-10-python.tar.gz", _cifar_archive("cifar-10-batches-py", batches))
    (x_train, y_train), (x_test, y_test) = datasets.cifar10.load_data()
    assert x_train.shape == (10, 32, 32, 3) and x_train.dtype == np.uint8
    assert (
        y_train.shape == (10, 1)
        and y_train.dtype == np.uint8
        and y_test.ravel().tolist() == [0, 9, 5]
    )
    first = batches["data_batch_1"]["data"][0].reshape(3, 32, 32).transpose(1, 2, 0)
    np.testing.assert_array_equal(x_train[0], first)
    config.set_image_data_format("channels_first")
    try:
        assert datasets.cifar10.load_data()[1][0].shape == (3, 3, 32, 32)  # cached, re-parsed
    finally:
        config.set_image_data_format("channels_last")


def test_cifar100(www):
    batches = {
        "train": _batch(4, fine_labels=[10, 20, 30, 99], coarse_labels=[1, 2, 3, 19]),
        "test": _batch(2, fine_labels=[0, 5], coarse_labels=[0, 1]),
    }
    www(datasets.cifar100, "cifar-100-python.tar.gz", _cifar_archive("cifar-100-python", batches))
    (x_train, y_train), (x_test, y_test) = datasets.cifar100.load_data(label_mode="fine")
    assert x_train.shape == (4, 32, 32, 3) and y_train.ravel().tolist() == [10, 20, 30, 99]
    (_, y_coarse), _ = datasets.cifar100.load_data(label_mode="coarse")
    assert y_coarse.dtype == np.uint8 and y_coarse.ravel().tolist() == [1, 2, 3, 19]
    with pytest.raises(ValueError, match="`label_mode` must be one of"):
        datasets.cifar100.load_data(label_mode="medium")


def _keras_loader(monkeypatch, module_name: str, path: str):
    """A Keras 3 loader whose download is replaced by the local file, for parity checks."""
    keras = pytest.importorskip("keras")
    import importlib

    module = importlib.import_module(f"keras.src.datasets.{module_name}")
    monkeypatch.setattr(module, "get_file", lambda *a, **k: path)
    return getattr(keras.datasets, module_name)


@pytest.mark.parametrize(
    "kwargs",
    [
        {},
        {"num_words": 6, "skip_top": 1},
        {"maxlen": 5, "start_char": None},
        {"oov_char": None, "num_words": 8},
    ],
)
def test_imdb_matches_keras(www, monkeypatch, tmp_path, kwargs):
    data = _npz(
        x_train=_objects(SEQS[:4]), y_train=np.array([0, 1, 1, 0]),
        x_test=_objects(SEQS[4:]), y_test=np.array([1, 0]),
    )  # fmt: skip
    www(datasets.imdb, "imdb.npz", data, attr="ORIGIN_FOLDER")
    (x_train, y_train), (x_test, y_test) = datasets.imdb.load_data(**kwargs)
    (kx_train, ky_train), (kx_test, ky_test) = _keras_loader(
        monkeypatch, "imdb", str(tmp_path / "www" / "imdb.npz")
    ).load_data(**kwargs)
    assert x_train.dtype == object and x_train.ndim == 1
    assert [list(s) for s in x_train] == [list(s) for s in kx_train]
    assert [list(s) for s in x_test] == [list(s) for s in kx_test]
    np.testing.assert_array_equal(y_train, ky_train)
    np.testing.assert_array_equal(y_test, ky_test)


def test_imdb_word_index_and_errors(www):
    index = {"the": 1, "and": 2}
    www(
        datasets.imdb,
        "imdb_word_index.json",
        json.dumps(index).encode(),
        "ORIGIN_FOLDER",
        "WORD_INDEX_HASH",
    )
    assert datasets.imdb.get_word_index() == index
    www(
        datasets.imdb,
        "imdb.npz",
        _npz(
            x_train=_objects(SEQS), y_train=np.zeros(6), x_test=_objects(SEQS), y_test=np.zeros(6)
        ),
        attr="ORIGIN_FOLDER",
    )
    with pytest.raises(ValueError, match="No sequence is shorter than maxlen=1"):
        datasets.imdb.load_data(maxlen=1)
    with pytest.raises(TypeError, match="Unrecognized keyword arguments"):
        datasets.imdb.load_data(nb_words=10)


def test_reuters_matches_keras(www, monkeypatch, tmp_path):
    labels = np.array([3, 1, 4, 1, 5, 9])
    www(datasets.reuters, "reuters.npz", _npz(x=_objects(SEQS), y=labels), attr="ORIGIN_FOLDER")
    ours = datasets.reuters.load_data(num_words=7, test_split=0.5)
    keras_reuters = _keras_loader(monkeypatch, "reuters", str(tmp_path / "www" / "reuters.npz"))
    theirs = keras_reuters.load_data(num_words=7, test_split=0.5)
    for (x, y), (kx, ky) in zip(ours, theirs):
        assert [list(s) for s in x] == [list(s) for s in kx]
        np.testing.assert_array_equal(y, ky)
    assert datasets.reuters.get_label_names() == keras_reuters.get_label_names()
    www(
        datasets.reuters,
        "reuters_word_index.json",
        b'{"said": 1}',
        "ORIGIN_FOLDER",
        "WORD_INDEX_HASH",
    )
    assert datasets.reuters.get_word_index() == {"said": 1}


@pytest.mark.parametrize("name,features", [("boston_housing", 13), ("california_housing", 8)])
def test_housing_matches_keras(www, monkeypatch, tmp_path, name, features):
    module = getattr(datasets, name)
    x = RNG.normal(size=(25, features)).astype("float32")
    y = RNG.normal(size=(25,)).astype("float32")
    www(module, f"{name}.npz", _npz(x=x, y=y))
    (x_train, y_train), (x_test, y_test) = module.load_data(test_split=0.2, seed=7)
    assert (
        x_train.shape == (20, features) and x_test.shape == (5, features) and y_train.shape == (20,)
    )
    theirs = _keras_loader(monkeypatch, name, str(tmp_path / "www" / f"{name}.npz")).load_data(
        test_split=0.2, seed=7
    )
    for a, b in zip((x_train, y_train, x_test, y_test), (*theirs[0], *theirs[1])):
        np.testing.assert_array_equal(a, b)
    with pytest.raises(ValueError, match=r"`test_split` must be in \[0, 1\)"):
        module.load_data(test_split=1.0)


def test_california_small_version(www):
    x, y = np.arange(700 * 8, dtype="float32").reshape(700, 8), np.arange(700, dtype="float32")
    www(datasets.california_housing, "california_housing.npz", _npz(x=x, y=y))
    (x_train, _), (x_test, _) = datasets.california_housing.load_data(version="small")
    assert len(x_train) + len(x_test) == 600 and x_train.max() < 600 * 8
    with pytest.raises(ValueError, match="`version` must be"):
        datasets.california_housing.load_data(version="medium")


class _Exploit:
    def __reduce__(self):
        return (os.system, ("echo unsafe",))


def test_loading_never_runs_code_from_pickles(tmp_path):
    batch = tmp_path / "data_batch_1"
    batch.write_bytes(pickle.dumps({b"data": _Exploit(), b"labels": [1]}, protocol=2))
    with pytest.raises(
        pickle.UnpicklingError, match="Refusing to load `posix.system`|Refusing to load `nt.system`"
    ):
        datasets.cifar.load_batch(str(batch))
    evil = tmp_path / "imdb.npz"
    evil.write_bytes(_npz(x_train=np.array([_Exploit(), [1]], dtype=object)))
    with pytest.raises(pickle.UnpicklingError, match="only numpy arrays and plain"):
        dataset_files.load_npz(str(evil))
    smuggled = pickle.dumps({b"data": b"x"}, protocol=2).replace(b"latin1", b"utf_8_")
    with pytest.raises(pickle.UnpicklingError, match="Refusing to decode bytes with 'utf_8_'"):
        dataset_files.load_pickle(io.BytesIO(smuggled), encoding="bytes")
    plain = dataset_files.load_npz(
        _write(tmp_path / "ok.npz", _npz(a=np.arange(3), b=_objects([[1], [2, 3]])))
    )
    assert plain["a"].tolist() == [0, 1, 2] and plain["b"][1] == [2, 3]


def _write(path, data: bytes) -> str:
    path.write_bytes(data)
    return str(path)
