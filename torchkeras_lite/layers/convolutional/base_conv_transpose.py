"""`BaseConvTranspose`: the transposed convolution behind Conv1DTranspose/2D/3D."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import torch

from torchkeras_lite import constraints, initializers, regularizers
from torchkeras_lite.layers.convolutional import conv_utils
from torchkeras_lite.layers.convolutional.conv_geometry import ConvGeometry
from torchkeras_lite.ops import convolution as conv_ops


class BaseConvTranspose(ConvGeometry):
    """The N-D transposed convolution (see `Conv2DTranspose` for the arguments).

    Weights: `kernel` of shape `(*kernel_size, filters, in_channels)` (Keras' layout) and, with
    `use_bias`, `bias` of shape `(filters,)`. The output window is Keras' (as TF and JAX): the
    full transposed convolution cropped by an amount fixed by the configuration, resolved into
    torch's `padding`/`output_padding` (plus a slice when the end is cropped more) at build time.
    """

    def __init__(
        self,
        rank: int,
        filters: int,
        kernel_size: int | Sequence[int],
        strides: int | Sequence[int] = 1,
        padding: str = "valid",
        output_padding: int | Sequence[int] | None = None,
        data_format: str | None = None,
        dilation_rate: int | Sequence[int] = 1,
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
        super().__init__(activity_regularizer=activity_regularizer, **kwargs)
        self._init_geometry(
            rank, kernel_size, strides, padding, data_format, dilation_rate, activation, use_bias
        )
        self.output_padding = None
        if output_padding is not None:
            self.output_padding = conv_utils.standardize_tuple(
                output_padding, rank, "output_padding", allow_zero=True
            )
            for op, s in zip(self.output_padding, self.strides):
                if op >= s:
                    raise ValueError(
                        "`output_padding` must be strictly less than `strides` for all "
                        f"dimensions. Received: output_padding={self.output_padding}, "
                        f"strides={self.strides}"
                    )
        self._check_strides_and_dilation()
        self._size_dependent = False  # the crop depends only on the configuration
        self.filters = filters
        self.kernel_initializer = initializers.get(kernel_initializer)
        self.bias_initializer = initializers.get(bias_initializer)
        self.kernel_regularizer = regularizers.get(kernel_regularizer)
        self.bias_regularizer = regularizers.get(bias_regularizer)
        self.kernel_constraint = constraints.get(kernel_constraint)
        self.bias_constraint = constraints.get(bias_constraint)

    def build(self, input_shape: Sequence[int | None]) -> None:
        channels = self._input_channels(input_shape)
        self.compute_output_shape(input_shape)
        self._set_input_spec(channels)
        self.kernel = self.add_weight(
            shape=(*self.kernel_size, self.filters, channels),
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
        return conv_ops.conv_transpose_plan(
            self.rank,
            self.kernel_size,
            self.strides,
            self.padding,
            self.output_padding,
            self.dilation_rate,
            self.data_format,
        )

    def call(self, inputs: torch.Tensor) -> torch.Tensor:
        plan = self._static_plan
        weight = self._weight(self.kernel, plan)
        return self._finish(conv_ops.conv_apply(inputs, self.kernel, self.bias, plan, weight))

    def compute_output_shape(self, input_shape: Sequence[int | None]) -> tuple[int | None, ...]:
        input_shape = tuple(input_shape)
        if len(input_shape) != self.rank + 2:
            raise ValueError(
                f"Layer '{self.name}' expects inputs of rank {self.rank + 2}. "
                f"Received: input_shape={input_shape}"
            )
        crops = conv_ops.transpose_crops(
            self.kernel_size, self.strides, self.padding, self.output_padding, self.dilation_rate
        )
        out = []
        for n, k, s, d, (left, right) in zip(
            self._spatial(input_shape), self.kernel_size, self.strides, self.dilation_rate, crops
        ):
            out.append(None if n is None else (n - 1) * s + (k - 1) * d + 1 - left - right)
        if self._channels_last:
            return (input_shape[0], *out, self.filters)
        return (input_shape[0], self.filters, *out)

    def get_config(self) -> dict[str, Any]:
        geometry = self._geometry_config()
        return {
            **super().get_config(),
            "filters": self.filters,
            "kernel_size": geometry["kernel_size"],
            "strides": geometry["strides"],
            "padding": geometry["padding"],
            "output_padding": self.output_padding,
            "data_format": geometry["data_format"],
            "dilation_rate": geometry["dilation_rate"],
            **self._output_config(),
            "kernel_initializer": initializers.serialize(self.kernel_initializer),
            "bias_initializer": initializers.serialize(self.bias_initializer),
            "kernel_regularizer": regularizers.serialize(self.kernel_regularizer),
            "bias_regularizer": regularizers.serialize(self.bias_regularizer),
            "activity_regularizer": regularizers.serialize(self.activity_regularizer),
            "kernel_constraint": constraints.serialize(self.kernel_constraint),
            "bias_constraint": constraints.serialize(self.bias_constraint),
        }
