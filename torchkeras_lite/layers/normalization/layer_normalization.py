"""`LayerNormalization`: normalizes each sample over its feature axes."""

from __future__ import annotations

import warnings
from typing import Any

import torch

from torchkeras_lite import constraints, initializers, regularizers
from torchkeras_lite.layers.layer import Layer
from torchkeras_lite.ops.nn import layer_normalization

_LOW_PRECISION = (torch.float16, torch.bfloat16)


class LayerNormalization(Layer):
    """Normalizes each sample independently over `axis`, then scales by `gamma`, shifts by `beta`.

    `out = gamma * (x - mean) / sqrt(var + epsilon) + beta`, the statistics taken over `axis` of
    each sample (biased variance). Trailing axes run torch's fused `F.layer_norm`. Computation is
    in float32 for float16/bfloat16 inputs. Masks pass through.

    Args:
        axis: an int or a list of ints, the axes to normalize over (default -1, the features).
        epsilon: small float added to the variance.
        center: add the offset `beta`.
        scale: multiply by `gamma`.
        rms_scaling: deprecated in Keras (kept for compatibility, with Keras' warning): divide by
            `sqrt(var + epsilon)` without centering and add no `beta`.
        beta_initializer, gamma_initializer: initializers.
        beta_regularizer, gamma_regularizer: regularizers.
        beta_constraint, gamma_constraint: constraints.
        **kwargs: base layer arguments (`name`, `dtype`, ...).

    Input shape:
        any rank.

    Output shape:
        the input shape.

    Example:
        >>> out = keras.layers.LayerNormalization()(torch.tensor([[1.0, 2.0, 3.0]]))
        >>> [round(v, 3) for v in out[0].tolist()]
        [-1.224, 0.0, 1.224]
    """

    def __init__(
        self,
        axis: int | list[int] = -1,
        epsilon: float = 1e-3,
        center: bool = True,
        scale: bool = True,
        rms_scaling: bool = False,
        beta_initializer: Any = "zeros",
        gamma_initializer: Any = "ones",
        beta_regularizer: Any = None,
        gamma_regularizer: Any = None,
        beta_constraint: Any = None,
        gamma_constraint: Any = None,
        **kwargs: Any,
    ):
        if isinstance(axis, (list, tuple)) and all(isinstance(a, int) for a in axis):
            axis = list(axis)
        elif isinstance(axis, bool) or not isinstance(axis, int):
            raise TypeError(
                "Expected an int or a list/tuple of ints for the argument 'axis'. "
                f"Received: axis={axis!r}"
            )
        if rms_scaling:
            warnings.warn(
                "You passed `rms_scaling=True`, which is deprecated in Keras: it scales the input "
                "by the variance, not the root mean square.",
                stacklevel=2,
            )
        super().__init__(**kwargs)
        self.axis = axis
        self.epsilon = float(epsilon)
        self.center = bool(center)
        self.scale = bool(scale)
        self.rms_scaling = bool(rms_scaling)
        self.beta_initializer = initializers.get(beta_initializer)
        self.gamma_initializer = initializers.get(gamma_initializer)
        self.beta_regularizer = regularizers.get(beta_regularizer)
        self.gamma_regularizer = regularizers.get(gamma_regularizer)
        self.beta_constraint = constraints.get(beta_constraint)
        self.gamma_constraint = constraints.get(gamma_constraint)
        self.supports_masking = True
        self.autocast = False

    def _axes(self, input_shape: tuple) -> list[int]:
        rank = len(input_shape)
        axes = self.axis if isinstance(self.axis, list) else [self.axis]
        for a in axes:
            if not -rank <= a < rank:
                raise ValueError(
                    f"Axis {a} is out of bounds for input shape {tuple(input_shape)}. "
                    f"Received: axis={self.axis}"
                )
        return sorted(a % rank for a in axes)

    def build(self, input_shape: tuple) -> None:
        self._norm_axes = self._axes(input_shape)
        shape = tuple(input_shape[a] for a in self._norm_axes)
        if self.scale or self.rms_scaling:
            self.gamma = self.add_weight(
                name="gamma",
                shape=shape,
                initializer=self.gamma_initializer,
                regularizer=self.gamma_regularizer,
                constraint=self.gamma_constraint,
            )
        else:
            self.gamma = None
        if self.center and not self.rms_scaling:
            self.beta = self.add_weight(
                name="beta",
                shape=shape,
                initializer=self.beta_initializer,
                regularizer=self.beta_regularizer,
                constraint=self.beta_constraint,
            )
        else:
            self.beta = None

    def call(self, inputs: torch.Tensor) -> torch.Tensor:
        x = inputs.float() if inputs.dtype in _LOW_PRECISION else inputs
        gamma = (
            self.gamma
            if self.gamma is None or self.gamma.dtype == x.dtype
            else self.gamma.to(x.dtype)
        )
        beta = (
            self.beta if self.beta is None or self.beta.dtype == x.dtype else self.beta.to(x.dtype)
        )
        out = layer_normalization(x, gamma, beta, self._norm_axes, self.epsilon, self.rms_scaling)
        compute = self._dtype_policy.compute_torch_dtype
        return out if out.dtype == compute else out.to(compute)

    def compute_output_shape(self, input_shape: tuple) -> tuple:
        self._axes(input_shape)
        return input_shape

    def get_config(self) -> dict[str, Any]:
        return {
            **super().get_config(),
            "axis": self.axis,
            "epsilon": self.epsilon,
            "center": self.center,
            "scale": self.scale,
            "rms_scaling": self.rms_scaling,
            "beta_initializer": initializers.serialize(self.beta_initializer),
            "gamma_initializer": initializers.serialize(self.gamma_initializer),
            "beta_regularizer": regularizers.serialize(self.beta_regularizer),
            "gamma_regularizer": regularizers.serialize(self.gamma_regularizer),
            "beta_constraint": constraints.serialize(self.beta_constraint),
            "gamma_constraint": constraints.serialize(self.gamma_constraint),
        }
