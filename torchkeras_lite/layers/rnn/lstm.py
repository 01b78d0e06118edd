"""`LSTMCell` and `LSTM` (Hochreiter & Schmidhuber, 1997), Keras' weight layout, torch's kernel."""

from __future__ import annotations

from typing import Any

import torch

from torchkeras_lite import activations
from torchkeras_lite.layers.input_spec import InputSpec
from torchkeras_lite.layers.rnn.base_rnn import (
    BaseRNNCell,
    CellLayerMixin,
    check_positive_int,
    check_use_cudnn,
    is_activation,
)
from torchkeras_lite.layers.rnn.rnn import RNN
from torchkeras_lite.ops import rnn as rnn_ops


class LSTMCell(BaseRNNCell):
    """Cell class for the LSTM layer: one step on `[h, c]`.

    Weights: `kernel (input_dim, 4 * units)`, `recurrent_kernel (units, 4 * units)`, `bias
    (4 * units,)`, gates in the order input, forget, cell, output.

    Args:
        units: dimensionality of the output space (positive integer).
        activation: activation of the cell and output (default `"tanh"`).
        recurrent_activation: activation of the gates (default `"sigmoid"`).
        use_bias: whether to add a bias vector.
        kernel_initializer, recurrent_initializer, bias_initializer: weight initializers
            (defaults `"glorot_uniform"`, `"orthogonal"`, `"zeros"`).
        unit_forget_bias: add 1 to the forget gate's bias at initialization (default True).
        kernel_regularizer, recurrent_regularizer, bias_regularizer: weight regularizers.
        kernel_constraint, recurrent_constraint, bias_constraint: weight constraints.
        dropout: fraction of the inputs to drop (in [0, 1]).
        recurrent_dropout: fraction of the recurrent state to drop (in [0, 1]).
        seed: seed of the dropout masks.

    Input shape:
        `inputs (batch, features)`, `states [h (batch, units), c (batch, units)]`.

    Output shape:
        `(h, [h, c])`.

    Example:
        >>> cell = keras.layers.LSTMCell(4)
        >>> h, (h, c) = cell(torch.randn(2, 3), [torch.zeros(2, 4), torch.zeros(2, 4)])
    """

    def __init__(
        self,
        units: int,
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
        check_positive_int(units, "units")
        implementation = kwargs.pop("implementation", 2)
        super().__init__(**kwargs)
        self.units = units
        self._init_common(
            activation, use_bias, kernel_initializer, recurrent_initializer, bias_initializer,
            kernel_regularizer, recurrent_regularizer, bias_regularizer, kernel_constraint,
            recurrent_constraint, bias_constraint, dropout, recurrent_dropout, seed,
        )  # fmt: skip
        self.recurrent_activation = activations.get(recurrent_activation)
        self.unit_forget_bias = bool(unit_forget_bias)
        self.implementation = 1 if self.recurrent_dropout else implementation
        if self.implementation == 1:
            self.dropout_mask_count = 4
        self.state_size = [units, units]
        self.output_size = units

    def build(self, input_shape: tuple) -> None:
        u = self.units
        init = self._forget_bias_initializer(u) if self.unit_forget_bias else self.bias_initializer
        self._add_weights((input_shape[-1], 4 * u), (u, 4 * u), (4 * u,), init)

    def project_inputs(self, x: torch.Tensor, training: bool) -> torch.Tensor:
        mask = self._input_mask(x, training)
        if isinstance(mask, list):  # one mask per gate
            kernels = self.kernel.chunk(4, 1)
            out = torch.cat([self._masked(x, mask, g) @ k for g, k in enumerate(kernels)], -1)
        else:
            out = (self._masked(x, mask, 0) if mask is not None else x) @ self.kernel
        return out + self.bias if self.bias is not None else out

    def recurrent_step(self, xp: torch.Tensor, states: list, training: bool) -> tuple:
        h, c = states
        mask = self._recurrent_mask(h, training)
        if mask is None:
            z = torch.addmm(xp, h, self.recurrent_kernel)
        else:
            kernels = self.recurrent_kernel.chunk(4, 1)
            z = xp + torch.cat([self._masked(h, mask, g) @ k for g, k in enumerate(kernels)], -1)
        zi, zf, zc, zo = z.chunk(4, 1)
        act, rec = self.activation, self.recurrent_activation
        c = rec(zf) * c + rec(zi) * act(zc)
        h = rec(zo) * act(c)
        return h, [h, c]

    def fused_mode(self, training: bool) -> str | None:
        if training and 0.0 < self.recurrent_dropout < 1.0:
            return None
        standard = is_activation(self.activation, "tanh") and is_activation(
            self.recurrent_activation, "sigmoid"
        )
        return "lstm" if standard else None

    def fused_weights(self) -> list[torch.Tensor]:
        return rnn_ops.keras_to_torch_weights(self.kernel, self.recurrent_kernel, self.bias)

    def get_config(self) -> dict[str, Any]:
        config = {
            "units": self.units,
            "recurrent_activation": activations.serialize(self.recurrent_activation),
            "unit_forget_bias": self.unit_forget_bias,
            **self._common_config(),
        }
        return {**super().get_config(), **config}


class LSTM(CellLayerMixin, RNN):
    """Long Short-Term Memory layer (Hochreiter 1997).

    Runs torch's fused LSTM kernel (cuDNN on GPU, with packed sequences for post-padded masks)
    when `activation="tanh"`, `recurrent_activation="sigmoid"`, `unroll=False` and there is no
    recurrent dropout in training; otherwise a step loop with the same results.

    Args:
        units: dimensionality of the output space (positive integer).
        activation, recurrent_activation, use_bias, kernel_initializer, recurrent_initializer,
        bias_initializer, unit_forget_bias, kernel_regularizer, recurrent_regularizer,
        bias_regularizer, kernel_constraint, recurrent_constraint, bias_constraint, dropout,
        recurrent_dropout, seed: as in `LSTMCell`.
        activity_regularizer: regularizer of the output.
        return_sequences, return_state, go_backwards, stateful, unroll: as in `RNN`.
        use_cudnn: `"auto"` (fused kernel when possible), True (required: an error when the
            configuration does not allow it) or False (always the step loop).

    Input shape:
        `(batch, timesteps, features)`.

    Output shape:
        `(batch, units)` or `(batch, timesteps, units)` with `return_sequences`; with
        `return_state`, followed by the final `h` and `c`.

    Example:
        >>> keras.layers.LSTM(4, return_sequences=True)(torch.randn(32, 10, 8)).shape
        torch.Size([32, 10, 4])
    """

    cell_attributes = (
        "units", "activation", "recurrent_activation", "use_bias", "kernel_initializer",
        "recurrent_initializer", "bias_initializer", "unit_forget_bias", "kernel_regularizer",
        "recurrent_regularizer", "bias_regularizer", "kernel_constraint", "recurrent_constraint",
        "bias_constraint", "dropout", "recurrent_dropout", "seed",
    )  # fmt: skip

    def __init__(
        self,
        units: int,
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
        activity_regularizer: Any = None,
        kernel_constraint: Any = None,
        recurrent_constraint: Any = None,
        bias_constraint: Any = None,
        dropout: float = 0.0,
        recurrent_dropout: float = 0.0,
        seed: int | None = None,
        return_sequences: bool = False,
        return_state: bool = False,
        go_backwards: bool = False,
        stateful: bool = False,
        unroll: bool = False,
        use_cudnn: Any = "auto",
        **kwargs: Any,
    ):
        check_use_cudnn(use_cudnn)
        cell = LSTMCell(
            units, activation=activation, recurrent_activation=recurrent_activation,
            use_bias=use_bias, kernel_initializer=kernel_initializer,
            unit_forget_bias=unit_forget_bias, recurrent_initializer=recurrent_initializer,
            bias_initializer=bias_initializer, kernel_regularizer=kernel_regularizer,
            recurrent_regularizer=recurrent_regularizer, bias_regularizer=bias_regularizer,
            kernel_constraint=kernel_constraint, recurrent_constraint=recurrent_constraint,
            bias_constraint=bias_constraint, dropout=dropout, recurrent_dropout=recurrent_dropout,
            dtype=kwargs.get("dtype"), trainable=kwargs.get("trainable", True), name="lstm_cell",
            seed=seed, implementation=kwargs.pop("implementation", 2),
        )  # fmt: skip
        super().__init__(
            cell, return_sequences=return_sequences, return_state=return_state,
            go_backwards=go_backwards, stateful=stateful, unroll=unroll,
            activity_regularizer=activity_regularizer, **kwargs,
        )  # fmt: skip
        self.input_spec = InputSpec(ndim=3)
        self.use_cudnn = use_cudnn
        self._use_fused = use_cudnn

    def get_config(self) -> dict[str, Any]:
        return {**super().get_config(), "use_cudnn": self.use_cudnn}
