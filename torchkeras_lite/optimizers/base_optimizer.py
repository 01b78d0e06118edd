"""`Optimizer`: a `torch.optim.Optimizer` built lazily, Keras-style, with Keras' update pipeline.

Per update: unscale (`loss_scale_factor`), accumulate (`gradient_accumulation_steps`), clip, decoupled
weight decay, the optimizer's own rule, EMA of the weights, then each variable's `constraint`. All
math runs as `torch._foreach_*` calls per (param group, device, dtype); the step count is a Python
int, so no step syncs with the host.
"""

from __future__ import annotations

import abc
import functools
import inspect
import numbers
import re
import warnings
from collections import OrderedDict, defaultdict
from typing import Any

import torch

from torchkeras_lite.optimizers import optimizer_utils as U
from torchkeras_lite.optimizers.optimizer_apply import OptimizerApplyMixin
from torchkeras_lite.optimizers.optimizer_config import OptimizerConfigMixin
from torchkeras_lite.optimizers.optimizer_state import OptimizerStateMixin
from torchkeras_lite.optimizers.schedules import learning_rate_schedule as lrs
from torchkeras_lite.saving.registry import Registry

OPTIMIZERS = Registry("optimizer")

_HOOKS = (
    "_optimizer_step_pre_hooks",
    "_optimizer_step_post_hooks",
    "_optimizer_state_dict_pre_hooks",
    "_optimizer_state_dict_post_hooks",
    "_optimizer_load_state_dict_pre_hooks",
    "_optimizer_load_state_dict_post_hooks",
)


def _snake_case(name: str) -> str:
    name = re.sub(r"(.)([A-Z][a-z]+)", r"\1_\2", name)
    return re.sub(r"([a-z])([A-Z])", r"\1_\2", name).lower()


def _is_params(value: Any) -> bool:
    if isinstance(value, (numbers.Number, str, torch.Tensor, lrs.LearningRateSchedule)) or callable(
        value
    ):
        return False
    return hasattr(value, "__iter__")


