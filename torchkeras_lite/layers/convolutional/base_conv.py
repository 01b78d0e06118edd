"""`BaseConv`: the N-D convolution behind Conv1D/2D/3D."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import torch

from torchkeras_lite import constraints, initializers, regularizers
from torchkeras_lite.layers.convolutional import conv_utils
from torchkeras_lite.layers.convolutional.conv_geometry import ConvGeometry
from torchkeras_lite.ops import convolution as conv_ops


class BaseConv(ConvGeometry):
    """The N-D convolution behind Conv1D/2D/3D (see `Conv2D` for the arguments).

    Weights: `kernel` of shape `(*kernel_size, in_channels // groups, filters)` and, with
    `use_bias`, `bias` of shape `(filters,)`.
    """

    def __init__(
        self,
        rank: int,
        filters: int,
        kernel_size: int | Sequence[int],
        strides: int | Sequence[int] = 1,
        padding: str = "valid",
        data_format: str | None = None,
        dilation_rate: int | Sequence[int] = 1,
        groups: int = 1,
        activation: Any = None,
        use_bias: bool = True,
        kernel_initializer: Any = "glorot_uniform",
        bias_initializer: Any = "zeros",
        kernel_regularizer: Any = None,
        bias_regularizer: Any = None,
        activity_regularizer: Any = None,
        kernel_constraint: Any = None,
        bias_constraint: Any = None,
        **kwargs: Any,
    ):
        filters = conv_utils.check_positive_int(filters, "filters")
        groups = conv_utils.check_positive_int(groups, "groups")
        if filters % groups != 0:
            raise ValueError(
                "The number of filters must be evenly divisible by the number of groups. "
                f"Received: groups={groups}, filters={filters}"
            )
        super().__init__(activity_regularizer=activity_regularizer, **kwargs)
        self._init_geometry(
            rank,
            kernel_size,
            strides,
            padding,
            data_format,
            dilation_rate,
            activation,
            use_bias,
            allow_causal=rank == 1,
        )
        self._check_strides_and_dilation()
        self.filters = filters
        self.groups = groups
        self.kernel_initializer = initializers.get(kernel_initializer)
        self.bias_initializer = initializers.get(bias_initializer)
        self.kernel_regularizer = regularizers.get(kernel_regularizer)
        self.bias_regularizer = regularizers.get(bias_regularizer)
        self.kernel_constraint = constraints.get(kernel_constraint)
        self.bias_constraint = constraints.get(bias_constraint)

    def build(self, input_shape: Sequence[int | None]) -> None:
        channels = self._input_channels(input_shape)
        if channels % self.groups != 0:
            raise ValueError(
                "The number of input channels must be evenly divisible by the number of groups. "
                f"Received: groups={self.groups}, input_shape={tuple(input_shape)}"
            )
        self.compute_output_shape(input_shape)  # validates the window against the input
        self._set_input_spec(channels)
        self.kernel = self.add_weight(
            shape=(*self.kernel_size, channels // self.groups, self.filters),
            initializer=self.kernel_initializer,
            regularizer=self.kernel_regularizer,
            constraint=self.kernel_constraint,
            name="kernel",
        )
        if self.use_bias:
            self.bias = self.add_weight(
                shape=(self.filters,),
                initializer=self.bias_initializer,
                regularizer=self.bias_regularizer,
                constraint=self.bias_constraint,
                name="bias",
            )
        else:
            self.bias = None
        self._prepare_plans(input_shape)

    def _make_plan(self, spatial: Sequence[int | None]) -> conv_ops.ConvPlan:
        return conv_ops.conv_plan(
            self.rank,
            self.kernel_size,
            self.strides,
            self.padding,
            self.dilation_rate,
            self.groups,
            self.data_format,
            spatial,
        )

    def call(self, inputs: torch.Tensor) -> torch.Tensor:
        plan = self._plan(inputs)
        weight = self._weight(self.kernel, plan)
        return self._finish(conv_ops.conv_apply(inputs, self.kernel, self.bias, plan, weight))

    def compute_output_shape(self, input_shape: Sequence[int | None]) -> tuple[int | None, ...]:
        return self._conv_output_shape(input_shape, self.filters)

    def get_config(self) -> dict[str, Any]:
        return {
            **super().get_config(),
            "filters": self.filters,
            **self._geometry_config(),
            "groups": self.groups,
            **self._output_config(),
            "kernel_initializer": initializers.serialize(self.kernel_initializer),
            "bias_initializer": initializers.serialize(self.bias_initializer),
            "kernel_regularizer": regularizers.serialize(self.kernel_regularizer),
            "bias_regularizer": regularizers.serialize(self.bias_regularizer),
            "activity_regularizer": regularizers.serialize(self.activity_regularizer),
            "kernel_constraint": constraints.serialize(self.kernel_constraint),
            "bias_constraint": constraints.serialize(self.bias_constraint),
        }
