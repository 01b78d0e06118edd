"""`Metric`: Keras' stateful metric API on a `torch.nn.Module` whose state lives in buffers."""

from __future__ import annotations

import functools
from typing import Any

import torch

from torchkeras_lite.backend import config, dtypes
from torchkeras_lite.metrics import metrics_utils

_CPU = torch.device("cpu")


def _no_grad_update(fn):
    """Runs an `update_state` without recording gradients (state must never join a graph)."""

    @functools.wraps(fn)
    def update_state(self, *args, **kwargs):
        with torch.no_grad():
            return fn(self, *args, **kwargs)

    update_state._metric_no_grad = True
    return update_state


class Metric(torch.nn.Module):
    """Encapsulates metric logic and state.

    The state is a set of tensors registered as buffers with `add_variable`, so `.to(device)`,
    `state_dict()` and a parent model's device moves carry it along. When inputs arrive on another
    device than the state, the state moves there once. `update_state` only queues tensor work: it
    never reads a value back to the host.

    Subclasses create their state in `__init__` with `self.x = self.add_variable(...)`, accumulate
    in place in `update_state` (`self.x.add_(...)`) and compute the value in `result`.
    `update_state` always runs under `torch.no_grad()`.

    Args:
        name: the metric's name (default: the snake-cased class name, made unique).
        dtype: the dtype of the state and the computations (default: `keras.config.floatx()`);
            a name, a torch dtype or a `DTypePolicy` (its compute dtype is used).

    Example:
        >>> class Count(Metric):
        ...     def __init__(self, name="count"):
        ...         super().__init__(name=name)
        ...         self.n = self.add_variable((), name="n")
        ...     def update_state(self, y_true, y_pred, sample_weight=None):
        ...         self.n.add_(torch.as_tensor(y_pred).shape[0])
        ...     def result(self):
        ...         return self.n.clone()
        >>> Count()(None, torch.zeros(3))
        tensor(3.)
    """

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        fn = cls.__dict__.get("update_state")
        if fn is not None and not getattr(fn, "_metric_no_grad", False):
            cls.update_state = _no_grad_update(fn)

    def __init__(self, name: str | None = None, dtype: Any = None):
        super().__init__()
        policy = dtypes.get_policy(dtype if dtype is not None else config.floatx())
        self._dtype = policy.compute_dtype
        self._torch_dtype = dtypes.to_torch_dtype(self._dtype)
        self.name = name or metrics_utils.uniquify(metrics_utils.to_snake_case(type(self).__name__))
        self._variable_names: list[str] = []
        self._variable_aliases: dict[str, str] = {}

    # -- state --------------------------------------------------------------------------------------
    @property
    def name(self) -> str:
        """The metric's name, as logged (settable; stored as `_name`)."""
        return self._name

    @name.setter
    def name(self, value: str) -> None:
        self._name = str(value)

    @property
    def dtype(self) -> str:
        """The dtype name of the metric's computations (`"float32"`)."""
        return self._dtype

    def add_variable(
        self,
        shape,
        initializer: Any = "zeros",
        dtype: Any = None,
        aggregation: str = "sum",
        name: str | None = None,
    ) -> torch.Tensor:
        """Creates a state tensor (a buffer of this module) and returns it.

        Args:
            shape: its shape.
            initializer: `"zeros"`, `"ones"`, a number, or a callable `(shape, dtype) -> tensor`.
            dtype: its dtype (default: the metric's dtype).
            aggregation: how replicas would combine it (kept for Keras compatibility).
            name: its name (default `"variable"`; made unique within the metric).
        """
        torch_dtype = self._torch_dtype if dtype is None else dtypes.to_torch_dtype(dtype)
        shape = tuple(int(s) for s in (shape if isinstance(shape, (tuple, list)) else (shape,)))
        device = self._state_device() or _CPU
        if isinstance(initializer, str) and initializer in ("zeros", "ones"):
            value = (torch.zeros if initializer == "zeros" else torch.ones)(
                shape, dtype=torch_dtype
            )
        elif isinstance(initializer, (int, float)):
            value = torch.full(shape, float(initializer), dtype=torch_dtype)
        else:
            if isinstance(initializer, str):
                from torchkeras_lite import initializers  # resolved late: optional family

                initializer = initializers.get(initializer)
            value = torch.as_tensor(initializer(shape, dtype=torch_dtype)).to(torch_dtype)
        base = "".join(c if c.isalnum() or c == "_" else "_" for c in (name or "variable"))
        if not base or base[0].isdigit():
            base = f"v_{base}"
        buffer_name, i = base, 0
        while buffer_name in self._buffers or hasattr(self, buffer_name):
            i += 1
            buffer_name = f"{base}_{i}"
        self.register_buffer(buffer_name, value.to(device))
        self._variable_names.append(buffer_name)
        return self._buffers[buffer_name]

    def add_weight(
        self, shape=(), initializer: Any = "zeros", dtype: Any = None, name: str | None = None
    ):
        """Alias of `add_variable`."""
        return self.add_variable(shape, initializer=initializer, dtype=dtype, name=name)

    @property
    def variables(self) -> list[torch.Tensor]:
        """The state tensors, this metric's first, then those of its sub-metrics."""
        out = [self._buffers[n] for n in self._variable_names]
        for child in self.children():
            if isinstance(child, Metric):
                out.extend(child.variables)
        return out

    def __setattr__(self, name: str, value: Any) -> None:
        # `self.acc = self.add_variable(name="other")` keeps `self.acc` pointing at the live buffer.
        if (
            isinstance(value, torch.Tensor)
            and "_buffers" in self.__dict__
            and name not in self._buffers
        ):
            for buffer_name, buffer in self._buffers.items():
                if buffer is value and buffer_name != name:
                    self._variable_aliases[name] = buffer_name
                    return
        super().__setattr__(name, value)

    def __getattr__(self, name: str) -> Any:
        aliases = self.__dict__.get("_variable_aliases")
        if aliases and name in aliases:
            return self._buffers[aliases[name]]
        return super().__getattr__(name)

    # -- devices and inputs ---------------------------------------------------------------------------
    def _state_device(self) -> torch.device | None:
        buffer = next(self.buffers(), None)
        return None if buffer is None else buffer.device

    def _follow_device(self, *inputs: Any) -> torch.device:
        """Moves the state to the device of the first tensor input (when it differs); returns that device.

        Without tensor inputs (lists, numpy arrays) the computation happens on the state's device.
        """
        device = next((x.device for x in inputs if isinstance(x, torch.Tensor)), None)
        state_device = self._state_device()
        if device is None:
            return state_device or _CPU
        if state_device is not None and state_device != device:
            self.to(device)
        return device

    def _convert(
        self, x: Any, device: torch.device, dtype: torch.dtype | None = None
    ) -> torch.Tensor:
        """`x` as a tensor on `device` (cast to `dtype` when given)."""
        if isinstance(x, torch.Tensor):
            return x.to(device=device, dtype=dtype or x.dtype)
        return torch.as_tensor(x, dtype=dtype, device=device)

    # -- the API --------------------------------------------------------------------------------------
    def update_state(self, *args, **kwargs) -> None:
        """Accumulates statistics from one batch (subclasses implement it)."""
        raise TypeError(
            f"{type(self).__name__} does not implement `update_state`. Subclasses of Metric must "
            "define `update_state(y_true, y_pred, sample_weight=None)`. "
            f"Received: metric={self.name!r}"
        )

    def result(self) -> torch.Tensor:
        """The current value, from the state (subclasses implement it)."""
        raise TypeError(
            f"{type(self).__name__} does not implement `result`. Subclasses of Metric must define "
            f"`result()`. Received: metric={self.name!r}"
        )

    def reset_state(self) -> None:
        """Sets every state tensor back to zero, in place."""
        for v in self.variables:
            v.zero_()

    def __call__(self, *args, **kwargs) -> torch.Tensor:
        """Updates the state with one batch, then returns `result()`."""
        self.update_state(*args, **kwargs)
        return self.result()

    forward = __call__

    def get_config(self) -> dict:
        """The constructor arguments, JSON-ready."""
        return {"name": self.name, "dtype": self.dtype}

    @classmethod
    def from_config(cls, config: dict) -> Metric:
        """Makes a metric from `get_config()`'s output."""
        return cls(**config)

    def __repr__(self) -> str:
        return f"<{type(self).__name__} name={self.name}>"

    __str__ = __repr__
