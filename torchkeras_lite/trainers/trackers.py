"""The per-step bookkeeping of the default steps, kept to one kernel per step.

`LossTracker` is the `Mean` named "loss" (Keras' `model.metrics[0]`) with a fast path for a 0-d
loss weighted by the batch size: one in-place kernel, the count kept as a Python int until read.
`LazyLogs` is what the default steps return: the metric results, computed only if a callback reads
them (the progress bar does a few times a second; nothing else does by default).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

import torch

from torchkeras_lite.metrics import Mean


class LossTracker(Mean):
    """`Mean` of the loss, weighted by batch size, with a one-kernel update for scalar losses."""

    def __init__(self, name: str = "loss", dtype: Any = None):
        super().__init__(name=name, dtype=dtype)
        self._pending = 0

    def update_state(self, values, sample_weight=None) -> None:
        if (
            isinstance(values, torch.Tensor)
            and values.ndim == 0
            and isinstance(sample_weight, int)
            and values.device == self.total.device
        ):
            self.total.add_(values.detach().to(self.total.dtype), alpha=sample_weight)
            self.__dict__["_pending"] += (
                sample_weight  # plain dict write: nn.Module.__setattr__ is slow
            )
            return
        super().update_state(values, sample_weight=sample_weight)

    def _fold(self) -> None:
        if self._pending:
            self.count.add_(self._pending)
            self._pending = 0

    def result(self) -> torch.Tensor:
        self._fold()
        return super().result()

    def reset_state(self) -> None:
        self._pending = 0
        super().reset_state()

    def _save_to_state_dict(self, destination, prefix, keep_vars) -> None:
        self._fold()  # the count kept as a Python int belongs in the saved state
        super()._save_to_state_dict(destination, prefix, keep_vars)


class LazyLogs(Mapping):
    """The model's metric results, computed on first access (never, when no callback reads them)."""

    __slots__ = ("_model", "_logs")

    def __init__(self, model: Any):
        self._model = model
        self._logs: dict[str, Any] | None = None

    def _get(self) -> dict[str, Any]:
        if self._logs is None:
            self._logs = self._model.get_metrics_result()
        return self._logs

    def __getitem__(self, key: str) -> Any:
        return self._get()[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._get())

    def __len__(self) -> int:
        return len(self._get())

    def __repr__(self) -> str:
        return repr(self._get())
