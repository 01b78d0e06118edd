"""`save_model`, `load_model`, `save_weights`, `load_weights`: the user-facing entry points.

Nothing here unpickles: configs are JSON, tensors are safetensors, and a plain torch file is read
with `torch.load(weights_only=True)`. Every problem with a file raises a `SavingError`.
"""

from __future__ import annotations

import datetime
import os
from typing import Any

import torch

from torchkeras_lite.saving import archive, compile_io, config_io, optimizer_io, weights
from torchkeras_lite.saving.errors import SavingError

_HDF5_MAGIC = b"\x89HDF\r\n\x1a\n"
FORMAT_VERSION = 1


def _metadata() -> dict[str, Any]:
    import torchkeras_lite

    return {
        "library": "torchkeras_lite",
        "library_version": torchkeras_lite.__version__,
        "torch_version": torch.__version__,
        "format_version": FORMAT_VERSION,
        "date_saved": datetime.datetime.now().strftime("%Y-%m-%d@%H:%M:%S"),
    }


def _check_overwrite(path: str, overwrite: bool) -> None:
    if not overwrite and os.path.exists(path):
        raise SavingError(
            f"The file '{path}' exists and `overwrite=False`. Received: filepath={path!r}"
        )


def _sharded(model: Any) -> bool:
    """True when `ModelParallel` (FSDP) sharded the model's weights over the processes."""
    return bool(model.__dict__.get("_fsdp_sharded"))


def model_weight_tensors(model: Any) -> dict[str, torch.Tensor]:
    """The weights to save, gathered in full when FSDP shards them (every process must call)."""
    if _sharded(model):
        from torchkeras_lite.distribution.collectives import full_tensors

        return weights.saveable(full_tensors(model.state_dict()))
    return weights.model_tensors(model)


def _collects(model: Any) -> bool:
    """Whether this process gathers what is saved: rank 0, and every process for sharded weights."""
    from torchkeras_lite.distribution import process_group

    return process_group.is_chief() or _sharded(model)


def optimizer_members(model: Any) -> dict[str, bytes]:
    """`optimizer.safetensors` and `optimizer.json` for the model's built optimizer (else none)."""
    binding = model.__dict__.get("_binding")
    opt = None if binding is None else binding.optimizer
    if opt is None or not opt.param_groups or not getattr(opt, "built", True):
        return {}
    tensors, document = optimizer_io.optimizer_state(opt, model)
    if _sharded(model):
        from torchkeras_lite.distribution.collectives import full_tensors

        tensors = full_tensors(tensors)
    state: dict[str, Any] = {"optimizer": document}
    scheduler = getattr(binding, "scheduler", None)
    if scheduler is not None and hasattr(scheduler, "state_dict"):
        state["lr_scheduler"] = optimizer_io.encode(scheduler.state_dict(), "lr_scheduler", tensors)
    return {
        archive.OPTIMIZER_TENSORS: weights.encode(tensors),
        archive.OPTIMIZER_STATE: archive.dumps(state, "optimizer state"),
    }


def restore_optimizer(model: Any, members: dict[str, bytes], source: str) -> None:
    """Binds the compiled model's optimizer to its weights and loads the saved state into it."""
    document = archive.load_json(members, archive.OPTIMIZER_STATE, source)
    tensors = weights.decode(archive.member(members, archive.OPTIMIZER_TENSORS, source), source)
    binding = model._binding
    if not binding.bound:
        try:
            binding.bind(model.trainable_weights)
        except Exception as e:  # e.g. no trainable weights for a native optimizer
            raise SavingError(f"Could not build the optimizer to restore '{source}': {e}") from e
    optimizer_io.load_optimizer_state(
        binding.optimizer, model, tensors, document.get("optimizer"), source
    )
    scheduler = getattr(binding, "scheduler", None)
    saved = document.get("lr_scheduler")
    if scheduler is not None and saved is not None:
        try:
            scheduler.load_state_dict(optimizer_io.decode(saved, tensors, source))
        except SavingError:
            raise
        except Exception as e:  # a state dict of another scheduler class
            raise SavingError(f"Could not restore the lr scheduler from '{source}': {e}") from e


def save_model(
    model: Any,
    filepath: str | os.PathLike,
    overwrite: bool = True,
    zipped: bool | None = None,
    include_optimizer: bool = True,
) -> None:
    """Saves the model's config, weights and (by default) optimizer state as a `.keras` archive.

    Args:
        model: the model (any `Layer`/`Model` with `get_config()`).
        filepath: a path ending in `.keras`.
        overwrite: False refuses to replace an existing file.
        zipped: False writes the archive's members into a folder instead of a zip file.
        include_optimizer: also save the optimizer's state, so training resumes exactly.

    Example:
        >>> model.save("model.keras")
        >>> restored = keras.saving.load_model("model.keras")

    Under a distribution every process calls it: rank 0 writes the file while the others wait
    (FSDP-sharded weights are first gathered from every process).
    """
    path = os.fspath(filepath)
    if zipped is not False and not path.endswith(".keras"):
        raise SavingError(
            "Invalid filepath extension for saving: add a `.keras` extension (or use "
            "`save_weights()` for a `.weights.safetensors` file). "
            f"Received: filepath={path!r}"
        )
    _check_overwrite(path, overwrite)
    from torchkeras_lite.distribution.chief_io import run_on_chief

    members: dict[str, bytes] = {}
    if _collects(model):
        if _sharded(model):  # the config names the layers' classes, not FSDP's subclasses
            from torchkeras_lite.distribution.model_setup import original_classes

            with original_classes(model):
                config = config_io.model_config(model)
        else:
            config = config_io.model_config(model)
        compile_config = compile_io.get_compile_config(model)
        if compile_config is not None:
            config["compile_config"] = compile_config
        members = {
            archive.METADATA: archive.dumps(_metadata(), "metadata"),
            archive.CONFIG: archive.dumps(
                config, f"config of model '{getattr(model, 'name', '')}'"
            ),
            archive.WEIGHTS: weights.encode(model_weight_tensors(model)),
        }
        if include_optimizer:
            members.update(optimizer_members(model))
    run_on_chief(
        lambda: archive.write(path, members, zipped=zipped is not False),
        f"Saving the model to '{path}'",
    )


