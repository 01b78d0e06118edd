"""`BatchNormalization`: normalizes with batch statistics in training, moving statistics otherwise."""

from __future__ import annotations

from typing import Any

import torch

from torchkeras_lite import constraints, initializers, regularizers
from torchkeras_lite.backend import config
from torchkeras_lite.layers.input_spec import InputSpec
from torchkeras_lite.layers.layer import Layer
from torchkeras_lite.ops.nn import (
    batch_normalization,
    batch_normalization_training,
    masked_moments,
    moments,
)

_LOW_PRECISION = (torch.float16, torch.bfloat16)


class BatchNormalization(Layer):
    """Normalizes its inputs per channel (`axis`), as Keras does.

    In training (`training=True`) it uses the mean and the biased variance of the current batch
    over every axis but `axis`, and updates the moving statistics:
    `moving = moving * momentum + batch_stat * (1 - momentum)` (the *biased* batch variance, as in
    Keras; torch's `BatchNorm` uses the unbiased one). At inference it uses the moving
    statistics. Output: `gamma * (x - mean) / sqrt(var + epsilon) + beta`.

    With `layer.trainable = False` the layer runs in inference mode even when `training=True`
    (Keras' fine-tuning semantics): its moving statistics are frozen too. Computation runs in
    float32 for float16/bfloat16 inputs, with torch's fused batch-norm kernels.

    Args:
        axis: the channel axis (default -1, channels last).
        momentum: momentum of the moving statistics.
        epsilon: small float added to the variance.
        center: add the offset `beta`.
        scale: multiply by `gamma`.
        beta_initializer, gamma_initializer, moving_mean_initializer,
            moving_variance_initializer: initializers.
        beta_regularizer, gamma_regularizer: regularizers.
        beta_constraint, gamma_constraint: constraints.
        synchronized: compute the batch statistics over all processes of the default
            `torch.distributed` process group (a single process when none is initialized).
        **kwargs: base layer arguments (`name`, `dtype`, ...).

    Input shape:
        any rank; `input_shape[axis]` channels.

    Output shape:
        the input shape.

    Example:
        >>> bn = keras.layers.BatchNormalization()
        >>> out = bn(torch.randn(64, 3) * 5 + 2, training=True)
        >>> bool(out.mean(0).abs().max() < 1e-5), bn.moving_mean.shape
        (True, torch.Size([3]))
    """

    def __init__(
        self,
        axis: int = -1,
        momentum: float = 0.99,
        epsilon: float = 1e-3,
        center: bool = True,
        scale: bool = True,
        beta_initializer: Any = "zeros",
        gamma_initializer: Any = "ones",
        moving_mean_initializer: Any = "zeros",
        moving_variance_initializer: Any = "ones",
        beta_regularizer: Any = None,
        gamma_regularizer: Any = None,
        beta_constraint: Any = None,
        gamma_constraint: Any = None,
        synchronized: bool = False,
        **kwargs: Any,
    ):
        if isinstance(axis, bool) or not isinstance(axis, int):
            raise TypeError(f"Expected an int for the argument `axis`. Received: axis={axis!r}")
        if not 0.0 <= float(momentum) <= 1.0:
            raise ValueError(
                f"Argument `momentum` must be a float in [0, 1]. Received: momentum={momentum!r}"
            )
        super().__init__(**kwargs)
        self.axis = int(axis)
        self.momentum = float(momentum)
        self.epsilon = float(epsilon)
        self.center = bool(center)
        self.scale = bool(scale)
        self.synchronized = bool(synchronized)
        self.beta_initializer = initializers.get(beta_initializer)
        self.gamma_initializer = initializers.get(gamma_initializer)
        self.moving_mean_initializer = initializers.get(moving_mean_initializer)
        self.moving_variance_initializer = initializers.get(moving_variance_initializer)
        self.beta_regularizer = regularizers.get(beta_regularizer)
        self.gamma_regularizer = regularizers.get(gamma_regularizer)
        self.beta_constraint = constraints.get(beta_constraint)
        self.gamma_constraint = constraints.get(gamma_constraint)
        self.supports_masking = True

    def build(self, input_shape: tuple) -> None:
        rank = len(input_shape)
        if not -rank <= self.axis < rank:
            raise ValueError(
                f"Axis {self.axis} is out of bounds for input shape {tuple(input_shape)}. "
                f"Received: axis={self.axis}"
            )
        shape = (input_shape[self.axis],)
        if self.scale:
            self.gamma = self.add_weight(
                shape=shape,
                name="gamma",
                initializer=self.gamma_initializer,
                regularizer=self.gamma_regularizer,
                constraint=self.gamma_constraint,
            )
        else:
            self.gamma = None
        if self.center:
            self.beta = self.add_weight(
                shape=shape,
                name="beta",
                initializer=self.beta_initializer,
                regularizer=self.beta_regularizer,
                constraint=self.beta_constraint,
            )
        else:
            self.beta = None
        self.moving_mean = self.add_weight(
            shape=shape,
            name="moving_mean",
            initializer=self.moving_mean_initializer,
            trainable=False,
        )
        self.moving_variance = self.add_weight(
            shape=shape,
            name="moving_variance",
            initializer=self.moving_variance_initializer,
            trainable=False,
        )
        self.input_spec = InputSpec(ndim=rank, axes={self.axis: input_shape[self.axis]})
        self._reduction_axes = [a for a in range(rank) if a != self.axis % rank]

    def call(
        self, inputs: torch.Tensor, training: bool | None = None, mask: torch.Tensor | None = None
    ) -> torch.Tensor:
        if mask is not None and mask.dim() != inputs.dim() - 1:
            raise ValueError(
                "The mask provided should be one dimension less than the inputs. Received: "
                f"mask.shape={tuple(mask.shape)}, inputs.shape={tuple(inputs.shape)}"
            )
        x = inputs.float() if inputs.dtype in _LOW_PRECISION else inputs
        gamma = (
            self.gamma
            if self.gamma is None or self.gamma.dtype == x.dtype
            else self.gamma.to(x.dtype)
        )
        beta = (
            self.beta if self.beta is None or self.beta.dtype == x.dtype else self.beta.to(x.dtype)
        )
        if training and self._trainable:
            if mask is None and not self.synchronized:
                out, mean, variance = batch_normalization_training(
                    x, self.axis, beta, gamma, self.epsilon
                )
            else:
                if mask is not None:
                    mean, variance = masked_moments(x, mask, self._reduction_axes, config.epsilon())
                else:
                    mean, variance = moments(x, self._reduction_axes, synchronized=True)
                out = batch_normalization(x, mean, variance, self.axis, beta, gamma, self.epsilon)
            self._update_moving_statistics(mean, variance)
        else:
            out = batch_normalization(
                x,
                self.moving_mean.to(x.dtype),
                self.moving_variance.to(x.dtype),
                self.axis,
                beta,
                gamma,
                self.epsilon,
            )
        return out.to(inputs.dtype) if out.dtype != inputs.dtype else out

    @torch.no_grad()
    def _update_moving_statistics(self, mean: torch.Tensor, variance: torch.Tensor) -> None:
        m = self.momentum
        self.moving_mean.mul_(m).add_(mean.detach().to(self.moving_mean.dtype), alpha=1.0 - m)
        self.moving_variance.mul_(m).add_(
            variance.detach().to(self.moving_variance.dtype), alpha=1.0 - m
        )

    def compute_output_shape(self, input_shape: tuple) -> tuple:
        rank = len(input_shape)
        if not -rank <= self.axis < rank:
            raise ValueError(
                f"Axis {self.axis} is out of bounds for input shape {tuple(input_shape)}. "
                f"Received: axis={self.axis}"
            )
        return input_shape

    def get_config(self) -> dict[str, Any]:
        return {
            **super().get_config(),
            "axis": self.axis,
            "momentum": self.momentum,
            "epsilon": self.epsilon,
            "center": self.center,
            "scale": self.scale,
            "beta_initializer": initializers.serialize(self.beta_initializer),
            "gamma_initializer": initializers.serialize(self.gamma_initializer),
            "moving_mean_initializer": initializers.serialize(self.moving_mean_initializer),
            "moving_variance_initializer": initializers.serialize(self.moving_variance_initializer),
            "beta_regularizer": regularizers.serialize(self.beta_regularizer),
            "gamma_regularizer": regularizers.serialize(self.gamma_regularizer),
            "beta_constraint": constraints.serialize(self.beta_constraint),
            "gamma_constraint": constraints.serialize(self.gamma_constraint),
            "synchronized": self.synchronized,
        }
