"""`SavingMixin`: the `save`, `save_weights`, `load_weights` and `export` methods of `Model`."""

from __future__ import annotations

import os
from typing import Any


class SavingMixin:
    """Mixed into `Model`: Keras' saving methods, implemented in `torchkeras_lite.saving`."""

    def save(
        self,
        filepath: str | os.PathLike,
        overwrite: bool = True,
        zipped: bool | None = None,
        include_optimizer: bool = True,
    ) -> None:
        """Saves config, weights and optimizer state as a `.keras` archive (see `save_model`).

        Args:
            filepath: a path ending in `.keras`.
            overwrite: False refuses to replace an existing file.
            zipped: False writes a folder instead of a zip file.
            include_optimizer: also save the optimizer's state.

        Example:
            >>> model.save("model.keras")
        """
        from torchkeras_lite.saving.saving_api import save_model

        save_model(self, filepath, overwrite, zipped, include_optimizer)

    def save_weights(self, filepath: str | os.PathLike, overwrite: bool = True) -> None:
        """Saves every weight by path as a `.weights.safetensors` file (see `saving.save_weights`).

        Example:
            >>> model.save_weights("model.weights.safetensors")
        """
        from torchkeras_lite.saving.saving_api import save_weights

        save_weights(self, filepath, overwrite)

    def load_weights(self, filepath: Any, skip_mismatch: bool = False) -> list[str]:
        """Loads weights by path from safetensors, `.keras`, Keras `.weights.h5` or torch files.

        Args:
            filepath: the file, or a torch state dict.
            skip_mismatch: load what matches and warn about the rest instead of raising.

        Example:
            >>> model.load_weights("model.weights.safetensors")
        """
        from torchkeras_lite.saving.saving_api import load_weights

        return load_weights(self, filepath, skip_mismatch)

    def export(
        self,
        filepath: str | os.PathLike,
        format: str = "torch",
        verbose: bool = True,
        input_signature: Any = None,
        **kwargs: Any,
    ) -> str:
        """Exports the inference graph: a `torch.export` program (`.pt2`) or an ONNX file.

        Args:
            filepath: where to write it.
            format: `"torch"` (reload with `torch.export.load`) or `"onnx"` (needs onnx).
            verbose: print where it was written.
            input_signature: example inputs or input shapes; default: the model's inputs.
            **kwargs: passed to `torch.export.export` / `torch.onnx.export`.

        Example:
            >>> model.export("model.pt2")
            >>> program = torch.export.load("model.pt2")
        """
        from torchkeras_lite.saving.export import export_model

        return export_model(self, filepath, format, verbose, input_signature, **kwargs)
