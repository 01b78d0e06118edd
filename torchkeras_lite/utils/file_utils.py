"""`keras.utils.get_file`: download a file into a cache folder, check its hash, extract archives.

The cache lives in `$TORCHKERAS_LITE_HOME` (default `~/.torchkeras_lite`; `/tmp/.torchkeras_lite`
when that is not writable), under `cache_subdir` (`"datasets"` by default).
"""

from __future__ import annotations

import hashlib
import os
import shutil
import tarfile
import tempfile
import urllib.error
import urllib.parse
import urllib.request
import warnings
import zipfile
from pathlib import Path

from torchkeras_lite.utils.progress import Progbar

HOME_ENV = "TORCHKERAS_LITE_HOME"


def cache_home() -> str:
    """The cache root: `$TORCHKERAS_LITE_HOME`, else `~/.torchkeras_lite`."""
    return os.environ.get(HOME_ENV) or os.path.join(os.path.expanduser("~"), ".torchkeras_lite")


def resolve_hasher(algorithm: str, file_hash: str | None = None):
    """A hashlib object: sha256, md5, or ("auto") sha256 for 64-character hashes else md5."""
    if algorithm == "sha256" or (algorithm == "auto" and file_hash and len(file_hash) == 64):
        return hashlib.sha256()
    if algorithm in ("md5", "auto"):
        return hashlib.md5()
    raise ValueError(
        f"`hash_algorithm` must be 'auto', 'sha256' or 'md5'. Received: hash_algorithm={algorithm!r}"
    )


def hash_file(fpath: str | os.PathLike, algorithm: str = "sha256", chunk_size: int = 65535) -> str:
    """The hex digest of a file (`algorithm` "sha256", "md5" or "auto")."""
    hasher = resolve_hasher(algorithm)
    with open(fpath, "rb") as f:
        for chunk in iter(lambda: f.read(chunk_size), b""):
            hasher.update(chunk)
    return hasher.hexdigest()


def validate_file(fpath: str | os.PathLike, file_hash: str, algorithm: str = "auto") -> bool:
    """Whether the file's sha256 or md5 digest equals `file_hash`."""
    hasher = resolve_hasher(algorithm, file_hash)
    with open(fpath, "rb") as f:
        for chunk in iter(lambda: f.read(65535), b""):
            hasher.update(chunk)
    return hasher.hexdigest() == str(file_hash)


def _inside(base: Path, name: str) -> bool:
    target = (base / name).resolve()
    return target == base or base in target.parents


def extract_archive(file_path: str, path: str = ".", archive_format="auto") -> bool:
    """Extracts a tar (.tar, .tar.gz, .tar.bz2) or zip archive into `path`.

    Members that would land outside `path` (absolute paths, `..`, links out) are refused.
    Returns whether the file was an archive of an accepted format.
    """
    if archive_format is None:
        return False
    formats = ["tar", "zip"] if archive_format == "auto" else archive_format
    formats = [formats] if isinstance(formats, str) else list(formats)
    base = Path(path).resolve()
    for fmt in formats:
        if fmt == "tar" and tarfile.is_tarfile(file_path):
            with tarfile.open(file_path) as archive:
                archive.extractall(path, filter="data")
            return True
        if fmt == "zip" and zipfile.is_zipfile(file_path):
            with zipfile.ZipFile(file_path) as archive:
                for name in archive.namelist():
                    if not _inside(base, name):
                        raise ValueError(
                            f"The zip archive has a member outside the extraction folder. Received: {name!r}"
                        )
                archive.extractall(path)
            return True
        if fmt not in ("tar", "zip"):
            raise ValueError(
                f"`archive_format` must be 'auto', 'tar', 'zip', a list of them, or None. "
                f"Received: archive_format={archive_format!r}"
            )
    return False


def _download(origin: str, target: str) -> None:
    bar: list[Progbar] = []
    done = [0]

    def report(blocks: int, block_size: int, total: int) -> None:
        if not bar:
            bar.append(Progbar(total if total > 0 else None, unit_name="byte"))
        done[0] = min(blocks * block_size, total) if total > 0 else blocks * block_size
        bar[0].update(done[0], finalize=False)

    partial = f"{target}.part"
    try:
        urllib.request.urlretrieve(origin, partial, report)
    except (urllib.error.URLError, OSError, KeyboardInterrupt) as e:
        if os.path.exists(partial):
            os.remove(partial)
        reason = getattr(e, "reason", None) or getattr(e, "code", None) or e
        raise Exception(f"URL fetch failure on {origin}: {reason}") from e
    if bar:
        bar[0].update(done[0], finalize=True)
        bar[0].close()
    os.replace(partial, target)


