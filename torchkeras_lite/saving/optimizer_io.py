"""Optimizer state without pickle: tensors to safetensors, the rest to JSON, mapped by weight path.

A torch optimizer's `state_dict()` numbers its parameters by position; here each number becomes the
parameter's weight path (`"dense.kernel"`), so the state finds its parameter again after the model
is rebuilt, whatever order the new optimizer lists them in. Tensors (slots, step counts, a tensor
learning rate) go to a flat `{key: tensor}` dict for safetensors; everything else (hyperparameters,
Python step counters) to a JSON document that points at those keys.
"""

from __future__ import annotations

import math
from typing import Any

import torch

from torchkeras_lite.saving.errors import SavingError

FORMAT_VERSION = 1


def encode(obj: Any, key: str, tensors: dict[str, torch.Tensor]) -> Any:
    """A JSON-ready copy of `obj` whose tensors are moved to `tensors` (referenced by key)."""
    if isinstance(obj, torch.Tensor):
        tensors[key] = obj.detach()
        return {"__tensor__": key}
    if obj is None or isinstance(obj, (bool, int, str)):
        return obj
    if isinstance(obj, float):
        return obj if math.isfinite(obj) else {"__float__": repr(obj)}
    if isinstance(obj, tuple):
        return {"__tuple__": [encode(v, f"{key}.{i}", tensors) for i, v in enumerate(obj)]}
    if isinstance(obj, list):
        return [encode(v, f"{key}.{i}", tensors) for i, v in enumerate(obj)]
    if isinstance(obj, dict):
        if all(isinstance(k, str) for k in obj):
            return {k: encode(v, f"{key}.{k}", tensors) for k, v in obj.items()}
        return {"__items__": [[k, encode(v, f"{key}.{k}", tensors)] for k, v in obj.items()]}
    raise SavingError(
        f"Cannot save the value at '{key}': only tensors, numbers, strings, booleans, None, lists, "
        f"tuples and dicts are saved (never pickled). Received: a {type(obj).__name__}"
    )


def decode(obj: Any, tensors: dict[str, torch.Tensor], source: str) -> Any:
    """Inverse of `encode`."""
    if isinstance(obj, list):
        return [decode(v, tensors, source) for v in obj]
    if not isinstance(obj, dict):
        return obj
    if "__tensor__" in obj:
        key = obj["__tensor__"]
        if not isinstance(key, str) or key not in tensors:
            raise SavingError(
                f"The optimizer state in '{source}' refers to a tensor that is not in the file. "
                f"Received: key={key!r}"
            )
        return tensors[key]
    if "__float__" in obj:
        return float(str(obj["__float__"]))
    if "__tuple__" in obj:
        return tuple(decode(v, tensors, source) for v in _as_list(obj["__tuple__"], source))
    if "__items__" in obj:
        return {
            _pair(item, source)[0]: decode(_pair(item, source)[1], tensors, source)
            for item in _as_list(obj["__items__"], source)
        }
    return {k: decode(v, tensors, source) for k, v in obj.items()}


def _as_list(value: Any, source: str) -> list:
    if not isinstance(value, list):
        raise SavingError(f"Malformed optimizer state in '{source}'. Received: {value!r:.80}")
    return value


def _pair(item: Any, source: str) -> list:
    if not isinstance(item, list) or len(item) != 2:
        raise SavingError(f"Malformed optimizer state in '{source}'. Received: {item!r:.80}")
    return item


def param_paths(optimizer: torch.optim.Optimizer, model: torch.nn.Module) -> list[list[str]]:
    """For each param group, the weight path of each parameter (`#i` for tensors not in `model`)."""
    names = {id(p): name for name, p in model.named_parameters()}
    out, pos = [], 0
    for group in optimizer.param_groups:
        paths = []
        for p in group["params"]:
            paths.append(names.get(id(p), f"#{pos}"))
            pos += 1
        out.append(paths)
    return out


