"""`ConvLSTMCell` and `ConvLSTM`: an LSTM whose input and recurrent transforms are convolutions.

The input convolutions of all time steps run as one batched convolution before the time loop;
only the recurrent convolution ("same" padding, stride 1) runs per step. Kernels keep Keras'
layout `(*kernel_size, in, 4 * filters)`, gates input, forget, cell, output.
"""

from __future__ import annotations

from typing import Any

import torch

from torchkeras_lite import activations
from torchkeras_lite.backend import config
from torchkeras_lite.layers.convolutional import conv_utils
from torchkeras_lite.layers.input_spec import InputSpec
from torchkeras_lite.layers.rnn.base_rnn import BaseRNNCell, CellLayerMixin, check_positive_int
from torchkeras_lite.layers.rnn.rnn import RNN
from torchkeras_lite.ops.convolution import conv_apply, conv_plan


def conv_output_length(n: int | None, k: int, s: int, d: int, padding: str) -> int | None:
    if n is None:
        return None
    if padding == "same":
        return -(-n // s)
    return (n - (k - 1) * d - 1) // s + 1


class ConvLSTMCell(BaseRNNCell):
    """Cell class for the ConvLSTM layers: one step on `[h, c]` feature maps.

    Args:
        rank: number of spatial dimensions (1, 2 or 3).
        filters: number of output channels (positive integer).
        kernel_size: int or tuple of `rank` ints.
        strides: int or tuple of `rank` ints (of the input convolution).
        padding: `"valid"` or `"same"` (of the input convolution).
        data_format: `"channels_last"` or `"channels_first"` (default: the global setting).
        dilation_rate: int or tuple of `rank` ints (of the input convolution).
        activation, recurrent_activation, use_bias, kernel_initializer, recurrent_initializer,
        bias_initializer, unit_forget_bias, kernel_regularizer, recurrent_regularizer,
        bias_regularizer, kernel_constraint, recurrent_constraint, bias_constraint, dropout,
        recurrent_dropout, seed: as in `LSTMCell`.

    Input shape:
        `inputs (batch, *spatial, channels)` (channels_last), `states [h, c]`.

    Output shape:
        `(h, [h, c])`, each `(batch, *new_spatial, filters)` (channels_last).

    Example:
        >>> cell = ConvLSTMCell(2, filters=4, kernel_size=3, padding="same")
    """

    def __init__(
        self,
        rank: int,
        filters: int,
        kernel_size: Any,
        strides: Any = 1,
        padding: str = "valid",
        data_format: str | None = None,
        dilation_rate: Any = 1,
        activation: Any = "tanh",
        recurrent_activation: Any = "sigmoid",
        use_bias: bool = True,
        kernel_initializer: Any = "glorot_uniform",
        recurrent_initializer: Any = "orthogonal",
        bias_initializer: Any = "zeros",
        unit_forget_bias: bool = True,
        kernel_regularizer: Any = None,
        recurrent_regularizer: Any = None,
        bias_regularizer: Any = None,
        kernel_constraint: Any = None,
        recurrent_constraint: Any = None,
        bias_constraint: Any = None,
        dropout: float = 0.0,
        recurrent_dropout: float = 0.0,
        seed: int | None = None,
        **kwargs: Any,
    ):
        if rank not in (1, 2, 3):
            raise ValueError(
                f"Rank {rank} convolutions are not currently implemented. Received: rank={rank}"
            )
        check_positive_int(filters, "filters")
        kernel_size = conv_utils.standardize_tuple(kernel_size, rank, "kernel_size")
        strides = conv_utils.standardize_tuple(strides, rank, "strides")
        padding = conv_utils.standardize_padding(padding)
        data_format = config.standardize_data_format(data_format)
        dilation_rate = conv_utils.standardize_tuple(dilation_rate, rank, "dilation_rate")
        if max(strides) > 1 and max(dilation_rate) > 1:
            raise ValueError(
                "Specifying `strides > 1` is not compatible with `dilation_rate > 1`. Received: "
                f"strides={strides}, dilation_rate={dilation_rate}"
            )
        super().__init__(**kwargs)
        self.rank, self.filters, self.kernel_size, self.strides = (
            rank,
            filters,
            kernel_size,
            strides,
        )
        self.padding, self.data_format, self.dilation_rate = padding, data_format, dilation_rate
        self._init_common(
            activation, use_bias, kernel_initializer, recurrent_initializer, bias_initializer,
            kernel_regularizer, recurrent_regularizer, bias_regularizer, kernel_constraint,
            recurrent_constraint, bias_constraint, dropout, recurrent_dropout, seed,
        )  # fmt: skip
        self.recurrent_activation = activations.get(recurrent_activation)
        self.unit_forget_bias = bool(unit_forget_bias)
        self.dropout_mask_count = 4
        self.state_size = -1
        self._step_rank = rank + 2
        self._gate_axis = -1 if self.data_format == "channels_last" else 1

    def build(self, input_shape: tuple) -> None:
        last = self.data_format == "channels_last"
        spatial = tuple(input_shape[1:-1] if last else input_shape[2:])
        channels = input_shape[-1] if last else input_shape[1]
        if None in spatial:
            raise ValueError(
                "ConvLSTM layers only support static input shapes for the spatial dimension. "
                f"Received: input_shape={tuple(input_shape)}"
            )
        if channels is None:
            raise ValueError(
                "The channel dimension of the inputs should be defined. Found None. "
                f"Received: input_shape={tuple(input_shape)}"
            )
        self.spatial_dims, self.input_dim = spatial, channels
        f, ks = self.filters, self.kernel_size
        init = self._forget_bias_initializer(f) if self.unit_forget_bias else self.bias_initializer
        self._add_weights((*ks, channels, 4 * f), (*ks, f, 4 * f), (4 * f,), init)
        one = (1,) * self.rank
        self._input_plan = conv_plan(
            self.rank, ks, self.strides, self.padding, self.dilation_rate, 1, self.data_format,
            spatial,
        )  # fmt: skip
        self._recurrent_plan = conv_plan(
            self.rank, ks, one, "same", one, 1, self.data_format, self.output_spatial(spatial)
        )

    def output_spatial(self, spatial: tuple) -> tuple:
        return tuple(
            conv_output_length(n, k, s, d, self.padding)
            for n, k, s, d in zip(spatial, self.kernel_size, self.strides, self.dilation_rate)
        )

    def _state_shape(self, batch_size: int | None) -> tuple:
        out = self.output_spatial(self.spatial_dims)
        last = self.data_format == "channels_last"
        return (batch_size, *out, self.filters) if last else (batch_size, self.filters, *out)

    def get_initial_state(self, batch_size: int | None = None) -> list[torch.Tensor]:
        shape = self._state_shape(batch_size)
        dtype = self.dtype_policy.compute_torch_dtype
        return [torch.zeros(shape, dtype=dtype, device=self.kernel.device) for _ in range(2)]

    def _convs(self, x: torch.Tensor, kernel: torch.Tensor, bias: Any, plan: Any, mask: Any):
        if mask is None:
            return conv_apply(x, kernel, bias, plan)
        kernels = kernel.chunk(4, -1)
        biases = bias.chunk(4) if bias is not None else [None] * 4
        outs = [conv_apply(self._masked(x, mask, g), kernels[g], biases[g], plan) for g in range(4)]
        return torch.cat(outs, self._gate_axis)

    def project_inputs(self, x: torch.Tensor, training: bool) -> torch.Tensor:
        mask = self._input_mask(x, training)
        if x.dim() == self._step_rank:
            return self._convs(x, self.kernel, self.bias, self._input_plan, mask)
        batch, steps = x.shape[:2]
        if mask is not None:
            mask = [m.unsqueeze(1).expand(x.shape).flatten(0, 1) for m in mask]
        out = self._convs(x.flatten(0, 1), self.kernel, self.bias, self._input_plan, mask)
        return out.unflatten(0, (batch, steps))

    def recurrent_step(self, xp: torch.Tensor, states: list, training: bool) -> tuple:
        h, c = states
        mask = self._recurrent_mask(h, training)
        z = xp + self._convs(h, self.recurrent_kernel, None, self._recurrent_plan, mask)
        zi, zf, zc, zo = z.chunk(4, self._gate_axis)
        act, rec = self.activation, self.recurrent_activation
        c = rec(zf) * c + rec(zi) * act(zc)
        h = rec(zo) * act(c)
        return h, [h, c]

    def get_config(self) -> dict[str, Any]:
        config_ = {
            "filters": self.filters,
            "kernel_size": self.kernel_size,
            "strides": self.strides,
            "padding": self.padding,
            "data_format": self.data_format,
            "dilation_rate": self.dilation_rate,
            "recurrent_activation": activations.serialize(self.recurrent_activation),
            "unit_forget_bias": self.unit_forget_bias,
            **self._common_config(),
        }
        return {**super().get_config(), **config_}


class ConvLSTM(CellLayerMixin, RNN):
    """Base class of ConvLSTM1D/2D/3D: runs a `ConvLSTMCell` over the time axis."""

    cell_attributes = (
        "rank", "filters", "kernel_size", "strides", "padding", "data_format", "dilation_rate",
        "activation", "recurrent_activation", "use_bias", "kernel_initializer",
        "recurrent_initializer", "bias_initializer", "unit_forget_bias", "kernel_regularizer",
        "recurrent_regularizer", "bias_regularizer", "kernel_constraint", "recurrent_constraint",
        "bias_constraint", "dropout", "recurrent_dropout", "seed",
    )  # fmt: skip

    def __init__(self, rank: int, filters: int, kernel_size: Any, **kwargs: Any):
        rnn_keys = (
            "return_sequences", "return_state", "go_backwards", "stateful", "unroll",
            "zero_output_for_mask",
        )  # fmt: skip
        rnn_kwargs = {k: kwargs.pop(k) for k in rnn_keys if k in kwargs}
        layer_keys = ("name", "trainable", "dtype", "activity_regularizer", "input_shape")
        layer_kwargs = {
            k: kwargs.pop(k) for k in layer_keys + ("batch_input_shape",) if k in kwargs
        }
        cell = ConvLSTMCell(
            rank, filters, kernel_size, name="conv_lstm_cell", dtype=layer_kwargs.get("dtype"),
            trainable=layer_kwargs.get("trainable", True), **kwargs,
        )  # fmt: skip
        super().__init__(cell, **rnn_kwargs, **layer_kwargs)
        self.input_spec = InputSpec(ndim=rank + 3)

    def _state_template(self) -> list:
        return [0, 0]

    def compute_output_shape(self, sequences_shape: tuple, initial_state_shape: Any = None) -> Any:
        cell = self.cell
        batch, steps = sequences_shape[0], sequences_shape[1]
        last = cell.data_format == "channels_last"
        spatial = tuple(sequences_shape[2:-1] if last else sequences_shape[3:])
        out = cell.output_spatial(spatial)
        state = (batch, *out, cell.filters) if last else (batch, cell.filters, *out)
        output = (batch, steps, *state[1:]) if self.return_sequences else state
        return (output, state, state) if self.return_state else output

    def compute_mask(self, inputs: Any, mask: Any = None) -> Any:
        if isinstance(mask, (list, tuple)):
            mask = mask[0] if mask else None
        output_mask = mask if self.return_sequences else None
        return [output_mask, None, None] if self.return_state else output_mask
