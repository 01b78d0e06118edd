"""`AttentionProjection`: the EinsumDense-shaped projections of the multi-head attention layers."""

from __future__ import annotations

import math
from typing import Any

import torch

from torchkeras_lite import ops
from torchkeras_lite.layers.layer import Layer


def clone_initializer(initializer: Any) -> Any:
    """A fresh copy of an initializer object (plain callables are shared)."""
    clone = getattr(initializer, "clone", None)
    return clone() if clone is not None else initializer


class AttentionProjection(Layer):
    """A dense projection with an EinsumDense-shaped kernel `(*in_dims, *out_dims)` and bias
    `(*out_dims)`: the last `len(in_dims)` input axes contract into `out_dims` axes.

    MultiHeadAttention's `query`/`key`/`value` projections (`in_dims=(dim,)`,
    `out_dims=(heads, key_dim)`) and its `attention_output` projection
    (`in_dims=(heads, value_dim)`, `out_dims=output_shape`) are of this kind. The weights are
    made at construction (their shapes are known), so it is built from the start.

    Args:
        in_dims: the sizes of the contracted (trailing) input axes.
        out_dims: the sizes of the output axes replacing them.
        use_bias: whether to add a bias of shape `out_dims`.
        kernel_initializer: initializer for the kernel.
        bias_initializer: initializer for the bias.
        kernel_regularizer: regularizer for the kernel.
        bias_regularizer: regularizer for the bias.
        kernel_constraint: constraint for the kernel.
        bias_constraint: constraint for the bias.
        **kwargs: base layer arguments (`name`, `dtype`, ...).

    Input shape:
        `(batch, ..., *in_dims)`.

    Output shape:
        `(batch, ..., *out_dims)`.

    Example:
        >>> proj = AttentionProjection((4,), (2, 3), name="query")
        >>> proj(torch.ones(1, 5, 4)).shape
        torch.Size([1, 5, 2, 3])
    """

    def __init__(
        self,
        in_dims: tuple[int, ...],
        out_dims: tuple[int, ...],
        use_bias: bool = True,
        kernel_initializer: Any = "glorot_uniform",
        bias_initializer: Any = "zeros",
        kernel_regularizer: Any = None,
        bias_regularizer: Any = None,
        kernel_constraint: Any = None,
        bias_constraint: Any = None,
        **kwargs: Any,
    ):
        super().__init__(**kwargs)
        self.in_dims = tuple(int(d) for d in in_dims)
        self.out_dims = tuple(int(d) for d in out_dims)
        self.in_size = math.prod(self.in_dims)
        self.out_size = math.prod(self.out_dims)
        self.kernel = self.add_weight(
            shape=self.in_dims + self.out_dims,
            initializer=kernel_initializer,
            regularizer=kernel_regularizer,
            constraint=kernel_constraint,
            name="kernel",
        )
        if use_bias:  # (not pre-set to None: an attribute set first would shadow the weight)
            self.bias = self.add_weight(
                shape=self.out_dims,
                initializer=bias_initializer,
                regularizer=bias_regularizer,
                constraint=bias_constraint,
                name="bias",
            )
        else:
            self.bias = None

    def project(self, x: torch.Tensor) -> torch.Tensor:
        """`(..., in_size)` (the input axes flattened) times the kernel: `(..., out_size)`."""
        bias = self.bias.view(self.out_size) if self.bias is not None else None
        return ops.dense(x, self.kernel.view(self.in_size, self.out_size), bias)

    def call(self, inputs: torch.Tensor) -> torch.Tensor:
        if len(self.in_dims) > 1:
            inputs = inputs.reshape(*inputs.shape[: -len(self.in_dims)], self.in_size)
        out = self.project(inputs)
        return out.view(*out.shape[:-1], *self.out_dims)

    def compute_output_shape(self, input_shape: tuple) -> tuple:
        return (*tuple(input_shape)[: -len(self.in_dims)], *self.out_dims)
