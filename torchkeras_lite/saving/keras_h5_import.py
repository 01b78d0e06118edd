"""Reading Keras 3 files: `.keras` archives (`config.json` + `model.weights.h5`) and `.weights.h5`.

Optional: needs h5py (`pip install torchkeras_lite[keras-io]`). The model is rebuilt from Keras'
config with our built-in layers (a layer class we do not have is named in the error), then each
Keras weight group `layers/<name>/.../vars/<i>` is matched to our layer of that name (or, below a
layer, the sublayer of that attribute name) and its variables are assigned in Keras' order: the
layer's trainable variables, then its non-trainable ones. Layouts follow Keras' (Dense kernels are
`(input_dim, units)`, ...), so the arrays are copied as they are, with their shapes checked.
"""

from __future__ import annotations

import io
from typing import Any

import numpy as np
import torch

from torchkeras_lite.saving import archive, compile_io, config_io, keras_config
from torchkeras_lite.saving.errors import SavingError
from torchkeras_lite.saving.weights import describe_problems


def _h5py():
    try:
        import h5py
    except ImportError as e:
        raise SavingError(
            "Reading Keras 3 `.keras` / `.weights.h5` files needs h5py: "
            "`pip install torchkeras_lite[keras-io]`."
        ) from e
    return h5py


def read_h5_variables(source: Any, label: str) -> dict[str, list[np.ndarray]]:
    """`{group path: [arrays]}` for every `.../vars` group of a Keras weights file (path or bytes)."""
    h5py = _h5py()
    found: dict[str, list[np.ndarray]] = {}
    try:
        handle = io.BytesIO(source) if isinstance(source, bytes) else source
        with h5py.File(handle, "r") as f:

            def visit(name: str, obj: Any) -> None:
                if isinstance(obj, h5py.Group) and name.split("/")[-1] == "vars":
                    keys = sorted(obj.keys(), key=lambda k: int(k) if k.isdigit() else k)
                    found[name[: -len("vars")].rstrip("/")] = [np.asarray(obj[k]) for k in keys]

            f.visititems(visit)
    except SavingError:
        raise
    except Exception as e:  # OSError for damaged files, KeyError/ValueError for odd layouts
        raise SavingError(
            f"Could not read the Keras weights in '{label}' ({type(e).__name__}: {e})."
        ) from e
    return found


def _child(module: torch.nn.Module, part: str) -> torch.nn.Module | None:
    for child in module.children():
        if getattr(child, "name", None) == part:
            return child
    value = getattr(module, part, None)
    if isinstance(value, torch.nn.Module):
        return value
    for child in module.children():  # layers kept in containers (ModuleList/ModuleDict)
        if not hasattr(child, "name") and (found := _child(child, part)) is not None:
            return found
    return None


def _container_names(layers: list) -> dict[str, torch.nn.Module]:
    """Keras' names for the layers of a list: snake-cased class names, numbered on repeats."""
    from torchkeras_lite.utils.naming import to_snake_case

    used: dict[str, int] = {}
    named = {}
    for layer in layers:
        name = to_snake_case(type(layer).__name__)
        if name in used:
            used[name] += 1
            name = f"{name}_{used[name]}"
        else:
            used[name] = 0
        named[name] = layer
    return named


def _module_at(model: torch.nn.Module, path: str) -> torch.nn.Module | None:
    """The module a Keras weights path points at (`layers/dense_1`, `layers/lstm/cell`, ...)."""
    module: torch.nn.Module | None = model
    parts = [p for p in path.split("/") if p]
    i = 0
    while module is not None and i < len(parts):
        part = parts[i]
        if (
            part == "layers"
            and i + 1 < len(parts)
            and isinstance(getattr(module, "layers", None), list)
        ):
            module = _container_names(module.layers).get(parts[i + 1]) or _child(
                module, parts[i + 1]
            )
            i += 2
            continue
        module = _child(module, part)
        i += 1
    return module


def _own_variables(module: torch.nn.Module) -> list[torch.Tensor]:
    """A module's own weights in Keras' order: trainable ones, then non-trainable ones."""
    own = [p for p in module._parameters.values() if p is not None]
    flags = [bool(getattr(p, "_trainable", p.requires_grad)) for p in own]
    return [p for p, t in zip(own, flags) if t] + [p for p, t in zip(own, flags) if not t]


