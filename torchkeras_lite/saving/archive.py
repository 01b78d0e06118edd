"""The `.keras` archive: a zip of JSON documents and safetensors files, written atomically.

Members of a model saved here:

* `config.json`: the model's config (`{"module", "class_name", "config", "registered_name",
  "build_config", "compile_config"}`, as Keras lays it out).
* `metadata.json`: library, torch and format versions, and the date.
* `model.weights.safetensors`: every weight and persistent buffer, keyed by its path.
* `optimizer.safetensors` + `optimizer.json` (with `include_optimizer=True` and a built optimizer):
  the optimizer's tensors, and its hyperparameters and counters keyed by weight path.

A Keras 3 archive holds `model.weights.h5` instead of the safetensors weights; see
`keras_h5_import`. `zipped=False` writes the same members into a folder.
"""

from __future__ import annotations

import json
import os
import zipfile
from typing import Any

from torchkeras_lite.saving.atomic import atomic_write
from torchkeras_lite.saving.errors import SavingError

CONFIG = "config.json"
METADATA = "metadata.json"
WEIGHTS = "model.weights.safetensors"
OPTIMIZER_TENSORS = "optimizer.safetensors"
OPTIMIZER_STATE = "optimizer.json"
KERAS_H5_WEIGHTS = "model.weights.h5"
_MAX_MEMBERS = 64


def dumps(document: Any, what: str) -> bytes:
    """JSON bytes of `document` (numpy scalars and torch dtypes are converted)."""
    try:
        return json.dumps(document, default=_json_default, indent=1).encode("utf-8")
    except (TypeError, ValueError) as e:
        raise SavingError(
            f"The {what} is not JSON-serializable: {e}. `get_config()` must return plain values "
            "(numbers, strings, lists, dicts, None) or serialized objects."
        ) from e


def _json_default(obj: Any) -> Any:
    import numpy as np
    import torch

    if isinstance(obj, np.generic):
        return obj.item()
    if isinstance(obj, torch.dtype):
        return str(obj).removeprefix("torch.")
    if isinstance(obj, (torch.Size, set, frozenset)):
        return list(obj)
    raise TypeError(f"Object of type {type(obj).__name__} is not JSON serializable")


def write(path: str, members: dict[str, bytes], zipped: bool = True) -> None:
    """Writes the members as a zip archive at `path` (atomically), or into a folder."""
    if not zipped:
        os.makedirs(path, exist_ok=True)
        for name, data in members.items():
            with atomic_write(os.path.join(path, name)) as f:
                f.write(data)
        return
    if os.path.isdir(path):
        raise SavingError(f"Cannot write an archive over a folder. Received: filepath={path!r}")
    with atomic_write(path) as f, zipfile.ZipFile(f, "w") as zf:
        for name, data in members.items():
            method = zipfile.ZIP_DEFLATED if name.endswith(".json") else zipfile.ZIP_STORED
            zf.writestr(zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0)), data, method)


def read(path: str) -> dict[str, bytes]:
    """Every member of the archive (or folder) at `path`; a `SavingError` for damaged files."""
    if os.path.isdir(path):
        return {
            name: _read_file(os.path.join(path, name))
            for name in sorted(os.listdir(path))[:_MAX_MEMBERS]
            if os.path.isfile(os.path.join(path, name))
        }
    if not os.path.exists(path):
        raise SavingError(
            f"File not found: '{path}'. Please ensure the file is an accessible `.keras` zip file. "
            f"Received: filepath={path!r}"
        )
    if not zipfile.is_zipfile(path):
        raise SavingError(
            f"'{path}' is not a `.keras` zip archive: the file is truncated, damaged or in another "
            f"format. Received: filepath={path!r}"
        )
    try:
        with zipfile.ZipFile(path) as zf:
            names = zf.namelist()
            if len(names) > _MAX_MEMBERS:
                raise SavingError(
                    f"'{path}' has too many members ({len(names)}) for a model archive."
                )
            return {name: zf.read(name) for name in names}
    except SavingError:
        raise
    except Exception as e:  # BadZipFile, CRC errors, zlib.error, EOFError, unsupported methods
        raise SavingError(
            f"Could not read the zip archive '{path}' ({type(e).__name__}: {e}): the file is "
            f"truncated or damaged. Received: filepath={path!r}"
        ) from e


def _read_file(path: str) -> bytes:
    with open(path, "rb") as f:
        return f.read()


def member(members: dict[str, bytes], name: str, path: str) -> bytes:
    """The bytes of a required member; a `SavingError` naming it when absent."""
    if name not in members:
        raise SavingError(
            f"The archive '{path}' has no '{name}' member (it holds {sorted(members)}): it is "
            f"incomplete or not a model saved by `model.save()`. Received: filepath={path!r}"
        )
    return members[name]


def load_json(members: dict[str, bytes], name: str, path: str) -> dict[str, Any]:
    """A required JSON member, parsed; it must be a JSON object."""
    data = member(members, name, path)
    try:
        document = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError) as e:
        raise SavingError(
            f"The member '{name}' of '{path}' is not valid JSON ({e}). Received: filepath={path!r}"
        ) from e
    if not isinstance(document, dict):
        raise SavingError(
            f"The member '{name}' of '{path}' must be a JSON object. "
            f"Received: {type(document).__name__}"
        )
    return document
