"""The optimizer's state as Keras and torch see it: `variables`, `set_weights`, `state_dict`.

A mixin of `Optimizer`: the slot tensors live in torch's `self.state[param]`; the step count and any
scalar state live in Python numbers, mirrored on demand into small CPU `Variable` views.
"""

from __future__ import annotations

import warnings
from typing import Any

import numpy as np
import torch

from torchkeras_lite.backend.variable import Variable


class OptimizerStateMixin:
    """`iterations`, `variables`, `set_weights`, `save/load_own_variables`, `state_dict` round trips."""

    # -- views of the Python-side scalars -------------------------------------------------------
    def _view(self, name: str, value: Any, dtype: torch.dtype) -> Variable:
        views = self.__dict__.setdefault("_views", {})
        view = views.get(name)
        if view is None or view.dtype != dtype:
            view = Variable(torch.zeros((), dtype=dtype), trainable=False, name=name)
            views[name] = view
        with torch.no_grad():
            view.fill_(value)
        return view

    @property
    def iterations(self) -> torch.Tensor:
        """The number of `apply`/`step` calls (divided by `gradient_accumulation_steps` when set).

        A CPU int64 `Variable`; reading it never syncs with an accelerator.
        """
        if self.gradient_accumulation_steps:
            return torch.tensor(self._iterations // self.gradient_accumulation_steps)
        return self._view("iteration", self._iterations, torch.int32)

    def _scalar_state(self) -> dict[str, float]:
        """Optimizer-wide scalars besides the step count (Nadam's momentum product)."""
        return {}

    def _set_scalar_state(self, values: dict[str, float]) -> None:
        """Restores `_scalar_state()`'s values."""

    @property
    def variables(self) -> list[torch.Tensor]:
        """All optimizer state tensors, in Keras' order.

        The step count and (for a constant rate) the learning rate first, then the EMA averages,
        the gradient accumulators, the slots of each variable, and optimizer-wide scalars.
        """
        out: list[torch.Tensor] = [self._view("iteration", self._iterations, torch.int32)]
        if self._lr_source is None:
            out.append(self._view("learning_rate", float(self.learning_rate), torch.float32))
        params = self._all_params()
        if self.use_ema:
            out += [self.state[p]["average"] for p in params]
        if self.gradient_accumulation_steps:
            out += [self.state[p]["gradient_accumulator"] for p in params]
        for names in self._slot_groups():
            out += [self.state[p][name] for p in params for name in names]
        for name, value in self._scalar_state().items():
            out.append(self._view(name, value, torch.float32))
        return out

    def _read_back_views(self) -> None:
        views = self.__dict__.get("_views", {})
        if "iteration" in views:
            self._iterations = int(views["iteration"].item())
        if self._lr_source is None and "learning_rate" in views:
            self.learning_rate = float(views["learning_rate"].item())
        scalars = {k: float(views[k].item()) for k in self._scalar_state() if k in views}
        if scalars:
            self._set_scalar_state(scalars)

    # -- Keras' weight API ----------------------------------------------------------------------
    def set_weights(self, weights: list) -> None:
        """Sets every tensor of `variables` from a list of arrays (same order and shapes).

        Args:
            weights: arrays or tensors, one per entry of `variables`.

        Example:
            >>> opt2.set_weights([v.numpy() for v in opt.variables])
        """
        if not self.built:
            raise ValueError(
                "You are calling `set_weights()` on an optimizer that has not yet been built. "
                "Please call `optimizer.build(trainable_variables)` to create the optimizer "
                f"weights before calling `set_weights()`. Received: optimizer={self.name!r}"
            )
        variables = self.variables
        if len(weights) != len(variables):
            raise ValueError(
                f"Optimizer '{self.name}' has {len(variables)} variables, expected as many weights. "
                f"Received: len(weights)={len(weights)}"
            )
        with torch.no_grad():
            for variable, weight in zip(variables, weights):
                value = (
                    weight
                    if isinstance(weight, torch.Tensor)
                    else torch.as_tensor(np.asarray(weight))
                )
                if tuple(value.shape) != tuple(variable.shape):
                    raise ValueError(
                        f"Optimizer variable has shape {tuple(variable.shape)} not compatible with "
                        f"the provided weight. Received: weight.shape={tuple(value.shape)}"
                    )
                variable.copy_(value.to(device=variable.device, dtype=variable.dtype))
        self._read_back_views()

    def save_own_variables(self, store: dict) -> None:
        """Writes `variables` into `store` as numpy arrays keyed `"0"`, `"1"`, ..."""
        for i, variable in enumerate(self.variables):
            store[str(i)] = variable.detach().cpu().numpy()

    def load_own_variables(self, store: dict) -> None:
        """Reads `save_own_variables`' store back; warns and skips when the counts differ (as Keras)."""
        if not self.built or len(store.keys()) != len(self.variables):
            warnings.warn(
                f"Skipping variable loading for optimizer '{self.name}', because it has "
                f"{len(self.variables) if self.built else 0} variables whereas the saved optimizer "
                f"has {len(store.keys())} variables.",
                stacklevel=2,
            )
            return
        self.set_weights([store[str(i)] for i in range(len(store.keys()))])

    def finalize_variable_values(self, var_list: list[torch.Tensor]) -> None:
        """With `use_ema`, overwrites the given variables with their moving averages.

        Args:
            var_list: the variables the optimizer was built with (or some of them).
        """
        if not self.use_ema:
            return
        with torch.no_grad():
            for variable in var_list:
                average = self.state.get(variable, {}).get("average")
                if average is not None:
                    variable.copy_(average)

    # -- torch's state_dict ---------------------------------------------------------------------
    def state_dict(self) -> dict[str, Any]:
        """torch's optimizer state dict, plus `"iterations"` and `"scalar_state"`."""
        state = super().state_dict()
        state["iterations"] = self._iterations
        state["scalar_state"] = dict(self._scalar_state())
        return state

    def load_state_dict(self, state_dict: dict[str, Any]) -> None:
        """Loads `state_dict()`'s output into a built optimizer over the same parameters."""
        if not self.built:
            raise ValueError(
                f"Optimizer '{self.name}' must be built before `load_state_dict()`: call "
                "`optimizer.build(params)` (or construct it with the parameters) first. "
                f"Received: built={self.built}"
            )
        state_dict = dict(state_dict)
        iterations = state_dict.pop("iterations", None)
        scalars = state_dict.pop("scalar_state", None)
        super().load_state_dict(state_dict)
        if iterations is not None:
            self._iterations = int(iterations)
        if scalars:
            self._set_scalar_state(dict(scalars))
