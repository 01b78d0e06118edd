"""Weights as safetensors, keyed by their stable path: the module's `state_dict()` key.

A weight's path is its `state_dict` key (`"dense_1.kernel"`, `"encoder.layers.0.bias"`): readable,
stable across a rebuild from config, and the same key a plain torch `state_dict` uses, so both load
the same way. Persistent buffers (native BatchNorm statistics) are saved too; non-persistent buffers
are not. Tensors are written with safetensors: no pickle, nothing executable.
"""

from __future__ import annotations

import os
import warnings
from typing import Any

import torch
from safetensors import torch as st

from torchkeras_lite.saving import archive
from torchkeras_lite.saving.errors import SavingError

_METADATA = {"format": "pt", "library": "torchkeras_lite"}
_MAX_LISTED = 12


def saveable(tensors: dict[str, torch.Tensor]) -> dict[str, torch.Tensor]:
    """CPU, contiguous, detached copies where needed: safetensors refuses shared or strided storage."""
    out: dict[str, torch.Tensor] = {}
    seen: set[int] = set()
    for key, t in tensors.items():
        t = t.detach()
        if t.device.type != "cpu":
            t = t.cpu()
        else:
            storage = t.untyped_storage()
            ptr = storage.data_ptr()
            whole = storage.nbytes() == t.numel() * t.element_size()
            if ptr in seen or not whole or not t.is_contiguous():
                t = t.clone(memory_format=torch.contiguous_format)
            elif ptr:
                seen.add(ptr)
        out[key] = t.contiguous()
    return out


def model_tensors(model: torch.nn.Module) -> dict[str, torch.Tensor]:
    """Every weight and persistent buffer of `model`, keyed by its path (`state_dict` key)."""
    return saveable(model.state_dict())


def encode(tensors: dict[str, torch.Tensor], metadata: dict[str, str] | None = None) -> bytes:
    """The safetensors bytes of `tensors`."""
    try:
        return st.save(saveable(tensors), metadata={**_METADATA, **(metadata or {})})
    except Exception as e:  # safetensors raises several types (dtype, shared memory, ...)
        raise SavingError(f"Could not encode the weights as safetensors: {e}") from e


def decode(data: bytes, source: str) -> dict[str, torch.Tensor]:
    """Tensors from safetensors bytes; a `SavingError` naming `source` when they are not valid."""
    try:
        tensors = st.load(bytes(data))
    except Exception as e:  # SafetensorError, struct/UTF-8/JSON errors from a damaged header
        raise SavingError(
            f"The weights in '{source}' are not a valid safetensors file ({type(e).__name__}: {e}). "
            f"The file may be truncated or damaged. Received: filepath={source!r}"
        ) from e
    return tensors


def _listing(items: list[str]) -> str:
    shown = ", ".join(items[:_MAX_LISTED])
    return shown + (f", ... ({len(items) - _MAX_LISTED} more)" if len(items) > _MAX_LISTED else "")


def mismatch_report(
    target: dict[str, torch.Tensor], tensors: dict[str, torch.Tensor]
) -> tuple[list[str], dict[str, list[str]]]:
    """The keys that load, and the problems by kind: missing, unexpected, mis-shaped, wrong dtype."""
    problems: dict[str, list[str]] = {"missing": [], "unexpected": [], "shape": [], "dtype": []}
    ok: list[str] = []
    for key, t in target.items():
        if key not in tensors:
            problems["missing"].append(key)
            continue
        src = tensors[key]
        if tuple(src.shape) != tuple(t.shape):
            problems["shape"].append(f"{key} (model {tuple(t.shape)}, file {tuple(src.shape)})")
        elif src.dtype != t.dtype:
            problems["dtype"].append(f"{key} (model {t.dtype}, file {src.dtype})")
        else:
            ok.append(key)
    problems["unexpected"] = [k for k in tensors if k not in target]
    return ok, problems


_TITLES = {
    "missing": "missing from the file",
    "unexpected": "in the file but not in the model",
    "shape": "with a different shape",
    "dtype": "with a different dtype",
}


def describe_problems(problems: dict[str, list[str]]) -> str:
    return "\n".join(
        f"  {len(items)} weight(s) {_TITLES[kind]}: {_listing(items)}"
        for kind, items in problems.items()
        if items
    )


