"""`BaseSeparableConv`: the depthwise-separable convolution behind SeparableConv1D/2D."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import torch

from torchkeras_lite import constraints, initializers, regularizers
from torchkeras_lite.layers.convolutional import conv_utils
from torchkeras_lite.layers.convolutional.conv_geometry import ConvGeometry
from torchkeras_lite.ops import convolution as conv_ops


class BaseSeparableConv(ConvGeometry):
    """N-D separable convolution (see `SeparableConv2D` for the arguments).

    A depthwise convolution (the window, strides, padding and dilation) followed by a pointwise
    1x1 convolution mixing the channels into `filters` outputs. Weights (Keras' layouts):
    `depthwise_kernel` `(*kernel_size, in_channels, depth_multiplier)`, `pointwise_kernel`
    `(*(1,) * rank, in_channels * depth_multiplier, filters)` and `bias` `(filters,)`.
    """

    def __init__(
        self,
        rank: int,
        depth_multiplier: int,
        filters: int,
        kernel_size: int | Sequence[int],
        strides: int | Sequence[int] = 1,
        padding: str = "valid",
        data_format: str | None = None,
        dilation_rate: int | Sequence[int] = 1,
        activation: Any = None,
        use_bias: bool = True,
        depthwise_initializer: Any = "glorot_uniform",
        pointwise_initializer: Any = "glorot_uniform",
        bias_initializer: Any = "zeros",
        depthwise_regularizer: Any = None,
        pointwise_regularizer: Any = None,
        bias_regularizer: Any = None,
        activity_regularizer: Any = None,
        depthwise_constraint: Any = None,
        pointwise_constraint: Any = None,
        bias_constraint: Any = None,
        **kwargs: Any,
    ):
        depth_multiplier = conv_utils.check_positive_int(depth_multiplier, "depth_multiplier")
        filters = conv_utils.check_positive_int(filters, "filters")
        super().__init__(activity_regularizer=activity_regularizer, **kwargs)
        self._init_geometry(
            rank, kernel_size, strides, padding, data_format, dilation_rate, activation, use_bias
        )
        self.depth_multiplier = depth_multiplier
        self.filters = filters
        self.depthwise_initializer = initializers.get(depthwise_initializer)
        self.pointwise_initializer = initializers.get(pointwise_initializer)
        self.bias_initializer = initializers.get(bias_initializer)
        self.depthwise_regularizer = regularizers.get(depthwise_regularizer)
        self.pointwise_regularizer = regularizers.get(pointwise_regularizer)
        self.bias_regularizer = regularizers.get(bias_regularizer)
        self.depthwise_constraint = constraints.get(depthwise_constraint)
        self.pointwise_constraint = constraints.get(pointwise_constraint)
        self.bias_constraint = constraints.get(bias_constraint)
        self._channels: int | None = None
        self._pointwise_plan: conv_ops.ConvPlan | None = None

    def build(self, input_shape: Sequence[int | None]) -> None:
        channels = self._input_channels(input_shape)
        self._channels = channels
        self.compute_output_shape(input_shape)
        self._set_input_spec(channels)
        self.depthwise_kernel = self.add_weight(
            shape=(*self.kernel_size, channels, self.depth_multiplier),
            initializer=self.depthwise_initializer,
            regularizer=self.depthwise_regularizer,
            constraint=self.depthwise_constraint,
            name="depthwise_kernel",
        )
        self.pointwise_kernel = self.add_weight(
            shape=(*(1,) * self.rank, channels * self.depth_multiplier, self.filters),
            initializer=self.pointwise_initializer,
            regularizer=self.pointwise_regularizer,
            constraint=self.pointwise_constraint,
            name="pointwise_kernel",
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
        ones = (1,) * self.rank
        self._pointwise_plan = conv_ops.conv_plan(
            self.rank, ones, ones, "valid", ones, 1, self.data_format
        )
        self._prepare_plans(input_shape)

    def _make_plan(self, spatial: Sequence[int | None]) -> conv_ops.ConvPlan:
        return conv_ops.conv_plan(
            self.rank,
            self.kernel_size,
            self.strides,
            self.padding,
            self.dilation_rate,
            1,
            self.data_format,
            spatial,
            depthwise=(self._channels, self.depth_multiplier),
        )

    def call(self, inputs: torch.Tensor) -> torch.Tensor:
        plan, pointwise = self._plan(inputs), self._pointwise_plan
        depthwise_weight = self._weight(self.depthwise_kernel, plan)
        pointwise_weight = self._weight(self.pointwise_kernel, pointwise)
        hidden = conv_ops.conv_apply(inputs, self.depthwise_kernel, None, plan, depthwise_weight)
        outputs = conv_ops.conv_apply(
            hidden, self.pointwise_kernel, self.bias, pointwise, pointwise_weight
        )
        return self._finish(outputs)

    def compute_output_shape(self, input_shape: Sequence[int | None]) -> tuple[int | None, ...]:
        return self._conv_output_shape(input_shape, self.filters)

    def get_config(self) -> dict[str, Any]:
        return {
            **super().get_config(),
            "depth_multiplier": self.depth_multiplier,
            "filters": self.filters,
            **self._geometry_config(),
            **self._output_config(),
            "depthwise_initializer": initializers.serialize(self.depthwise_initializer),
            "pointwise_initializer": initializers.serialize(self.pointwise_initializer),
            "bias_initializer": initializers.serialize(self.bias_initializer),
            "depthwise_regularizer": regularizers.serialize(self.depthwise_regularizer),
            "pointwise_regularizer": regularizers.serialize(self.pointwise_regularizer),
            "bias_regularizer": regularizers.serialize(self.bias_regularizer),
            "activity_regularizer": regularizers.serialize(self.activity_regularizer),
            "depthwise_constraint": constraints.serialize(self.depthwise_constraint),
            "pointwise_constraint": constraints.serialize(self.pointwise_constraint),
            "bias_constraint": constraints.serialize(self.bias_constraint),
        }
