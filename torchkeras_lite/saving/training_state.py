"""Random-number-generator state as tensors plus JSON, for checkpoints that resume bit-exactly.

A bundle holds the global torch CPU generator, the CUDA generators (when CUDA is in use), numpy's
global generator and Python's `random`. `torch.Generator` objects held by a model's modules (a
seeded Dropout's) are captured by module path and attribute name.
"""

from __future__ import annotations

import random
from typing import Any

import numpy as np
import torch

from torchkeras_lite.saving.errors import SavingError


def capture_rng(prefix: str, tensors: dict[str, torch.Tensor]) -> dict[str, Any]:
    """Stores the global generators' states in `tensors` under `prefix`; returns the JSON part."""
    tensors[f"{prefix}/torch"] = torch.get_rng_state()
    cuda = 0
    if torch.cuda.is_available() and torch.cuda.is_initialized():
        states = torch.cuda.get_rng_state_all()
        for i, state in enumerate(states):
            tensors[f"{prefix}/cuda/{i}"] = state
        cuda = len(states)
    name, keys, pos, has_gauss, cached = np.random.get_state()
    tensors[f"{prefix}/numpy"] = torch.from_numpy(np.asarray(keys, dtype=np.int64))
    version, state, gauss = random.getstate()
    return {
        "cuda": cuda,
        "numpy": [str(name), int(pos), int(has_gauss), float(cached)],
        "python": [version, list(state), gauss],
    }


def restore_rng(prefix: str, doc: Any, tensors: dict[str, torch.Tensor], source: str) -> None:
    """Inverse of `capture_rng`."""
    try:
        torch.set_rng_state(tensors[f"{prefix}/torch"])
        cuda = int(doc.get("cuda", 0))
        if cuda and torch.cuda.is_available():
            states = [tensors[f"{prefix}/cuda/{i}"] for i in range(cuda)]
            if len(states) == torch.cuda.device_count():
                torch.cuda.set_rng_state_all(states)
        name, pos, has_gauss, cached = doc["numpy"]
        keys = tensors[f"{prefix}/numpy"].numpy().astype(np.uint32)
        np.random.set_state((name, keys, int(pos), int(has_gauss), float(cached)))
        version, state, gauss = doc["python"]
        random.setstate((int(version), tuple(int(v) for v in state), gauss))
    except Exception as e:  # missing keys, malformed states
        raise SavingError(
            f"Could not restore the random number generator state from '{source}': "
            f"{type(e).__name__}: {e}"
        ) from e


def model_generators(model: torch.nn.Module) -> dict[str, torch.Generator]:
    """Every `torch.Generator` attribute of the model's modules, keyed `"<module path>:<attr>"`."""
    found: dict[str, torch.Generator] = {}
    for path, module in model.named_modules():
        for attr, value in vars(module).items():
            if isinstance(value, torch.Generator):
                found[f"{path}:{attr}"] = value
    return found


def capture_generators(model: torch.nn.Module, tensors: dict[str, torch.Tensor]) -> list[str]:
    keys = []
    for key, gen in model_generators(model).items():
        tensors[f"generators/{key}"] = gen.get_state()
        keys.append(key)
    return keys


def restore_generators(
    model: torch.nn.Module, keys: Any, tensors: dict[str, torch.Tensor], source: str
) -> None:
    current = model_generators(model)
    for key in keys or ():
        if key in current and f"generators/{key}" in tensors:
            try:
                current[key].set_state(tensors[f"generators/{key}"])
            except Exception as e:  # a state of another generator type
                raise SavingError(
                    f"Could not restore generator '{key}' from '{source}': {e}"
                ) from e
