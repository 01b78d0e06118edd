"""`BasePooling`: the max/average pooling behind MaxPooling1D/2D/3D and AveragePooling1D/2D/3D."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import torch

from torchkeras_lite.layers.convolutional import conv_utils
from torchkeras_lite.layers.input_spec import InputSpec
from torchkeras_lite.layers.layer import Layer
from torchkeras_lite.ops import pooling as pool_ops

_POOL_MODES = ("max", "average")


class BasePooling(Layer):
    """N-D max or average pooling (see `MaxPooling2D` for the arguments).

    "same" follows Keras: the odd padding pixel goes at the end, max pooling treats padding as
    -inf and average pooling leaves it out of the count. The torch arguments are resolved once
    (per input size only for "same" with strides > 1).
    """

    def __init__(
        self,
        pool_size: int | Sequence[int],
        strides: int | Sequence[int] | None,
        pool_dimensions: int,
        pool_mode: str = "max",
        padding: str = "valid",
        data_format: str | None = None,
        name: str | None = None,
        **kwargs: Any,
    ):
        if pool_mode not in _POOL_MODES:
            raise ValueError(
                f"`pool_mode` must be one of {_POOL_MODES}. Received: pool_mode={pool_mode!r}"
            )
        rank = pool_dimensions
        pool_size = conv_utils.standardize_tuple(pool_size, rank, "pool_size")
        strides = pool_size if strides is None else strides
        strides = conv_utils.standardize_tuple(strides, rank, "strides")
        padding = conv_utils.standardize_padding(padding)
        data_format = conv_utils.standardize_data_format(data_format)
        super().__init__(name=name, **kwargs)
        self.pool_size = pool_size
        self.strides = strides
        self.pool_mode = pool_mode
        self.padding = padding
        self.data_format = data_format
        self.rank = rank
        self.input_spec = InputSpec(ndim=rank + 2)
        self._pool_fn = (
            pool_ops.max_pool_apply if pool_mode == "max" else pool_ops.average_pool_apply
        )
        # "same" with strides depends on the input size (and 3D windows larger than the input
        # need explicit padding in torch), so those plans are made per input size.
        self._size_dependent = padding == "same" and (max(strides) > 1 or rank == 3)
        self._static_plan = pool_ops.pool_plan(rank, pool_size, strides, padding, data_format)
        self._plans: dict[tuple[int, ...], pool_ops.PoolPlan] = {}

    def _plan(self, x: torch.Tensor) -> pool_ops.PoolPlan:
        if not self._size_dependent:
            return self._static_plan
        key = tuple(x.shape[1:-1] if self.data_format == "channels_last" else x.shape[2:])
        plan = self._plans.get(key)
        if plan is None:
            if len(self._plans) > 64:  # inputs of ever-changing sizes: keep the cache small
                self._plans.clear()
            plan = self._plans[key] = pool_ops.pool_plan(
                self.rank, self.pool_size, self.strides, self.padding, self.data_format, key
            )
        return plan

    def call(self, inputs: torch.Tensor) -> torch.Tensor:
        return self._pool_fn(inputs, self._plan(inputs))

    def compute_output_shape(self, input_shape: Sequence[int | None]) -> tuple[int | None, ...]:
        input_shape = tuple(input_shape)
        if len(input_shape) != self.rank + 2:
            raise ValueError(
                f"Layer '{self.name}' expects inputs of rank {self.rank + 2}. "
                f"Received: input_shape={input_shape}"
            )
        channels_last = self.data_format == "channels_last"
        spatial = input_shape[1:-1] if channels_last else input_shape[2:]
        out = []
        for n, k, s in zip(spatial, self.pool_size, self.strides):
            if n is None:
                out.append(None)
            elif self.padding == "same":
                out.append((n - 1) // s + 1)
            elif n < k:
                raise ValueError(
                    f"Layer '{self.name}': computed output size would be zero or negative. "
                    f"Received: input_shape={input_shape}, pool_size={self.pool_size}"
                )
            else:
                out.append((n - k) // s + 1)
        if channels_last:
            return (input_shape[0], *out, input_shape[-1])
        return (input_shape[0], input_shape[1], *out)

    def get_config(self) -> dict[str, Any]:
        return {
            **super().get_config(),
            "pool_size": self.pool_size,
            "padding": self.padding,
            "strides": self.strides,
            "data_format": self.data_format,
        }