def assign(
    model: torch.nn.Module,
    tensors: dict[str, torch.Tensor],
    source: str,
    skip_mismatch: bool = False,
) -> list[str]:
    """Copies `tensors` into `model`'s weights by path; returns the loaded paths.

    Raises a `SavingError` that lists the missing, unexpected, mis-shaped and mis-typed weights,
    unless `skip_mismatch` is True (then the matching weights load and a warning lists the rest).
    """
    target = model.state_dict(keep_vars=True)
    ok, problems = mismatch_report(target, tensors)
    if any(problems.values()):
        details = describe_problems(problems)
        hint = ""
        unbuilt = [
            getattr(m, "name", type(m).__name__)
            for m in model.modules()
            if getattr(m, "built", True) is False
        ]
        if unbuilt:
            hint = (
                f"\nSome layers are not built yet ({_listing(unbuilt)}), so they have no weights: "
                "call the model on a batch (or `model.build(input_shape)`) before loading weights."
            )
        name = getattr(model, "name", type(model).__name__)
        if not skip_mismatch:
            raise SavingError(
                f"The weights in '{source}' do not match the architecture of model '{name}':\n"
                f"{details}{hint}\nPass `skip_mismatch=True` to load only the matching weights. "
                f"Received: filepath={source!r}"
            )
        warnings.warn(
            f"Skipping weights of '{source}' that do not match model '{name}':\n{details}{hint}",
            stacklevel=3,
        )
    with torch.no_grad():
        for key in ok:
            target[key].copy_(tensors[key])
    return ok


def plain_state_dict(obj: Any, source: str) -> dict[str, torch.Tensor]:
    """A `{path: tensor}` dict from a torch state dict (or a checkpoint dict holding one)."""
    if isinstance(obj, dict) and not all(isinstance(v, torch.Tensor) for v in obj.values()):
        for key in ("state_dict", "model_state_dict", "model"):
            inner = obj.get(key)
            if isinstance(inner, dict) and all(isinstance(v, torch.Tensor) for v in inner.values()):
                obj = inner
                break
    if (
        not isinstance(obj, dict)
        or not all(isinstance(k, str) for k in obj)
        or not all(isinstance(v, torch.Tensor) for v in obj.values())
    ):
        raise SavingError(
            f"Expected a torch state dict (a dict of weight paths to tensors) in '{source}'. "
            f"Received: an object of type {type(obj).__name__}"
        )
    return dict(obj)


def read_weights(source: Any) -> tuple[dict[str, torch.Tensor], str]:
    """`({path: tensor}, label)` from a file (safetensors, `.keras`, torch) or a state dict."""
    if isinstance(source, dict):
        return plain_state_dict(source, "the given state dict"), "the given state dict"
    path = os.fspath(source)
    if os.path.isdir(path):
        members = archive.read(path)
        return decode(archive.member(members, archive.WEIGHTS, path), path), path
    if not os.path.isfile(path):
        raise SavingError(f"File not found: '{path}'. Received: filepath={path!r}")
    with open(path, "rb") as f:
        head = f.read(8)
    if head.startswith(b"PK"):
        members = archive.read(path)
        if archive.WEIGHTS in members:
            return decode(members[archive.WEIGHTS], path), path
        if not any(name.endswith("data.pkl") for name in members):
            raise SavingError(
                f"The zip archive '{path}' holds no weights ({archive.WEIGHTS} or a torch "
                f"state dict). Received: members={sorted(members)[:8]}"
            )
        return _torch_load(path), path
    with open(path, "rb") as f:
        data = f.read()
    try:
        return decode(data, path), path
    except SavingError:
        if path.endswith((".pt", ".pth", ".bin", ".ckpt")):
            return _torch_load(path), path
        raise


def _torch_load(path: str) -> dict[str, torch.Tensor]:
    try:
        obj = torch.load(path, map_location="cpu", weights_only=True)
    except Exception as e:  # UnpicklingError for anything but tensors and plain containers
        raise SavingError(
            f"Could not read the torch file '{path}' with `weights_only=True` ({type(e).__name__}: "
            f"{e}). Only state dicts of tensors are loaded; nothing is unpickled. "
            f"Received: filepath={path!r}"
        ) from e
    return plain_state_dict(obj, path)
