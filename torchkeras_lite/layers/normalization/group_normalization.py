"""`GroupNormalization`: normalizes groups of channels per sample (torch's fused group norm)."""

from __future__ import annotations

from typing import Any

import torch
import torch.nn.functional as F

from torchkeras_lite import constraints, initializers, regularizers
from torchkeras_lite.layers.input_spec import InputSpec
from torchkeras_lite.layers.layer import Layer


def group_normalization(
    x: torch.Tensor,
    groups: int,
    axis: int,
    gamma: torch.Tensor | None,
    beta: torch.Tensor | None,
    epsilon: float,
) -> torch.Tensor:
    """Normalizes each sample's channel groups (channels on `axis`) to zero mean and unit
    variance, then scales by `gamma` and shifts by `beta` (per channel).

    Runs `F.group_norm` on a view with the channels at dim 1: for channels-last images that view
    is torch's `channels_last` layout, which the kernel handles without a copy.
    """
    axis = axis % x.dim()
    dtype = x.dtype
    if dtype in (torch.float16, torch.bfloat16):  # statistics in float32, as Keras computes them
        x = x.float()
        gamma = gamma.float() if gamma is not None else None
        beta = beta.float() if beta is not None else None
    moved = x if axis == 1 else x.movedim(axis, 1)
    if axis != 1 and x.dim() > 3 and not x.requires_grad and torch.is_grad_enabled():
        # torch's channels-last group-norm backward crashes (CPU, torch 2.13) when only gamma/
        # beta need gradients: give it a contiguous input in that case.
        if any(w is not None and w.requires_grad for w in (gamma, beta)):
            moved = moved.contiguous()
    if gamma is None and beta is not None:  # torch's backward fails for a bias without weight
        out = F.group_norm(moved, groups, None, None, epsilon)
        out = out + beta.reshape(-1, *([1] * (x.dim() - 2)))
    else:
        out = F.group_norm(moved, groups, gamma, beta, epsilon)
    out = out if axis == 1 else out.movedim(1, axis)
    return out.to(dtype) if out.dtype != dtype else out


class GroupNormalization(Layer):
    """Group normalization: the channels (on `axis`) are split into `groups` groups and each
    group is normalized over its channels and all non-batch positions, per sample.

    `groups=-1` is instance normalization (one channel per group); `groups=1` normalizes over
    all channels like LayerNormalization over the sample. Masks pass through.

    Args:
        groups: number of groups; must divide the number of channels (-1: one per channel).
        axis: the channel axis.
        epsilon: small float added to the variance.
        center: add the learned offset `beta`.
        scale: multiply by the learned scale `gamma`.
        beta_initializer: initializer for `beta`.
        gamma_initializer: initializer for `gamma`.
        beta_regularizer: regularizer for `beta`.
        gamma_regularizer: regularizer for `gamma`.
        beta_constraint: constraint for `beta`.
        gamma_constraint: constraint for `gamma`.
        **kwargs: base layer arguments (`name`, `dtype`, ...).

    Input shape:
        any rank >= 2, with a known size on `axis`.

    Output shape:
        the input shape.

    Example:
        >>> gn = keras.layers.GroupNormalization(groups=2)
        >>> gn(torch.randn(4, 8, 8, 6)).shape
        torch.Size([4, 8, 8, 6])
    """

    def __init__(
        self,
        groups: int = 32,
        axis: int = -1,
        epsilon: float = 1e-3,
        center: bool = True,
        scale: bool = True,
        beta_initializer: Any = "zeros",
        gamma_initializer: Any = "ones",
        beta_regularizer: Any = None,
        gamma_regularizer: Any = None,
        beta_constraint: Any = None,
        gamma_constraint: Any = None,
        **kwargs: Any,
    ):
        if (
            not isinstance(groups, int)
            or isinstance(groups, bool)
            or (groups <= 0 and groups != -1)
        ):
            raise ValueError(
                "Received an invalid value for argument `groups`, expected a positive integer "
                f"(or `-1` for instance normalization). Received: groups={groups!r}"
            )
        if not isinstance(axis, int) or isinstance(axis, bool):
            raise ValueError(
                f"Argument `axis` of GroupNormalization must be an int. Received: axis={axis!r}"
            )
        super().__init__(**kwargs)
        self.supports_masking = True
        self.autocast = False
        self.groups = groups
        self.axis = axis
        self.epsilon = epsilon
        self.center = bool(center)
        self.scale = bool(scale)
        self.beta_initializer = initializers.get(beta_initializer)
        self.gamma_initializer = initializers.get(gamma_initializer)
        self.beta_regularizer = regularizers.get(beta_regularizer)
        self.gamma_regularizer = regularizers.get(gamma_regularizer)
        self.beta_constraint = constraints.get(beta_constraint)
        self.gamma_constraint = constraints.get(gamma_constraint)

    def build(self, input_shape: tuple) -> None:
        rank = len(input_shape)
        if not -rank <= self.axis < rank or self.axis % rank == 0:
            raise ValueError(
                f"Axis {self.axis} is not a channel axis of the {rank}D input. "
                f"Received: axis={self.axis}, input_shape={tuple(input_shape)}"
            )
        dim = input_shape[self.axis]
        if dim is None:
            raise ValueError(
                f"Axis {self.axis} of the input should have a defined dimension. "
                f"Received: input_shape={tuple(input_shape)}"
            )
        groups = dim if self.groups == -1 else self.groups
        if dim < groups or dim % groups != 0:
            raise ValueError(
                f"The number of channels ({dim}) must be a multiple of the number of groups, and "
                f"at least as large. Received: groups={self.groups}"
            )
        self._num_groups = groups
        self.input_spec = InputSpec(ndim=rank, axes={self.axis: dim})
        if self.scale:
            self.gamma = self.add_weight(
                shape=(dim,),
                initializer=self.gamma_initializer,
                regularizer=self.gamma_regularizer,
                constraint=self.gamma_constraint,
                name="gamma",
            )
        else:
            self.gamma = None
        if self.center:
            self.beta = self.add_weight(
                shape=(dim,),
                initializer=self.beta_initializer,
                regularizer=self.beta_regularizer,
                constraint=self.beta_constraint,
                name="beta",
            )
        else:
            self.beta = None

    def call(self, inputs: torch.Tensor) -> torch.Tensor:
        out = group_normalization(
            inputs, self._num_groups, self.axis, self.gamma, self.beta, self.epsilon
        )
        compute = self.dtype_policy.compute_torch_dtype
        return out.to(compute) if out.dtype != compute else out

    def compute_output_shape(self, input_shape: Any) -> Any:
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
            "groups": self.groups,
            "axis": self.axis,
            "epsilon": self.epsilon,
            "center": self.center,
            "scale": self.scale,
            "beta_initializer": initializers.serialize(self.beta_initializer),
            "gamma_initializer": initializers.serialize(self.gamma_initializer),
            "beta_regularizer": regularizers.serialize(self.beta_regularizer),
            "gamma_regularizer": regularizers.serialize(self.gamma_regularizer),
            "beta_constraint": constraints.serialize(self.beta_constraint),
            "gamma_constraint": constraints.serialize(self.gamma_constraint),
        }