def assign_h5(
    model: torch.nn.Module, groups: dict[str, list[np.ndarray]], label: str, skip_mismatch: bool
) -> list[str]:
    """Copies Keras variable groups into the model's layers; returns the groups loaded."""
    problems: dict[str, list[str]] = {"missing": [], "unexpected": [], "shape": [], "dtype": []}
    loads: list[tuple[torch.Tensor, np.ndarray]] = []
    covered: set[int] = set()
    loaded = []
    for path, arrays in groups.items():
        if not arrays:
            continue
        module = _module_at(model, path) if path else model
        if module is None:
            problems["unexpected"].append(f"{path} ({len(arrays)} variables)")
            continue
        variables = _own_variables(module)
        if len(variables) != len(arrays):
            problems["shape"].append(
                f"{path} (model {len(variables)} variables, file {len(arrays)})"
            )
            covered.update(id(v) for v in variables)
            continue
        bad = [
            f"{path}/vars/{i} (model {tuple(v.shape)}, file {a.shape})"
            for i, (v, a) in enumerate(zip(variables, arrays))
            if tuple(v.shape) != tuple(a.shape)
        ]
        covered.update(id(v) for v in variables)  # present in the file, loaded or not
        if bad:
            problems["shape"].extend(bad)
            continue
        loads.extend(zip(variables, arrays))
        loaded.append(path)
    named = dict(model.named_parameters())
    problems["missing"] = [name for name, p in named.items() if id(p) not in covered]
    if any(problems.values()) and not skip_mismatch:
        raise SavingError(
            f"The Keras weights in '{label}' do not match the architecture of model "
            f"'{getattr(model, 'name', '')}':\n{describe_problems(problems)}\n"
            f"Pass `skip_mismatch=True` to load only the matching weights. Received: filepath={label!r}"
        )
    with torch.no_grad():
        for variable, array in loads:
            variable.copy_(torch.as_tensor(array).to(dtype=variable.dtype, device=variable.device))
    return loaded


def load_h5_weights(model: torch.nn.Module, path: str, skip_mismatch: bool = False) -> list[str]:
    """`model.load_weights(path)` for Keras 3's `.weights.h5` files and `.keras` archives."""
    with open(path, "rb") as f:
        is_zip = f.read(2) == b"PK"
    if is_zip:
        members = archive.read(path)
        source: Any = archive.member(members, archive.KERAS_H5_WEIGHTS, path)
    else:
        source = path
    groups = read_h5_variables(source, path)
    return assign_h5(model, _layer_groups(groups), path, skip_mismatch)


def _layer_groups(groups: dict[str, list[np.ndarray]]) -> dict[str, list[np.ndarray]]:
    return {k: v for k, v in groups.items() if k.split("/")[0] != "optimizer"}


def load_keras_archive(
    members: dict[str, bytes],
    path: str,
    custom_objects: dict | None,
    compile: bool,
    safe_mode: bool,
) -> Any:
    """`load_model` for an archive written by Keras 3 (`config.json` + `model.weights.h5`)."""
    _h5py()
    config = archive.load_json(members, archive.CONFIG, path)
    keras_config.adapt(config, custom_objects, path)
    model = config_io.rebuild(config, custom_objects, path, safe_mode)
    config_io.build_from_config(model, config.get("build_config"), path)
    groups = read_h5_variables(archive.member(members, archive.KERAS_H5_WEIGHTS, path), path)
    assign_h5(model, _layer_groups(groups), path, skip_mismatch=False)
    compile_config = config.get("compile_config")
    if (
        compile
        and isinstance(compile_config, dict)
        and compile_config
        and hasattr(model, "compile")
    ):
        if compile_io.compile_from_config(model, compile_config, custom_objects, path):
            _restore_keras_optimizer(model, groups.get("optimizer", []), path)
    return model


def _restore_keras_optimizer(model: Any, arrays: list[np.ndarray], path: str) -> None:
    from torchkeras_lite.optimizers import Optimizer

    optimizer = model._binding.optimizer
    if not arrays or not isinstance(optimizer, Optimizer):
        return
    model._binding.bind(model.trainable_weights)
    try:
        optimizer.load_own_variables({str(i): a for i, a in enumerate(arrays)})
    except Exception as e:  # shapes that do not match the model's variables
        raise SavingError(f"Could not restore the Keras optimizer state from '{path}': {e}") from e
