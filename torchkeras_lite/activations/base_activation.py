"""The activation registry and the input conversion shared by the activation functions."""

from __future__ import annotations

from typing import Any

import numpy as np
import torch

from torchkeras_lite.backend import dtypes
from torchkeras_lite.saving.registry import Registry

# Activations are functions (or callables): `get` never instantiates a class.
REGISTRY = Registry("activation", instantiate_classes=False)


def to_tensor(x: Any) -> torch.Tensor:
    """`x` itself when it is a tensor; arrays keep their dtype; Python floats become floatx."""
    if isinstance(x, torch.Tensor):
        return x
    if isinstance(x, (np.ndarray, np.generic)):
        return torch.as_tensor(x)
    tensor = torch.as_tensor(x)
    return tensor.to(dtypes.to_torch_dtype(None)) if tensor.is_floating_point() else tensor
