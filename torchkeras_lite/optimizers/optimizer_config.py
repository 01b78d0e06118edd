"""Hyperparameters of `Optimizer`: the learning rate, weight-decay exclusions, `get_config`.

A mixin: the learning rate lives in torch's `param_groups[i]["lr"]` (so torch lr schedulers can edit
it) unless it comes from a `LearningRateSchedule` or a callable, evaluated once per step.
"""

from __future__ import annotations

import numbers
import re
from typing import Any

import torch

from torchkeras_lite.optimizers.schedules import learning_rate_schedule as lrs
from torchkeras_lite.saving.registry import serialize_keras_object


class OptimizerConfigMixin:
    """`learning_rate`, `exclude_from_weight_decay`, `get_config` / `from_config`."""

    @staticmethod
    def _validate_common_arguments(
        clipnorm,
        clipvalue,
        global_clipnorm,
        use_ema,
        ema_momentum,
        ema_overwrite_frequency,
        gradient_accumulation_steps,
    ) -> None:
        """Raises Keras' errors for inconsistent common optimizer arguments."""
        if gradient_accumulation_steps and not gradient_accumulation_steps >= 2:
            raise ValueError(
                "`gradient_accumulation_steps` must be an integer >= 2. "
                f"Received: gradient_accumulation_steps={gradient_accumulation_steps}"
            )
        if use_ema and not 0 <= ema_momentum <= 1:
            raise ValueError(
                f"`ema_momentum` must be in the range [0, 1]. Received: ema_momentum={ema_momentum}"
            )
        if (
            use_ema
            and ema_overwrite_frequency
            and (not isinstance(ema_overwrite_frequency, int) or ema_overwrite_frequency < 1)
        ):
            raise ValueError(
                "`ema_overwrite_frequency` must be an integer >= 1 or None. "
                f"Received: ema_overwrite_frequency={ema_overwrite_frequency}"
            )
        if sum(a is not None for a in (clipnorm, clipvalue, global_clipnorm)) > 1:
            raise ValueError(
                "Only one of `clipnorm`, `clipvalue` and `global_clipnorm` can be set. Received: "
                f"clipnorm={clipnorm}, clipvalue={clipvalue}, global_clipnorm={global_clipnorm}"
            )

    # -- learning rate --------------------------------------------------------------------------
    def _check_learning_rate(self, learning_rate: Any) -> Any:
        """Stores a schedule/callable as the rate's source; returns the rate's current value."""
        if isinstance(learning_rate, lrs.LearningRateSchedule) or (
            callable(learning_rate) and not isinstance(learning_rate, torch.Tensor)
        ):
            self._lr_source = learning_rate
            return self.learning_rate
        if isinstance(learning_rate, bool) or not isinstance(
            learning_rate, (numbers.Real, torch.Tensor)
        ):
            raise ValueError(
                "Argument `learning_rate` should be float, or an instance of LearningRateSchedule, or "
                "a callable (that takes in the current iteration value and returns the corresponding "
                f"learning rate value). Received instead: learning_rate={learning_rate!r}"
            )
        self._lr_source = None
        return learning_rate if isinstance(learning_rate, torch.Tensor) else float(learning_rate)

    @property
    def learning_rate(self) -> Any:
        """The current learning rate: a float for a constant rate, a schedule's value at `iterations`."""
        if isinstance(self._lr_source, lrs.LearningRateSchedule):
            return self._lr_source(self._iterations)
        if self._lr_source is not None:
            return self._lr_source()
        return self.param_groups[0]["lr"] if self.param_groups else self.defaults["lr"]

    @learning_rate.setter
    def learning_rate(self, value: Any) -> None:
        is_source = isinstance(value, lrs.LearningRateSchedule) or (
            callable(value) and not isinstance(value, torch.Tensor)
        )
        if isinstance(self._lr_source, lrs.LearningRateSchedule) and not is_source:
            raise TypeError(
                "This optimizer was created with a `LearningRateSchedule` object as its "
                "`learning_rate` constructor argument, hence its learning rate is not settable. If you "
                "need the learning rate to be settable, you should instantiate the optimizer with a "
                f"float `learning_rate` argument. Received: learning_rate={value!r}"
            )
        current = self._check_learning_rate(value)
        self.defaults["lr"] = current
        for group in self.param_groups:
            group["lr"] = current

    def _scheduled_lr(self) -> Any:
        """The rate from a schedule/callable for this step (written to the param groups), else None."""
        if self._lr_source is None:
            return None
        value = self.learning_rate
        for group in self.param_groups:
            group["lr"] = value
        return value

    # -- weight decay ---------------------------------------------------------------------------
    def exclude_from_weight_decay(
        self, var_list: list | None = None, var_names: list[str] | None = None
    ) -> None:
        """Excludes variables from weight decay: these objects, or any whose name contains a string.

        Args:
            var_list: variables to exclude.
            var_names: substrings (regular expressions) of the names to exclude, e.g. `["bias"]`.
        """
        self._exclude_ids = {id(v) for v in var_list or ()}
        self._exclude_pattern = re.compile("|".join(set(var_names))) if var_names else None
        self._decay_cache = {}

    def _use_weight_decay(self, param: torch.Tensor) -> bool:
        key = id(param)
        if key not in self._decay_cache:
            name = getattr(param, "name", None)
            excluded = key in self._exclude_ids or (
                self._exclude_pattern is not None
                and isinstance(name, str)
                and self._exclude_pattern.search(name)
            )
            self._decay_cache[key] = not excluded
        return self._decay_cache[key]

    # -- config ---------------------------------------------------------------------------------
    def get_config(self) -> dict[str, Any]:
        """The constructor arguments (a schedule is serialised, a constant rate is its current value)."""
        if isinstance(self._lr_source, lrs.LearningRateSchedule):
            learning_rate = lrs.SCHEDULES.serialize(self._lr_source)
        elif self._lr_source is not None:
            learning_rate = serialize_keras_object(self._lr_source)
        else:
            learning_rate = float(self.learning_rate)
        return {
            "name": self.name,
            "learning_rate": learning_rate,
            "weight_decay": self.weight_decay,
            "clipnorm": self.clipnorm,
            "global_clipnorm": self.global_clipnorm,
            "clipvalue": self.clipvalue,
            "use_ema": self.use_ema,
            "ema_momentum": self.ema_momentum,
            "ema_overwrite_frequency": self.ema_overwrite_frequency,
            "loss_scale_factor": self.loss_scale_factor,
            "gradient_accumulation_steps": self.gradient_accumulation_steps,
        }

    @classmethod
    def from_config(cls, config: dict[str, Any], custom_objects: dict | None = None) -> Any:
        """Creates an (unbuilt) optimizer from `get_config()`'s output."""
        config = dict(config)
        if isinstance(config.get("learning_rate"), dict):
            config["learning_rate"] = lrs.SCHEDULES.deserialize(
                config["learning_rate"], custom_objects
            )
        return cls(**config)
