"""`LossScaleOptimizer`: dynamic loss scaling for float16 training, around any optimizer."""

from __future__ import annotations

from typing import Any

import torch

from torchkeras_lite.optimizers import optimizer_utils as U
from torchkeras_lite.optimizers.base_optimizer import OPTIMIZERS, Optimizer

_INNER_ONLY = {
    "weight_decay": None,
    "clipnorm": None,
    "global_clipnorm": None,
    "clipvalue": None,
    "use_ema": False,
    "ema_momentum": 0.99,
    "ema_overwrite_frequency": None,
    "loss_scale_factor": None,
    "gradient_accumulation_steps": None,
}


@OPTIMIZERS.register()
class LossScaleOptimizer(Optimizer):
    """Scales the loss up, unscales the gradients, skips steps whose gradients are not finite.

    A non-finite step halves the scale and leaves the variables and the inner optimizer untouched;
    after `dynamic_growth_steps` finite steps in a row the scale doubles. The check and the scale
    update run on the device (torch's AMP kernels); deciding whether to skip reads one flag back
    from it per step, as `torch.amp.GradScaler` does.

    Args:
        inner_optimizer: the optimizer that applies the unscaled gradients.
        initial_scale: the starting loss scale.
        dynamic_growth_steps: finite steps before the scale doubles.
        name: the optimizer's name.

    Example:
        >>> opt = LossScaleOptimizer(Adam(1e-3))
        >>> opt.build(model.parameters())
        >>> opt.scale_loss(loss).backward(); opt.step(); opt.zero_grad()
    """

    def __init__(
        self,
        inner_optimizer: Any,
        initial_scale: float = 2.0**15,
        dynamic_growth_steps: int = 2000,
        name: str | None = None,
        **kwargs,
    ):
        if not kwargs.pop("dynamic", True):
            raise ValueError(
                "LossScaleOptimizer no longer supports `dynamic=False`. Instead, simply set "
                "`loss_scale_factor` directly on the `inner_optimizer`. Received: dynamic=False"
            )
        for arg, default in _INNER_ONLY.items():
            value = kwargs.pop(arg, default)
            if value != default:
                raise ValueError(
                    f"LossScaleOptimizer does not support `{arg}`. Instead, set `{arg}` on the "
                    f"`inner_optimizer`. Received: {arg}={value!r}"
                )
        if kwargs:
            raise ValueError(
                f"LossScaleOptimizer does not support arguments: `{'`, `'.join(kwargs)}`. "
                f"Received: kwargs={kwargs}"
            )
        if isinstance(inner_optimizer, (str, dict)):
            inner_optimizer = OPTIMIZERS.get(inner_optimizer)
        if not isinstance(inner_optimizer, Optimizer):
            raise ValueError(
                "`inner_optimizer` must be a torchkeras_lite optimizer. "
                f"Received: inner_optimizer={inner_optimizer!r}"
            )
        self.inner_optimizer = inner_optimizer
        inner_optimizer.loss_scale_factor = None
        super().__init__(learning_rate=0.0, name=name)
        self.initial_scale = float(initial_scale)
        self.dynamic_growth_steps = int(dynamic_growth_steps)
        self._scale: torch.Tensor | None = None
        self._growth_tracker: torch.Tensor | None = None

    def _init_torch_structures(self, defaults, own_state=True):
        super()._init_torch_structures(defaults, own_state=False)

    # -- everything but the scale lives in the inner optimizer ------------------------------------
    @property
    def param_groups(self) -> list[dict]:
        return self.inner_optimizer.param_groups

    @param_groups.setter
    def param_groups(self, value: list[dict]) -> None:
        self.inner_optimizer.param_groups = value

    @property
    def state(self):
        return self.inner_optimizer.state

    @state.setter
    def state(self, value) -> None:
        self.inner_optimizer.state = value

    @property
    def learning_rate(self) -> Any:
        return self.inner_optimizer.learning_rate

    @learning_rate.setter
    def learning_rate(self, value: Any) -> None:
        self.inner_optimizer.learning_rate = value

    @property
    def iterations(self) -> torch.Tensor:
        return self.inner_optimizer.iterations

    @property
    def dynamic_scale(self) -> torch.Tensor | float:
        """The current loss scale (a float32 tensor once built)."""
        return self._scale if self._scale is not None else self.initial_scale

    @property
    def variables(self) -> list[torch.Tensor]:
        """Keras' layout: own step count and rate (unused), step counter, scale, then the inner ones."""
        if not self.built:
            return []
        own = [
            self._view("iteration", 0, torch.int32),
            self._view("learning_rate", 0.0, torch.float32),
        ]
        return own + [self._growth_tracker, self._scale] + self.inner_optimizer.variables

    def _read_back_views(self) -> None:
        self.inner_optimizer._read_back_views()

    def build(self, variables) -> None:
        """Builds the inner optimizer and creates the scale on the variables' device."""
        if self.built:
            return
        variables = list(variables)
        self.inner_optimizer.build(variables)
        params = self.inner_optimizer._all_params()
        device = params[0].device if params else torch.device("cpu")
        self._scale = torch.full((), self.initial_scale, dtype=torch.float32, device=device)
        self._growth_tracker = torch.zeros((), dtype=torch.int32, device=device)
        self.built = True

    def add_param_group(self, param_group: dict[str, Any]) -> None:
        self.inner_optimizer.add_param_group(param_group)

    def exclude_from_weight_decay(self, var_list=None, var_names=None) -> None:
        self.inner_optimizer.exclude_from_weight_decay(var_list, var_names)

    def finalize_variable_values(self, var_list) -> None:
        self.inner_optimizer.finalize_variable_values(var_list)

    def _update(self, params, grads, slots, lr, step):
        self.inner_optimizer._update(params, grads, slots, lr, step)

    # -- scaling --------------------------------------------------------------------------------
    def scale_loss(self, loss: torch.Tensor) -> torch.Tensor:
        """`loss * scale`: call `backward()` on this."""
        if self._scale is None:
            return loss * self.initial_scale
        return loss * self._scale.to(loss.device)

    def _unscale_and_check(self, grads: list[torch.Tensor]) -> bool:
        """Divides `grads` in place by the scale, updates the scale; True when all were finite."""
        found = []
        inv_scale = self._scale.double().reciprocal().float()
        for (device, _), indices in U.bucket_by_device_dtype(grads).items():
            flag = torch.zeros((), dtype=torch.float32, device=device)
            torch._amp_foreach_non_finite_check_and_unscale_(
                [grads[i] for i in indices], flag, inv_scale.to(device)
            )
            found.append(flag.to(self._scale.device))
        found_inf = (
            torch.stack(found).amax() if found else torch.zeros((), device=self._scale.device)
        )
        torch._amp_update_scale_(
            self._scale, self._growth_tracker, found_inf, 2.0, 0.5, self.dynamic_growth_steps
        )
        return not bool(found_inf.item())

    @torch.no_grad()
    def step(self, closure=None) -> Any:
        """Unscales each `.grad` in place and steps the inner optimizer when they are all finite."""
        loss = None
        if closure is not None:
            with torch.enable_grad():
                loss = closure()
        if not self.built:
            raise ValueError(
                f"Optimizer '{self.name}' has no variables yet: call `optimizer.build(params)` before "
                f"`step()`. Received: built={self.built}"
            )
        grads = [p.grad for p in self.inner_optimizer._all_params() if p.grad is not None]
        if grads and self._unscale_and_check(grads):
            self.inner_optimizer.step()
        return loss

    def apply(self, grads, trainable_variables=None) -> None:
        """Keras-style: unscales copies of `grads`, applies them with the inner optimizer if finite."""
        grads = list(grads)
        if not self.built:
            if trainable_variables is None:
                raise ValueError(
                    "When passing `grads` without `variables`, the optimizer must already be built on "
                    "a list of variables. Call `optimizer.build(trainable_variables)` first. "
                    f"Received: len(grads)={len(grads)}"
                )
            trainable_variables = list(trainable_variables)
            self.build(trainable_variables)
        with torch.no_grad():
            present = [i for i, g in enumerate(grads) if g is not None]
            copies = [grads[i].detach().clone() for i in present]
            finite = self._unscale_and_check(copies) if copies else True
        if finite:
            for i, copy in zip(present, copies):
                grads[i] = copy
            self.inner_optimizer.apply(grads, trainable_variables)

    # -- state ----------------------------------------------------------------------------------
    def state_dict(self) -> dict[str, Any]:
        state = self.inner_optimizer.state_dict()
        if self.built:
            state["loss_scale"] = self._scale.detach().clone()
            state["growth_tracker"] = self._growth_tracker.detach().clone()
        return state

    def load_state_dict(self, state_dict: dict[str, Any]) -> None:
        state_dict = dict(state_dict)
        scale, tracker = state_dict.pop("loss_scale", None), state_dict.pop("growth_tracker", None)
        self.inner_optimizer.load_state_dict(state_dict)
        if scale is not None:
            self._scale.copy_(scale)
            self._growth_tracker.copy_(tracker)

    def get_config(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "inner_optimizer": OPTIMIZERS.serialize(self.inner_optimizer),
            "initial_scale": self.initial_scale,
            "dynamic_growth_steps": self.dynamic_growth_steps,
        }

    @classmethod
    def from_config(
        cls, config: dict[str, Any], custom_objects: dict | None = None
    ) -> LossScaleOptimizer:
        config = dict(config)
        inner = OPTIMIZERS.deserialize(config.pop("inner_optimizer"), custom_objects)
        return cls(inner, **config)
