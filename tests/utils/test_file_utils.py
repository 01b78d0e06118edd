"""`get_file`: download from a local server into the cache, hash checks, archive extraction."""

from __future__ import annotations

import hashlib
import io
import os
import tarfile
import zipfile

import pytest

from tests.datasets.local_server import serve
from torchkeras_lite import utils
from torchkeras_lite.utils import file_utils


@pytest.fixture()
def site(tmp_path, monkeypatch):
    """A served folder with a text file, a tar.gz and a zip; the cache root in tmp_path."""
    www = tmp_path / "www"
    www.mkdir()
    (www / "data.txt").write_bytes(b"hello torch\n")
    with tarfile.open(www / "bundle.tar.gz", "w:gz") as tar:
        for name, payload in [("bundle/a.txt", b"a"), ("bundle/sub/b.txt", b"bb")]:
            info = tarfile.TarInfo(name)
            info.size = len(payload)
            tar.addfile(info, io.BytesIO(payload))
    with zipfile.ZipFile(www / "pack.zip", "w") as z:
        z.writestr("pack/c.txt", "ccc")
    monkeypatch.setenv(file_utils.HOME_ENV, str(tmp_path / "home"))
    with serve(www) as url:
        yield url, www, tmp_path / "home"


def _sha256(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_download_cache_and_hashes(site):
    url, www, home = site
    digest = _sha256(www / "data.txt")
    path = utils.get_file(origin=url + "data.txt", file_hash=digest)  # as in Keras' docs
    assert path == str(home / "datasets" / "data.txt")
    assert open(path, "rb").read() == b"hello torch\n"
    (www / "data.txt").write_bytes(b"changed")
    assert utils.get_file("data.txt", url + "data.txt") == path  # cached: no download
    assert open(path, "rb").read() == b"hello torch\n"
    md5 = hashlib.md5(b"hello torch\n").hexdigest()
    assert utils.get_file("data.txt", url + "data.txt", md5_hash=md5) == path
    with open(path, "wb") as f:
        f.write(b"truncated")  # a damaged cache entry is downloaded again; the server now differs
    with pytest.warns(UserWarning, match="does not match the expected"):
        with pytest.raises(ValueError, match="Incomplete or corrupted file"):
            utils.get_file("data.txt", url + "data.txt", file_hash=digest)
    assert not os.path.exists(path)  # a corrupted download is not kept
    forced = utils.get_file("data.txt", url + "data.txt", force_download=True, cache_subdir="other")
    assert open(forced, "rb").read() == b"changed"
    assert file_utils.validate_file(forced, hashlib.sha256(b"changed").hexdigest())
    assert file_utils.hash_file(forced, "md5") == hashlib.md5(b"changed").hexdigest()


def test_extract_tar_and_zip(site, tmp_path):
    url, _, home = site
    folder = utils.get_file("bundle", url + "bundle.tar.gz", extract=True)
    assert folder == str(home / "datasets" / "bundle")
    assert open(os.path.join(folder, "bundle", "sub", "b.txt")).read() == "bb"
    folder = utils.get_file(
        "pack.zip", url + "pack.zip", extract=True, cache_dir=str(tmp_path / "c")
    )
    assert folder == str(tmp_path / "c" / "datasets" / "pack_extracted")
    assert open(os.path.join(folder, "pack", "c.txt")).read() == "ccc"
    untarred = utils.get_file(origin=url + "bundle.tar.gz", untar=True)
    assert os.path.isfile(os.path.join(untarred, "bundle", "a.txt"))


def test_archives_cannot_write_outside_the_folder(tmp_path):
    evil = tmp_path / "evil.zip"
    with zipfile.ZipFile(evil, "w") as z:
        z.writestr("../escape.txt", "x")
    with pytest.raises(ValueError, match="outside the extraction folder"):
        file_utils.extract_archive(str(evil), str(tmp_path / "out"))
    bad_tar = tmp_path / "evil.tar"
    with tarfile.open(bad_tar, "w") as tar:
        info = tarfile.TarInfo("../escape.txt")
        info.size = 1
        tar.addfile(info, io.BytesIO(b"x"))
    with pytest.raises(tarfile.OutsideDestinationError):
        file_utils.extract_archive(str(bad_tar), str(tmp_path / "out"))
    assert not (tmp_path / "escape.txt").exists()
    assert file_utils.extract_archive(str(bad_tar), str(tmp_path / "o"), None) is False


def test_get_file_errors(site):
    url, _, _ = site
    with pytest.raises(ValueError, match='specify the "origin"'):
        utils.get_file("x.txt")
    with pytest.raises(ValueError, match="use `cache_dir`"):
        utils.get_file(os.path.join("a", "b.txt"), url + "data.txt")
    with pytest.raises(ValueError, match="parse the file name"):
        utils.get_file(origin="http://127.0.0.1:1/")
    with pytest.raises(Exception, match="URL fetch failure"):
        utils.get_file("missing.txt", url + "missing.txt")
    with pytest.raises(ValueError, match="`hash_algorithm` must be"):
        file_utils.resolve_hasher("sha1")
    with pytest.raises(ValueError, match="`archive_format` must be"):
        file_utils.extract_archive(__file__, ".", "rar")
