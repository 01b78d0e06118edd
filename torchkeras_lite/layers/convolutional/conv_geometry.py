"""`ConvGeometry`: the window arguments and torch plans shared by every convolution layer.

It validates kernel size, strides, padding, dilation and data format, resolves them once into
torch arguments (`ops.convolution.ConvPlan`, per input size only for strided "same"), computes
output shapes and applies the activation; the concrete bases only add their weights.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import torch

from torchkeras_lite import activations
from torchkeras_lite.layers.convolutional import conv_utils
from torchkeras_lite.layers.input_spec import InputSpec
from torchkeras_lite.layers.layer import Layer
from torchkeras_lite.ops import convolution as conv_ops


class ConvGeometry(Layer):
    """The window arguments shared by every convolution layer (not a public layer).

    Subclasses call `_init_geometry` after `Layer.__init__`, define `_make_plan(spatial_shape)`,
    create weights in `build` (ending with `_prepare_plans`) and run
    `conv_ops.conv_apply(x, kernel, bias, plan, self._weight(kernel, plan))` in `call`.
    """

    def _init_geometry(
        self,
        rank: int,
        kernel_size: Any,
        strides: Any,
        padding: str,
        data_format: str | None,
        dilation_rate: Any,
        activation: Any,
        use_bias: bool,
        allow_causal: bool = False,
    ) -> None:
        self.rank = rank
        self.kernel_size = conv_utils.standardize_tuple(kernel_size, rank, "kernel_size")
        self.strides = conv_utils.standardize_tuple(strides, rank, "strides")
        self.dilation_rate = conv_utils.standardize_tuple(dilation_rate, rank, "dilation_rate")
        self.padding = conv_utils.standardize_padding(padding, allow_causal=allow_causal)
        self.data_format = conv_utils.standardize_data_format(data_format)
        self.activation = activations.get(activation)
        self.use_bias = bool(use_bias)
        self.input_spec = InputSpec(ndim=rank + 2)
        self._activate = self.activation is not activations.linear
        self._channels_last = self.data_format == "channels_last"
        self._size_dependent = self.padding == "same" and max(self.strides) > 1
        self._plans: dict[tuple[int, ...], conv_ops.ConvPlan] = {}
        self._static_plan: conv_ops.ConvPlan | None = None

    def _check_strides_and_dilation(self) -> None:
        if max(self.strides) > 1 and max(self.dilation_rate) > 1:
            raise ValueError(
                "`strides > 1` not supported in conjunction with `dilation_rate > 1`. "
                f"Received: strides={self.strides} and dilation_rate={self.dilation_rate}"
            )

    # ------------------------------------------------------------------------------------------
    def _input_channels(self, input_shape: Sequence[int | None]) -> int:
        channels = input_shape[-1] if self._channels_last else input_shape[1]
        if channels is None:
            raise ValueError(
                f"Layer '{self.name}': the channel dimension of the inputs should be defined. "
                f"Received: input_shape={tuple(input_shape)}"
            )
        return int(channels)

    def _spatial(self, shape: Sequence[int | None]) -> tuple[int | None, ...]:
        return tuple(shape[1:-1] if self._channels_last else shape[2:])

    def _set_input_spec(self, channels: int) -> None:
        axis = -1 if self._channels_last else 1
        self.input_spec = InputSpec(ndim=self.rank + 2, axes={axis: channels})

    def _prepare_plans(self, input_shape: Sequence[int | None]) -> None:
        """Resolves the torch arguments once (per input size only for strided "same")."""
        spatial = self._spatial(input_shape)
        if not self._size_dependent:
            self._static_plan = self._make_plan(spatial)
        elif all(n is not None for n in spatial):
            self._plans[spatial] = self._make_plan(spatial)

    def _plan(self, x: torch.Tensor) -> conv_ops.ConvPlan:
        if not self._size_dependent:
            return self._static_plan
        key = tuple(x.shape[1:-1] if self._channels_last else x.shape[2:])
        plan = self._plans.get(key)
        if plan is None:
            if len(self._plans) > 64:  # inputs of ever-changing sizes: keep the cache small
                self._plans.clear()
            plan = self._plans[key] = self._make_plan(key)
        return plan

    # ------------------------------------------------------------------------------------------
    def _conv_output_shape(
        self, input_shape: Sequence[int | None], channels: int | None
    ) -> tuple[int | None, ...]:
        input_shape = tuple(input_shape)
        if len(input_shape) != self.rank + 2:
            raise ValueError(
                f"Layer '{self.name}' expects inputs of rank {self.rank + 2}. "
                f"Received: input_shape={input_shape}"
            )
        out = []
        for n, k, s, d in zip(
            self._spatial(input_shape), self.kernel_size, self.strides, self.dilation_rate
        ):
            if n is None:
                out.append(None)
            elif self.padding == "valid":
                size = (n - (k - 1) * d - 1) // s + 1
                if size <= 0:
                    raise ValueError(
                        f"Layer '{self.name}': computed output size would be zero or negative. "
                        f"Received: input_shape={input_shape}, kernel_size={self.kernel_size}, "
                        f"strides={self.strides}, dilation_rate={self.dilation_rate}"
                    )
                out.append(size)
            else:
                out.append((n - 1) // s + 1)
        if self._channels_last:
            return (input_shape[0], *out, channels)
        return (input_shape[0], channels, *out)

    def _weight(self, kernel: torch.Tensor, plan: conv_ops.ConvPlan) -> torch.Tensor:
        """The kernel in torch's layout for `plan`.

        A permuted view whenever autograd may need the kernel. Otherwise (inference, or a frozen
        kernel) a copy in the memory format torch's kernel wants, cached until the kernel
        changes: the cache holds the kernel's storage (so its address cannot be reused) and its
        version counter, which every in-place update bumps (optimizer steps, `set_weights`,
        `load_state_dict`); `.to()` gives new storage. Saves a weight re-layout per call, which
        dominates small-batch inference.
        """
        if (
            (kernel.requires_grad and torch.is_grad_enabled())
            or torch.compiler.is_compiling()
            or kernel.is_inference()  # built under inference_mode: no version counter
        ):
            return conv_ops.torch_weight(kernel, plan)
        cache = self.__dict__.setdefault("_weight_cache", {})
        key = plan.kernel_view  # tells a separable layer's two kernels apart
        hit = cache.get(key)
        if (
            hit is not None
            and hit[1] == kernel._version
            and hit[0].data_ptr() == kernel.data_ptr()
            and hit[0].dtype == kernel.dtype
        ):
            return hit[2]
        with torch.inference_mode(False), torch.no_grad():  # a normal tensor, usable anywhere
            weight = conv_ops.torch_weight(kernel, plan)
            weight = weight.contiguous(memory_format=conv_ops.weight_memory_format(plan))
        cache[key] = (kernel.detach(), kernel._version, weight)
        return weight

    def __getstate__(self) -> dict[str, Any]:
        state = super().__getstate__()
        return {k: v for k, v in state.items() if k != "_weight_cache"}  # no copies in pickles

    def _finish(self, y: torch.Tensor) -> torch.Tensor:
        return self.activation(y) if self._activate else y

    def _geometry_config(self) -> dict[str, Any]:
        return {
            "kernel_size": self.kernel_size,
            "strides": self.strides,
            "padding": self.padding,
            "data_format": self.data_format,
            "dilation_rate": self.dilation_rate,
        }

    def _output_config(self) -> dict[str, Any]:
        return {
            "activation": activations.serialize(self.activation),
            "use_bias": self.use_bias,
        }
