"""`jit_compile=True`: the forward pass and the compiled loss of each step run through `torch.compile`.

The first step of each kind runs eagerly (it builds the loss and metric containers, which is plain
Python); later steps call one compiled function whose batch dimension is marked dynamic, so the
last partial batch does not recompile. The call context (call id, depth, training flag) is set
outside the compiled function, so nothing inside reads a value that changes from step to step —
the reason Keras 3's `jit_compile=True` recompiles every step. `add_loss` values and weight
penalties are added outside the graph. The backward pass runs the compiled backward graph
(AOTAutograd) and the optimizer its foreach kernels.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import torch

from torchkeras_lite.layers.call_context import CONTEXT
from torchkeras_lite.utils import tree


def _standardize(structure: Any) -> Any:
    """Marks the batch dimension dynamic; batch views get offset 0 (dynamo specializes offset 0 vs not)."""

    def fix(t):
        if isinstance(t, torch.Tensor) and t.ndim > 0:
            if t.storage_offset() != 0:
                t = t.clone()
            torch._dynamo.maybe_mark_dynamic(t, 0)
        return t

    return tree.map_structure(fix, structure)


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

            # One function (one code object, one dynamo cache) per kind: a shared one would
            # recompile whenever grad mode flips between training and validation.
            def predict_step(x):  # the model runs as a nested call (see _run)
                return model(x)

            train_forward = model.__dict__.get("_ddp_module", model)  # DDP under DataParallel

            def train_step(x, y, sample_weight):
                y_pred = train_forward(x)
                loss, parts = model._compile_loss(y, y_pred, sample_weight)
                return loss, parts, y_pred

            def test_step(x, y, sample_weight):
                y_pred = model(x)
                loss, parts = model._compile_loss(y, y_pred, sample_weight)
                return loss, parts, y_pred

            steps = {"train": train_step, "test": test_step, "predict": predict_step}
            fn = self._fns[kind] = torch.compile(steps[kind])
        return fn

    def _run(self, kind: str, training: bool, *args: Any) -> Any:
        ctx = CONTEXT
        ctx.call_id += 1
        self.model.__dict__["_last_call_id"] = ctx.call_id
        saved_depth, saved_training = ctx.depth, ctx.training
        ctx.depth, ctx.training = saved_depth + 1, training  # the model runs as a nested call
        ctx.compiled_losses = []
        try:
            return self._get(kind)(*args)
        finally:
            ctx.depth, ctx.training = saved_depth, saved_training

    def forward_loss(
        self, kind: str, x: Any, y: Any, sample_weight: Any
    ) -> tuple[torch.Tensor, Any]:
        model = self.model
        if model._compile_loss is None or y is None:
            raise ValueError("`jit_compile=True` needs a compiled `loss` and targets `y`.")
        x, y, sample_weight = _standardize((x, y, sample_weight))
        loss, parts, y_pred = self._run(kind, kind == "train", x, y, sample_weight)
        if parts:
            model._track_output_losses(parts, y_pred)
        for extra in CONTEXT.compiled_losses:
            loss = loss + extra
        CONTEXT.compiled_losses = []
        for w in model._regularized_weights():
            loss = loss + w.regularizer(w)
        return loss, y_pred

    def predict(self, x: Any) -> Any:
        return self._run("predict", False, _standardize(x))