def get_file(
    fname: str | None = None,
    origin: str | None = None,
    untar: bool = False,
    md5_hash: str | None = None,
    file_hash: str | None = None,
    cache_subdir: str = "datasets",
    hash_algorithm: str = "auto",
    extract: bool = False,
    archive_format="auto",
    cache_dir: str | None = None,
    force_download: bool = False,
) -> str:
    """Downloads `origin` into the cache unless it is already there, and returns the local path.

    Args:
        fname: the file name in the cache (default: the last part of the URL). With `extract`,
            a name without extension names the extraction folder.
        origin: the URL.
        untar: deprecated: `extract=True` for tar archives.
        md5_hash: deprecated: `file_hash` with `hash_algorithm="md5"`.
        file_hash: the expected sha256 or md5 hex digest: a cached file that does not match is
            downloaded again, a download that does not match raises.
        cache_subdir: the folder under the cache root (an absolute path is used as is).
        hash_algorithm: "auto", "sha256" or "md5".
        extract: extract a tar/zip archive and return the extraction folder.
        archive_format: "auto", "tar", "zip", a list of them, or None.
        cache_dir: the cache root (default: `$TORCHKERAS_LITE_HOME` or `~/.torchkeras_lite`).
        force_download: download even when cached.

    Example:
        >>> path = keras.utils.get_file(
        ...     origin="https://storage.googleapis.com/tensorflow/tf-keras-datasets/mnist.npz"
        ... )
    """
    if origin is None:
        raise ValueError('Please specify the "origin" argument (URL of the file to download).')
    if md5_hash is not None and file_hash is None:
        file_hash, hash_algorithm = md5_hash, "md5"
    root = os.path.expanduser(cache_dir or cache_home())
    if not os.access(root, os.W_OK) and os.path.exists(root):
        root = os.path.join(tempfile.gettempdir(), ".torchkeras_lite")
    datadir = os.path.join(root, cache_subdir)
    os.makedirs(datadir, exist_ok=True)
    given = fname is not None
    fname = os.fspath(fname) if given else os.path.basename(urllib.parse.urlsplit(origin).path)
    if not fname:
        raise ValueError(
            f"Can't parse the file name from the origin; pass `fname`. Received: origin={origin!r}"
        )
    if os.sep in fname:
        raise ValueError(
            f"`fname` must be a file name; use `cache_dir` for its folder. Received: fname={fname!r}"
        )
    extracting = extract or untar
    target = os.path.join(datadir, fname)
    extraction_dir = None
    if extracting:
        stem = fname.split(".")[0]
        if given and "." not in fname:
            extraction_dir, target = target, os.path.join(datadir, f"{fname}_archive")
        elif given:
            extraction_dir = os.path.join(datadir, f"{stem}_extracted")
        else:
            extraction_dir, target = (
                os.path.join(datadir, fname),
                os.path.join(datadir, f"{fname}_archive"),
            )

    download = force_download or not os.path.exists(target)
    if (
        not download
        and file_hash is not None
        and not validate_file(target, file_hash, hash_algorithm)
    ):
        warnings.warn(
            f"A cached file does not match the expected {hash_algorithm} hash {file_hash}: "
            "downloading it again.",
            stacklevel=2,
        )
        download = True
    if download:
        _download(origin, target)
        if file_hash is not None and not validate_file(target, file_hash, hash_algorithm):
            os.remove(target)
            raise ValueError(
                f"Incomplete or corrupted file detected: the {hash_algorithm} file hash does not "
                f"match the expected value. Received: file_hash={file_hash}"
            )
    if not extracting:
        return target
    if download and os.path.isdir(extraction_dir):
        shutil.rmtree(extraction_dir)
    if not os.path.isdir(extraction_dir):
        partial = f"{extraction_dir}.partial"
        shutil.rmtree(partial, ignore_errors=True)
        if extract_archive(target, partial, "tar" if untar else archive_format):
            os.replace(partial, extraction_dir)
        else:
            shutil.rmtree(partial, ignore_errors=True)
            warnings.warn("Could not extract the archive.", stacklevel=2)
    return extraction_dir
