"""The update pipeline of `Optimizer`: `step()` (torch), `apply()` / `apply_gradients()` (Keras).

Both end in `_apply_entries`, which runs Keras' order of operations: unscale, accumulate, clip,
weight decay, the optimizer's rule, EMA, constraints, then the step count. Everything is a foreach
call per (param group, device, dtype) bucket, driven by Python numbers: nothing syncs with the host.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable, Iterable
from typing import Any

import torch

from torchkeras_lite.optimizers import optimizer_utils as U

Entry = tuple[int, torch.Tensor, torch.Tensor]  # (param group index, variable, gradient)


class OptimizerApplyMixin:
    """`step`, `apply`, `apply_gradients` and the shared update pipeline."""

    @torch.no_grad()
    def step(self, closure: Callable[[], Any] | None = None) -> Any:
        """torch-style update from each parameter's `.grad` (parameters without one are skipped).

        Args:
            closure: optional, re-evaluates the model and returns the loss.

        Returns:
            The closure's loss, or None.
        """
        loss = None
        if closure is not None:
            with torch.enable_grad():
                loss = closure()
        if not self.built:
            raise ValueError(
                f"Optimizer '{self.name}' has no variables yet: call `optimizer.build(params)` (or pass "
                f"the parameters to the constructor) before `step()`. Received: built={self.built}"
            )
        entries = [
            (gi, p, p.grad)
            for gi, group in enumerate(self.param_groups)
            for p in group["params"]
            if p.grad is not None
        ]
        if entries:
            self._apply_entries(entries)
        return loss

    def apply(self, grads: Iterable, trainable_variables: Iterable | None = None) -> None:
        """Keras-style update: applies `grads` to `trainable_variables` (building on first use).

        Args:
            grads: gradient tensors (None entries are skipped with a warning).
            trainable_variables: the matching variables; omitted, those the optimizer was built with.

        Example:
            >>> optimizer.apply([w.grad for w in weights], weights)
        """
        grads = list(grads)
        if not grads:
            return
        if trainable_variables is None:
            if not self.built:
                raise ValueError(
                    "When passing `grads` without `variables`, the optimizer must already be built on a "
                    "list of variables. Call `optimizer.build(trainable_variables)` first. "
                    f"Received: len(grads)={len(grads)}"
                )
            variables = self._all_params()
            if len(grads) != len(variables):
                raise ValueError(
                    "When passing `grads` as a list of gradient tensors, the gradients must match "
                    f"the {len(variables)} variables the optimizer was built with one-to-one. "
                    f"Received: len(grads)={len(grads)}"
                )
        else:
            variables = list(trainable_variables)
            if not self.built:
                self.build(variables)
        index = {id(p): gi for gi, group in enumerate(self.param_groups) for p in group["params"]}
        entries: list[Entry] = []
        missing = []
        for grad, variable in zip(grads, variables):
            if id(variable) not in index:
                raise ValueError(
                    "Unknown variable: this optimizer can only be called for the variables it was "
                    "originally built with. When working with a new set of variables, you should "
                    "recreate a new optimizer instance. Received: "
                    f"variable={getattr(variable, 'path', None) or tuple(variable.shape)}"
                )
            if grad is None:
                missing.append(
                    getattr(variable, "path", None) or getattr(variable, "name", "variable")
                )
            else:
                entries.append((index[id(variable)], variable, grad))
        if not entries:
            raise ValueError(f"No gradients provided for any variable. Received: grads={grads}")
        if missing:
            warnings.warn(
                f"Gradients do not exist for variables {missing} when minimizing the loss. If using "
                "`model.compile()`, did you forget to provide a `loss` argument?"
            )
        with torch.no_grad():
            self._apply_entries(entries)

    def apply_gradients(self, grads_and_vars: Iterable) -> torch.Tensor:
        """`apply` from `(gradient, variable)` pairs; returns `iterations`.

        Args:
            grads_and_vars: pairs of gradient and variable.
        """
        grads, variables = zip(*grads_and_vars)
        self.apply(grads, variables)
        return self.iterations

    # -- the pipeline ---------------------------------------------------------------------------
    def _apply_entries(self, entries: list[Entry]) -> None:
        raw = self._iterations
        accumulate = self.gradient_accumulation_steps
        step = raw // accumulate if accumulate else raw
        scheduled = self._scheduled_lr()
        buckets: dict[tuple, tuple[list, list]] = {}
        for gi, p, g in entries:
            if g.is_sparse:
                raise ValueError(
                    f"Sparse gradients are not supported. Received: grad.layout={g.layout}"
                )
            bucket = buckets.setdefault((gi, p.device, p.dtype), ([], []))
            bucket[0].append(p)
            bucket[1].append(g if g.dtype == p.dtype else g.to(p.dtype))
        keys = list(buckets)
        params = [buckets[k][0] for k in keys]
        grads = [buckets[k][1] for k in keys]
        if self.loss_scale_factor is not None:
            grads = [torch._foreach_div(g, float(self.loss_scale_factor)) for g in grads]
        update = True
        if accumulate:
            accs = [[self.state[p]["gradient_accumulator"] for p in ps] for ps in params]
            if (raw + 1) % accumulate:
                for acc, g in zip(accs, grads):
                    torch._foreach_add_(acc, g)
                update = False
            else:
                grads = [
                    torch._foreach_div(torch._foreach_add(g, acc), float(accumulate))
                    for g, acc in zip(grads, accs)
                ]
        if update:
            grads = self._clip(grads)
            self._prepare_update(step + 1)
            for (gi, device, _), ps, gs in zip(keys, params, grads):
                group = self.param_groups[gi]
                lr = U.scalar_on(group["lr"] if scheduled is None else scheduled, device)
                self._apply_weight_decay(ps, group, lr)
                slots = {
                    name: [self.state[p][name] for p in ps]
                    for names in self._slot_groups()
                    for name in names
                }
                self._update(ps, gs, slots, lr, step + 1)
            if accumulate:
                for acc in accs:
                    torch._foreach_zero_(acc)
        if self.use_ema:
            self._update_ema(step)
        self._apply_constraints([p for ps in params for p in ps])
        self._iterations = raw + 1

    def _clip(self, grads: list[list[torch.Tensor]]) -> list[list[torch.Tensor]]:
        if self.clipnorm and self.clipnorm > 0:
            return [U.clip_by_norm(g, float(self.clipnorm)) for g in grads]
        if self.global_clipnorm and self.global_clipnorm > 0:
            factor = U.global_clip_factor(U.global_norm(grads), float(self.global_clipnorm))
            return [
                torch._foreach_mul(g, factor.to(device=g[0].device, dtype=g[0].dtype))
                for g in grads
            ]
        if self.clipvalue and self.clipvalue > 0:
            return [U.clip_by_value(g, float(self.clipvalue)) for g in grads]
        return grads

    def _apply_weight_decay(self, params: list[torch.Tensor], group: dict, lr: U.Scalar) -> None:
        weight_decay = group.get("weight_decay", self.weight_decay)
        if not weight_decay:
            return
        decayed = [p for p in params if self._use_weight_decay(p)]
        if decayed:
            torch._foreach_mul_(decayed, 1 - weight_decay * lr)

    def _update_ema(self, step: int) -> None:
        params = self._all_params()
        averages = [self.state[p]["average"] for p in params]
        decay = self.ema_momentum if step != 0 else 0.0
        overwrite = self.ema_overwrite_frequency and (step + 1) % self.ema_overwrite_frequency == 0
        for indices in U.bucket_by_device_dtype(params).values():
            ps, avgs = [params[i] for i in indices], [averages[i] for i in indices]
            U.ema_(avgs, ps, float(decay))
            if overwrite:
                torch._foreach_copy_(ps, avgs)

    def _apply_constraints(self, params: list[torch.Tensor]) -> None:
        for p in params:
            constraint = getattr(p, "constraint", None)
            if constraint is not None:
                p.copy_(constraint(p))