def optimizer_state(
    optimizer: torch.optim.Optimizer, model: torch.nn.Module
) -> tuple[dict[str, torch.Tensor], dict[str, Any]]:
    """`(tensors, document)`: the optimizer's `state_dict()` keyed by weight path."""
    groups_paths = param_paths(optimizer, model)
    flat = [p for paths in groups_paths for p in paths]
    sd = optimizer.state_dict()
    tensors: dict[str, torch.Tensor] = {}
    state = {
        flat[int(i)]: encode(s, f"state/{flat[int(i)]}", tensors) for i, s in sd["state"].items()
    }
    groups = []
    for gi, (group, paths) in enumerate(zip(sd["param_groups"], groups_paths)):
        hyper = {k: v for k, v in group.items() if k != "params"}
        groups.append({**encode(hyper, f"param_groups/{gi}", tensors), "params": paths})
    extra = {
        k: encode(v, f"extra/{k}", tensors)
        for k, v in sd.items()
        if k not in ("state", "param_groups")
    }
    document = {
        "format_version": FORMAT_VERSION,
        "class_name": type(optimizer).__name__,
        "module": type(optimizer).__module__,
        "state": state,
        "param_groups": groups,
        "extra": extra,
    }
    return tensors, document


def load_optimizer_state(
    optimizer: torch.optim.Optimizer,
    model: torch.nn.Module,
    tensors: dict[str, torch.Tensor],
    document: Any,
    source: str,
) -> None:
    """Restores `optimizer_state`'s output into `optimizer` (built over `model`'s weights)."""
    if not isinstance(document, dict) or not isinstance(document.get("param_groups"), list):
        raise SavingError(
            f"The optimizer state in '{source}' is malformed: expected a document with "
            f"'param_groups'. Received: {str(document)[:80]!r}"
        )
    saved_class = document.get("class_name")
    if saved_class != type(optimizer).__name__:
        raise SavingError(
            f"The optimizer state in '{source}' was saved from a {saved_class} optimizer, but the "
            f"model's optimizer is a {type(optimizer).__name__}. Compile with the same optimizer. "
            f"Received: optimizer={type(optimizer).__name__}"
        )
    current = param_paths(optimizer, model)
    saved = document["param_groups"]
    if len(saved) != len(current):
        raise SavingError(
            f"The optimizer state in '{source}' has {len(saved)} parameter group(s), the model's "
            f"optimizer has {len(current)}. Received: groups={len(saved)}"
        )
    groups, index, start = [], {}, 0
    for gi, (group, paths) in enumerate(zip(saved, current)):
        if not isinstance(group, dict) or not isinstance(group.get("params"), list):
            raise SavingError(f"Malformed parameter group {gi} in '{source}'.")
        missing = sorted(set(paths) - set(map(str, group["params"])))
        unexpected = sorted(set(map(str, group["params"])) - set(paths))
        if missing or unexpected:
            raise SavingError(
                f"The optimizer state in '{source}' does not match the model's weights in parameter "
                f"group {gi}: missing {missing[:10]}, unexpected {unexpected[:10]}. "
                f"Received: params={group['params'][:10]}"
            )
        hyper = decode({k: v for k, v in group.items() if k != "params"}, tensors, source)
        groups.append({**hyper, "params": list(range(start, start + len(paths)))})
        index.update({p: start + i for i, p in enumerate(paths)})
        start += len(paths)
    state_doc = document.get("state") or {}
    if not isinstance(state_doc, dict) or set(state_doc) - set(index):
        raise SavingError(
            f"The optimizer state in '{source}' holds state for unknown weights. "
            f"Received: {sorted(set(state_doc) - set(index))[:10] if isinstance(state_doc, dict) else state_doc!r:.80}"
        )
    sd = {
        "state": {index[p]: decode(s, tensors, source) for p, s in state_doc.items()},
        "param_groups": groups,
    }
    extra = document.get("extra") or {}
    if isinstance(extra, dict):
        sd.update({k: decode(v, tensors, source) for k, v in extra.items()})
    try:
        optimizer.load_state_dict(sd)
    except Exception as e:  # torch raises ValueError/KeyError/TypeError for inconsistent dicts
        raise SavingError(
            f"Could not restore the optimizer state from '{source}': {type(e).__name__}: {e}"
        ) from e
