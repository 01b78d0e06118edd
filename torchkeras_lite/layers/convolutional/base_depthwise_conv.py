"""`BaseDepthwiseConv`: the depthwise convolution behind DepthwiseConv1D/2D."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import torch

from torchkeras_lite import constraints, initializers, regularizers
from torchkeras_lite.layers.convolutional import conv_utils
from torchkeras_lite.layers.convolutional.conv_geometry import ConvGeometry
from torchkeras_lite.ops import convolution as conv_ops


class BaseDepthwiseConv(ConvGeometry):
    """N-D depthwise convolution (see `DepthwiseConv2D` for the arguments).

    Each input channel is convolved with its own `depth_multiplier` filters (a grouped
    convolution with one group per channel). Weights: `kernel` of shape
    `(*kernel_size, in_channels, depth_multiplier)` (Keras' layout) and, with `use_bias`,
    `bias` of shape `(in_channels * depth_multiplier,)`; output channel `c * depth_multiplier + m`
    is filter `m` of input channel `c`.
    """

    def __init__(
        self,
        rank: int,
        depth_multiplier: int,
        kernel_size: int | Sequence[int],
        strides: int | Sequence[int] = 1,
        padding: str = "valid",
        data_format: str | None = None,
        dilation_rate: int | Sequence[int] = 1,
        activation: Any = None,
        use_bias: bool = True,
        depthwise_initializer: Any = "glorot_uniform",
        bias_initializer: Any = "zeros",
        depthwise_regularizer: Any = None,
        bias_regularizer: Any = None,
        activity_regularizer: Any = None,
        depthwise_constraint: Any = None,
        bias_constraint: Any = None,
        **kwargs: Any,
    ):
        depth_multiplier = conv_utils.check_positive_int(depth_multiplier, "depth_multiplier")
        super().__init__(activity_regularizer=activity_regularizer, **kwargs)
        self._init_geometry(
            rank, kernel_size, strides, padding, data_format, dilation_rate, activation, use_bias
        )
        self.depth_multiplier = depth_multiplier
        self.depthwise_initializer = initializers.get(depthwise_initializer)
        self.bias_initializer = initializers.get(bias_initializer)
        self.depthwise_regularizer = regularizers.get(depthwise_regularizer)
        self.bias_regularizer = regularizers.get(bias_regularizer)
        self.depthwise_constraint = constraints.get(depthwise_constraint)
        self.bias_constraint = constraints.get(bias_constraint)
        self._channels: int | None = None

    def build(self, input_shape: Sequence[int | None]) -> None:
        channels = self._input_channels(input_shape)
        self._channels = channels
        self.compute_output_shape(input_shape)
        self._set_input_spec(channels)
        self.kernel = self.add_weight(
            shape=(*self.kernel_size, channels, self.depth_multiplier),
            initializer=self.depthwise_initializer,
            regularizer=self.depthwise_regularizer,
            constraint=self.depthwise_constraint,
            name="kernel",
        )
        if self.use_bias:
            self.bias = self.add_weight(
                shape=(channels * self.depth_multiplier,),
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
            1,
            self.data_format,
            spatial,
            depthwise=(self._channels, self.depth_multiplier),
        )

    def call(self, inputs: torch.Tensor) -> torch.Tensor:
        plan = self._plan(inputs)
        weight = self._weight(self.kernel, plan)
        return self._finish(conv_ops.conv_apply(inputs, self.kernel, self.bias, plan, weight))

    def compute_output_shape(self, input_shape: Sequence[int | None]) -> tuple[int | None, ...]:
        channels = self._input_channels(input_shape)
        return self._conv_output_shape(input_shape, channels * self.depth_multiplier)

    def get_config(self) -> dict[str, Any]:
        return {
            **super().get_config(),
            "depth_multiplier": self.depth_multiplier,
            **self._geometry_config(),
            **self._output_config(),
            "depthwise_initializer": initializers.serialize(self.depthwise_initializer),
            "bias_initializer": initializers.serialize(self.bias_initializer),
            "depthwise_regularizer": regularizers.serialize(self.depthwise_regularizer),
            "bias_regularizer": regularizers.serialize(self.bias_regularizer),
            "activity_regularizer": regularizers.serialize(self.activity_regularizer),
            "depthwise_constraint": constraints.serialize(self.depthwise_constraint),
            "bias_constraint": constraints.serialize(self.bias_constraint),
        }