def load_model(
    filepath: str | os.PathLike,
    custom_objects: dict | None = None,
    compile: bool = True,
    safe_mode: bool = True,
) -> Any:
    """Loads a model saved with `model.save()` (or a Keras 3 `.keras` file, with h5py installed).

    Args:
        filepath: the `.keras` archive (or folder saved with `zipped=False`).
        custom_objects: classes and functions by name, for configs naming unregistered ones.
        compile: compile the model as it was and restore its optimizer's state.
        safe_mode: refuse configs holding code (Lambda layers with Python lambdas). Pass False
            only for files you trust.

    Returns:
        The model, with its weights (and, when compiled, its optimizer state) restored.

    Example:
        >>> model = keras.saving.load_model("model.keras")
        >>> model.fit(x, y, epochs=2)  # continues where the saved model stopped
    """
    path = os.fspath(filepath)
    if path.endswith(".h5") and os.path.isfile(path):
        raise SavingError(
            "Legacy `.h5` model files are not supported: save with `model.save('name.keras')`, or "
            f"load weights only with `model.load_weights()`. Received: filepath={path!r}"
        )
    members = archive.read(path)
    if archive.WEIGHTS not in members and archive.KERAS_H5_WEIGHTS in members:
        from torchkeras_lite.saving import keras_h5_import

        return keras_h5_import.load_keras_archive(members, path, custom_objects, compile, safe_mode)
    config = archive.load_json(members, archive.CONFIG, path)
    if archive.METADATA in members:
        archive.load_json(members, archive.METADATA, path)
    tensors = weights.decode(archive.member(members, archive.WEIGHTS, path), path)
    model = config_io.rebuild(config, custom_objects, path, safe_mode)
    config_io.build_from_config(model, config.get("build_config"), path)
    weights.assign(model, tensors, path)
    compile_config = config.get("compile_config")
    if (
        compile
        and isinstance(compile_config, dict)
        and compile_config
        and hasattr(model, "compile")
    ):
        if compile_io.compile_from_config(model, compile_config, custom_objects, path) and (
            archive.OPTIMIZER_STATE in members
        ):
            device = model._train_device() if hasattr(model, "_train_device") else None
            if device is not None:
                torch.nn.Module.to(model, device)
            restore_optimizer(model, members, path)
    return model


def save_weights(model: Any, filepath: str | os.PathLike, overwrite: bool = True) -> None:
    """Saves every weight of `model`, keyed by its path, as a safetensors file (atomically).

    Args:
        model: a built model or layer.
        filepath: a path ending in `.weights.safetensors` (any `.safetensors` name is accepted).
        overwrite: False refuses to replace an existing file.

    Under a distribution every process calls it; rank 0 writes the file (see `save_model`).

    Example:
        >>> model.save_weights("model.weights.safetensors")
    """
    from torchkeras_lite.saving.atomic import atomic_write_bytes

    path = os.fspath(filepath)
    if not path.endswith(".safetensors"):
        raise SavingError(
            f"The filename must end in `.weights.safetensors`. Received: filepath={path!r}"
        )
    _check_overwrite(path, overwrite)
    from torchkeras_lite.distribution.chief_io import run_on_chief

    data = weights.encode(model_weight_tensors(model)) if _collects(model) else b""
    run_on_chief(lambda: atomic_write_bytes(path, data), f"Saving the weights to '{path}'")


def load_weights(model: Any, filepath: Any, skip_mismatch: bool = False) -> list[str]:
    """Loads weights into `model` by weight path; returns the paths that were loaded.

    Args:
        model: a built model or layer.
        filepath: a `.weights.safetensors` file, a `.keras` archive, a Keras 3 `.weights.h5` file
            (with h5py), a torch file holding a state dict, or a state dict itself.
        skip_mismatch: load the matching weights and warn about the rest, instead of raising a
            `SavingError` that lists missing, unexpected and mis-shaped weights.

    Example:
        >>> model.load_weights("model.weights.safetensors")
        >>> model.load_weights(torch_model.state_dict())
    """
    if not isinstance(filepath, dict):
        path = os.fspath(filepath)
        if os.path.isfile(path):
            with open(path, "rb") as f:
                head = f.read(8)
            if head == _HDF5_MAGIC or (
                head.startswith(b"PK") and archive.KERAS_H5_WEIGHTS in archive.read(path)
            ):  # written by Keras 3: `.weights.h5`, or a `.keras` archive holding one
                from torchkeras_lite.saving import keras_h5_import

                return keras_h5_import.load_h5_weights(model, path, skip_mismatch)
    tensors, label = weights.read_weights(filepath)
    return weights.assign(model, tensors, label, skip_mismatch)
