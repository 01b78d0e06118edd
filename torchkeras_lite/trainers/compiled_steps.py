"""`jit_compile=True`: the forward pass and loss of each step run through `torch.compile`.

The first step of each kind runs eagerly (it builds the loss and metric containers, which is plain
Python); later steps call one compiled function whose batch dimension is marked dynamic, so the
last partial batch does not recompile. The backward pass runs the compiled backward graph
(AOTAutograd) and the optimizer its foreach kernels.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import torch

from torchkeras_lite.utils import tree


def _mark_batch_dynamic(structure: Any) -> None:
    for t in tree.flatten(structure):
        if isinstance(t, torch.Tensor) and t.ndim > 0:
            torch._dynamo.maybe_mark_dynamic(t, 0)


class CompiledSteps:
    """Holds one compiled function per step kind (`train`, `test`, `predict`) for a model."""

    def __init__(self, model: Any):
        self.model = model
        self._fns: dict[str, Callable] = {}
        self._warm: set[str] = set()

    def ready(self, kind: str) -> bool:
        """False for the first step of a kind (which must run eagerly), True afterwards."""
        if kind in self._warm:
            return True
        self._warm.add(kind)
        return False

    def _get(self, kind: str) -> Callable:
        fn = self._fns.get(kind)
        if fn is None:
            model = self.model
            if kind == "predict":

                def step(x):
                    return model(x, training=False)

            else:
                training = kind == "train"

                def step(x, y, sample_weight):
                    y_pred = model(x, training=training)
                    loss = model.compute_loss(
                        x=x, y=y, y_pred=y_pred, sample_weight=sample_weight, training=training
                    )
                    return loss, y_pred

            fn = self._fns[kind] = torch.compile(step)
        return fn

    def forward_loss(
        self, kind: str, x: Any, y: Any, sample_weight: Any
    ) -> tuple[torch.Tensor, Any]:
        _mark_batch_dynamic((x, y, sample_weight))
        return self._get(kind)(x, y, sample_weight)

    def predict(self, x: Any) -> Any:
        _mark_batch_dynamic(x)
        return self._get("predict")(x)