class Optimizer(
    OptimizerApplyMixin,
    OptimizerConfigMixin,
    OptimizerStateMixin,
    torch.optim.Optimizer,
    metaclass=abc.ABCMeta,
):
    """Base class of all optimizers: Keras' constructor and API on a `torch.optim.Optimizer`.

    Built lazily by `build(variables)` (or the first `apply`); afterwards `zero_grad()`, `step()`,
    torch lr schedulers and `state_dict()` work as for any torch optimizer. Subclasses implement
    `_update` (and `_slot_groups` / `_create_slots` for their state).

    Args:
        learning_rate: a float, a `LearningRateSchedule` (evaluated each step from `iterations`), or
            a callable with no arguments.
        weight_decay: decoupled decay applied before each update: `var -= var * weight_decay * lr`.
        clipnorm: clips each gradient to this L2 norm.
        clipvalue: clips each gradient elementwise to `[-clipvalue, clipvalue]`.
        global_clipnorm: clips all gradients together to this global L2 norm.
        use_ema: keeps an exponential moving average of the weights.
        ema_momentum: the EMA decay.
        ema_overwrite_frequency: every this many iterations, the weights are set to their average.
        loss_scale_factor: gradients are divided by this factor (the loss was multiplied by it).
        gradient_accumulation_steps: update every this many steps with the averaged gradients.
        name: the optimizer's name.
        params: optional, torch-style: the parameters (or param groups) to build on right away;
            may also be passed first, with the rate as `lr=` (`Adam(model.parameters(), lr=1e-3)`).

    Example:
        >>> opt = keras.optimizers.Adam(learning_rate=1e-3)
        >>> opt.build(model.parameters())
        >>> loss.backward(); opt.step(); opt.zero_grad()
    """

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        init = cls.__dict__.get("__init__")
        if init is None or getattr(init, "_builds_deferred", False):
            return

        @functools.wraps(init)
        def __init__(self, *args, **kw):
            depth = self.__dict__.get("_init_depth", 0)
            self.__dict__["_init_depth"] = depth + 1
            try:
                init(self, *args, **kw)
            finally:
                self.__dict__["_init_depth"] = depth
            params = self.__dict__.pop("_deferred_params", None) if depth == 0 else None
            if params is not None:
                self.build(params)

        __init__._builds_deferred = True
        cls.__init__ = __init__

    def __init__(
        self,
        learning_rate: Any = 0.001,
        weight_decay: float | None = None,
        clipnorm: float | None = None,
        clipvalue: float | None = None,
        global_clipnorm: float | None = None,
        use_ema: bool = False,
        ema_momentum: float = 0.99,
        ema_overwrite_frequency: int | None = None,
        loss_scale_factor: float | None = None,
        gradient_accumulation_steps: int | None = None,
        name: str | None = None,
        **kwargs,
    ):
        params, learning_rate = self._split_params(learning_rate, kwargs)
        if kwargs.pop("decay", None) is not None:
            warnings.warn("Argument `decay` is no longer supported and will be ignored.")
        if kwargs:
            raise ValueError(f"Argument(s) not recognized. Received: kwargs={kwargs}")
        self._validate_common_arguments(
            clipnorm,
            clipvalue,
            global_clipnorm,
            use_ema,
            ema_momentum,
            ema_overwrite_frequency,
            gradient_accumulation_steps,
        )
        self.name = name or _snake_case(type(self).__name__)
        self.weight_decay = weight_decay
        self.clipnorm, self.clipvalue, self.global_clipnorm = clipnorm, clipvalue, global_clipnorm
        self.use_ema, self.ema_momentum = use_ema, ema_momentum
        self.ema_overwrite_frequency = ema_overwrite_frequency
        self.loss_scale_factor = loss_scale_factor
        self.gradient_accumulation_steps = gradient_accumulation_steps
        self.built = False
        self._iterations = 0
        self._exclude_ids: set[int] = set()
        self._exclude_pattern: re.Pattern | None = None
        self._decay_cache: dict[int, bool] = {}
        self._init_torch_structures({})
        self._lr_source = None
        self.defaults["lr"] = self._check_learning_rate(learning_rate)
        if params is not None:
            self.__dict__["_deferred_params"] = params

    # -- construction helpers -------------------------------------------------------------------
    def _split_params(self, learning_rate: Any, kwargs: dict) -> tuple[Any, Any]:
        params, lr = kwargs.pop("params", None), kwargs.pop("lr", None)
        if _is_params(learning_rate):
            params = learning_rate
            default = inspect.signature(type(self).__init__).parameters.get("learning_rate")
            learning_rate = default.default if default is not None else 0.001
        if lr is not None:
            if params is None:
                raise ValueError(
                    "Argument `lr` is only accepted with torch-style parameters "
                    f"(`Adam(model.parameters(), lr=...)`); use `learning_rate`. Received: lr={lr!r}"
                )
            learning_rate = lr
        return params, learning_rate

    def _init_torch_structures(self, defaults: dict, own_state: bool = True) -> None:
        self.defaults = defaults
        for hooks in _HOOKS:
            setattr(self, hooks, OrderedDict())
        self._patch_step_function()
        if own_state:
            self.state = defaultdict(dict)
            self.param_groups = []
        self._warned_capturable_if_run_uncaptured = True

    def __getstate__(self) -> dict[str, Any]:
        return dict(self.__dict__)

    # -- building -------------------------------------------------------------------------------
    def build(self, variables) -> None:
        """Registers the variables as one param group (or the given groups) and creates the slots.

        Args:
            variables: the trainable variables (`model.parameters()`, a list of tensors), or a list
                of torch param-group dicts.
        """
        if self.built:
            return
        variables = list(variables)
        groups = (
            variables if variables and isinstance(variables[0], dict) else [{"params": variables}]
        )
        self.built = True
        for group in groups:
            if list(group["params"]):
                self.add_param_group(dict(group))

    def add_param_group(self, param_group: dict[str, Any]) -> None:
        """torch's `add_param_group`, also creating the new parameters' optimizer state."""
        super().add_param_group(param_group)
        self.built = True
        for p in self.param_groups[-1]["params"]:
            if not self.state[p]:
                self.state[p].update(self._initial_state(p))

    def _initial_state(self, param: torch.Tensor) -> dict[str, torch.Tensor]:
        state = {}
        if self.use_ema:
            state["average"] = torch.zeros_like(param, memory_format=torch.preserve_format)
        if self.gradient_accumulation_steps:
            state["gradient_accumulator"] = torch.zeros_like(
                param, memory_format=torch.preserve_format
            )
        state.update(self._create_slots(param))
        return state

    def _slot_groups(self) -> tuple[tuple[str, ...], ...]:
        """The slot names, grouped as Keras creates them (names of a group interleave per variable)."""
        return ()

    def _create_slots(self, param: torch.Tensor) -> dict[str, torch.Tensor]:
        """The initial slots of one variable (zeros for every slot name by default)."""
        names = [name for group in self._slot_groups() for name in group]
        return {
            name: torch.zeros_like(param, memory_format=torch.preserve_format) for name in names
        }

    def _all_params(self) -> list[torch.Tensor]:
        return [p for group in self.param_groups for p in group["params"]]

    def scale_loss(self, loss: torch.Tensor) -> torch.Tensor:
        """`loss * loss_scale_factor` when a factor is set (gradients are divided back by it)."""
        return loss if self.loss_scale_factor is None else loss * self.loss_scale_factor

    # -- the update rule (subclasses) -----------------------------------------------------------
    def _prepare_update(self, step: int) -> None:
        """Called once per update before `_update`, with the 1-based update count."""

    @abc.abstractmethod
    def _update(
        self,
        params: list[torch.Tensor],
        grads: list[torch.Tensor],
        slots: dict[str, list[torch.Tensor]],
        lr: U.Scalar,
        step: int,
    ) -> None:
        """Updates `params` (one device and dtype) in place from processed `grads`; `grads` are read-only.

        Args:
            params: the variables to update.
            grads: their gradients (clipped, accumulated, unscaled).
            slots: for each slot name, the slot tensors of `params`.
            lr: the learning rate (a float or a 0-d tensor on the params' device).
            step: the 1-based update count (Keras' `iterations + 1`).
        """
