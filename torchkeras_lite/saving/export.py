"""`model.export(path, format=...)`: the inference graph as a `torch.export` program or ONNX file.

The batch dimension (and any other `None` dimension of the inputs) is exported as dynamic. The
inputs come from `input_signature` (example tensors, or shapes with `None`), else from the model's
`inputs` (functional and Sequential models), else from the shape it was built with.
"""

from __future__ import annotations

import importlib.util
import os
from typing import Any

import torch
from torch import nn

from torchkeras_lite.saving.errors import SavingError

_FORMATS = ("torch", "onnx")
_EXAMPLE_SIZE = 2


class _InferenceGraph(nn.Module):
    """Calls the model in inference mode on flat tensor arguments (packed as the model expects)."""

    def __init__(self, model: nn.Module, keys: list[str] | None):
        super().__init__()
        self.model = model
        self.keys = keys

    def forward(self, *inputs: torch.Tensor) -> Any:
        if self.keys is not None:
            return self.model({k: x for k, x in zip(self.keys, inputs)}, training=False)
        return self.model(inputs[0] if len(inputs) == 1 else list(inputs), training=False)


def _specs(model: nn.Module, input_signature: Any) -> list[tuple[tuple, torch.dtype]]:
    """`(shape, dtype)` per input; `None` marks a dynamic dimension."""
    if input_signature is None:
        inputs = getattr(model, "inputs", None)
        if inputs:
            return [(tuple(t.shape), t.dtype) for t in inputs]
        shape = model.__dict__.get("_build_input_shape")
        if shape is None:
            raise SavingError(
                f"Cannot export model '{getattr(model, 'name', '')}': its input shape is unknown. "
                "Pass `input_signature` (example tensors or shapes such as `[(None, 16)]`), or "
                "build or call the model first."
            )
        input_signature = [shape] if not isinstance(shape, list) else shape
    if isinstance(input_signature, (torch.Tensor, tuple)) and not isinstance(input_signature, list):
        input_signature = [input_signature]
    specs = []
    for item in input_signature:
        if isinstance(item, torch.Tensor):
            specs.append(((None, *item.shape[1:]), item.dtype))
        elif hasattr(item, "shape") and hasattr(item, "dtype"):  # KerasTensor, InputSpec-like
            specs.append((tuple(item.shape), torch.float32 if item.dtype is None else item.dtype))
        else:
            specs.append((tuple(item), torch.float32))
    return specs


def _example(shape: tuple, dtype: Any) -> torch.Tensor:
    from torchkeras_lite.backend import dtypes

    dims = tuple(_EXAMPLE_SIZE if d is None else int(d) for d in shape)
    torch_dtype = dtype if isinstance(dtype, torch.dtype) else dtypes.to_torch_dtype(dtype)
    if torch_dtype.is_floating_point:
        return torch.randn(dims, dtype=torch_dtype)
    return torch.zeros(dims, dtype=torch_dtype)


def export_model(
    model: nn.Module,
    filepath: str | os.PathLike,
    format: str = "torch",
    verbose: bool = True,
    input_signature: Any = None,
    **kwargs: Any,
) -> str:
    """Writes the model's inference graph; see `SavingMixin.export`. Returns the path written."""
    path = os.fspath(filepath)
    if format not in _FORMATS:
        raise ValueError(
            f"Unrecognized format: expected one of {_FORMATS}. Received: format={format!r}"
        )
    if format == "onnx" and importlib.util.find_spec("onnx") is None:
        raise ImportError(
            "Exporting to ONNX requires the `onnx` package (and `onnxscript`): "
            "`pip install onnx onnxscript`. Received: format='onnx'"
        )
    specs = _specs(model, input_signature)
    struct = model.__dict__.get("_inputs_struct")
    keys = sorted(struct) if isinstance(struct, dict) and len(struct) == len(specs) else None
    wrapper = _InferenceGraph(model, keys).eval()
    examples = tuple(_example(shape, dtype) for shape, dtype in specs)
    batch = torch.export.Dim("batch", min=1)
    dynamic = tuple(
        {
            i: (batch if i == 0 else torch.export.Dim(f"input{n}_dim{i}", min=1))
            for i, d in enumerate(shape)
            if d is None
        }
        for n, (shape, _) in enumerate(specs)
    )
    training = model.training
    model.eval()
    try:
        with torch.no_grad():
            wrapper(*examples)  # builds lazily built layers on real tensors, outside the trace
            if format == "torch":
                program = torch.export.export(
                    wrapper, examples, dynamic_shapes=(dynamic,), **kwargs
                )
                torch.export.save(program, path)
            else:
                torch.onnx.export(
                    wrapper, examples, path, dynamic_shapes=(dynamic,), dynamo=True, **kwargs
                )
    finally:
        model.train(training)
    if verbose:
        print(f"Saved artifact at '{path}'.")
    return path
