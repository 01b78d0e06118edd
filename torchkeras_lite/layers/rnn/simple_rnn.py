"""`SimpleRNNCell` and `SimpleRNN`: the fully-connected recurrence `h = act(x W + h U + b)`."""

from __future__ import annotations

from typing import Any

import torch

from torchkeras_lite.layers.input_spec import InputSpec
from torchkeras_lite.layers.rnn.base_rnn import (
    BaseRNNCell,
    CellLayerMixin,
    check_positive_int,
    is_activation,
)
from torchkeras_lite.layers.rnn.rnn import RNN
from torchkeras_lite.ops import rnn as rnn_ops


class SimpleRNNCell(BaseRNNCell):
    """Cell class for SimpleRNN: one step of `output = activation(x @ kernel + h @ recurrent_kernel
    + bias)`.

    Args:
        units: dimensionality of the output space (positive integer).
        activation: activation function (default `"tanh"`).
        use_bias: whether to add a bias vector.
        kernel_initializer: initializer of `kernel` (default `"glorot_uniform"`).
        recurrent_initializer: initializer of `recurrent_kernel` (default `"orthogonal"`).
        bias_initializer: initializer of `bias` (default `"zeros"`).
        kernel_regularizer, recurrent_regularizer, bias_regularizer: weight regularizers.
        kernel_constraint, recurrent_constraint, bias_constraint: weight constraints.
        dropout: fraction of the inputs to drop (in [0, 1]).
        recurrent_dropout: fraction of the recurrent state to drop (in [0, 1]).
        seed: seed of the dropout masks.

    Input shape:
        `inputs (batch, features)`, `states [(batch, units)]`.

    Output shape:
        `(output (batch, units), [new_state])`.

    Example:
        >>> cell = keras.layers.SimpleRNNCell(4)
        >>> out, states = cell(torch.randn(2, 3), [torch.zeros(2, 4)])
    """

    def __init__(
        self,
        units: int,
        activation: Any = "tanh",
        use_bias: bool = True,
        kernel_initializer: Any = "glorot_uniform",
        recurrent_initializer: Any = "orthogonal",
        bias_initializer: Any = "zeros",
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
        check_positive_int(units, "units")
        super().__init__(**kwargs)
        self.units = units
        self._init_common(
            activation, use_bias, kernel_initializer, recurrent_initializer, bias_initializer,
            kernel_regularizer, recurrent_regularizer, bias_regularizer, kernel_constraint,
            recurrent_constraint, bias_constraint, dropout, recurrent_dropout, seed,
        )  # fmt: skip
        self.state_size = units
        self.output_size = units

    def build(self, input_shape: tuple) -> None:
        u = self.units
        self._add_weights((input_shape[-1], u), (u, u), (u,), self.bias_initializer)

    def _rate_on(self, rate: float, training: bool) -> bool:
        return training and rate > 0.0  # Keras applies SimpleRNN dropout even at rate 1

    def _input_mask(self, x: torch.Tensor, training: bool) -> Any:
        if self._rate_on(self.dropout, training):
            return self.get_dropout_mask(x[:, 0] if x.dim() > 2 else x)
        return None

    def project_inputs(self, x: torch.Tensor, training: bool) -> torch.Tensor:
        mask = self._input_mask(x, training)
        if mask is not None:
            x = self._masked(x, mask, 0)
        out = x @ self.kernel
        return out + self.bias if self.bias is not None else out

    def recurrent_step(self, xp: torch.Tensor, states: list, training: bool) -> tuple:
        h = states[0]
        if self._rate_on(self.recurrent_dropout, training):
            h = h * self.get_recurrent_dropout_mask(h)
        out = self.activation(torch.addmm(xp, h, self.recurrent_kernel))
        return out, [out]

    def fused_mode(self, training: bool) -> str | None:
        if self._rate_on(self.recurrent_dropout, training):
            return None
        if is_activation(self.activation, "tanh"):
            return "rnn_tanh"
        return "rnn_relu" if is_activation(self.activation, "relu") else None

    def fused_weights(self) -> list[torch.Tensor]:
        return rnn_ops.keras_to_torch_weights(self.kernel, self.recurrent_kernel, self.bias)

    def get_config(self) -> dict[str, Any]:
        return {**super().get_config(), "units": self.units, **self._common_config()}


class SimpleRNN(CellLayerMixin, RNN):
    """Fully-connected RNN where the output is fed back as the next input.

    Runs torch's fused `rnn_tanh`/`rnn_relu` kernel for tanh/relu activations (no recurrent dropout
    in training, `unroll=False`), otherwise a step loop.

    Args:
        units: dimensionality of the output space (positive integer).
        activation, use_bias, kernel_initializer, recurrent_initializer, bias_initializer,
        kernel_regularizer, recurrent_regularizer, bias_regularizer, kernel_constraint,
        recurrent_constraint, bias_constraint, dropout, recurrent_dropout, seed: as in
            `SimpleRNNCell`.
        activity_regularizer: regularizer of the output.
        return_sequences, return_state, go_backwards, stateful, unroll: as in `RNN`.

    Input shape:
        `(batch, timesteps, features)`.

    Output shape:
        `(batch, units)` or `(batch, timesteps, units)` with `return_sequences`.

    Example:
        >>> keras.layers.SimpleRNN(4)(torch.randn(32, 10, 8)).shape
        torch.Size([32, 4])
    """

    cell_attributes = (
        "units", "activation", "use_bias", "kernel_initializer", "recurrent_initializer",
        "bias_initializer", "kernel_regularizer", "recurrent_regularizer", "bias_regularizer",
        "kernel_constraint", "recurrent_constraint", "bias_constraint", "dropout",
        "recurrent_dropout", "seed",
    )  # fmt: skip

    def __init__(
        self,
        units: int,
        activation: Any = "tanh",
        use_bias: bool = True,
        kernel_initializer: Any = "glorot_uniform",
        recurrent_initializer: Any = "orthogonal",
        bias_initializer: Any = "zeros",
        kernel_regularizer: Any = None,
        recurrent_regularizer: Any = None,
        bias_regularizer: Any = None,
        activity_regularizer: Any = None,
        kernel_constraint: Any = None,
        recurrent_constraint: Any = None,
        bias_constraint: Any = None,
        dropout: float = 0.0,
        recurrent_dropout: float = 0.0,
        return_sequences: bool = False,
        return_state: bool = False,
        go_backwards: bool = False,
        stateful: bool = False,
        unroll: bool = False,
        seed: int | None = None,
        **kwargs: Any,
    ):
        cell = SimpleRNNCell(
            units, activation=activation, use_bias=use_bias,
            kernel_initializer=kernel_initializer, recurrent_initializer=recurrent_initializer,
            bias_initializer=bias_initializer, kernel_regularizer=kernel_regularizer,
            recurrent_regularizer=recurrent_regularizer, bias_regularizer=bias_regularizer,
            kernel_constraint=kernel_constraint, recurrent_constraint=recurrent_constraint,
            bias_constraint=bias_constraint, dropout=dropout, recurrent_dropout=recurrent_dropout,
            seed=seed, dtype=kwargs.get("dtype"), trainable=kwargs.get("trainable", True),
            name="simple_rnn_cell",
        )  # fmt: skip
        super().__init__(
            cell, return_sequences=return_sequences, return_state=return_state,
            go_backwards=go_backwards, stateful=stateful, unroll=unroll,
            activity_regularizer=activity_regularizer, **kwargs,
        )  # fmt: skip
        self.input_spec = InputSpec(ndim=3)
