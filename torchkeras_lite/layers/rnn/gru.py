"""`GRUCell` and `GRU` (Cho et al., 2014), Keras' weight layout (gates z, r, h), torch's kernel."""

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


class GRUCell(BaseRNNCell):
    """Cell class for the GRU layer: one step on `[h]`.

    Weights: `kernel (input_dim, 3 * units)`, `recurrent_kernel (units, 3 * units)`, gates in
    Keras' order update (z), reset (r), candidate (h); `bias (2, 3 * units)` (input and recurrent
    biases) with `reset_after=True`, `(3 * units,)` otherwise.

    Args:
        units: dimensionality of the output space (positive integer).
        activation: activation of the candidate state (default `"tanh"`).
        recurrent_activation: activation of the gates (default `"sigmoid"`).
        use_bias: whether to add bias vectors.
        kernel_initializer, recurrent_initializer, bias_initializer: weight initializers
            (defaults `"glorot_uniform"`, `"orthogonal"`, `"zeros"`).
        kernel_regularizer, recurrent_regularizer, bias_regularizer: weight regularizers.
        kernel_constraint, recurrent_constraint, bias_constraint: weight constraints.
        dropout: fraction of the inputs to drop (in [0, 1]).
        recurrent_dropout: fraction of the recurrent state to drop (in [0, 1]).
        reset_after: apply the reset gate after the recurrent matmul (True, cuDNN/torch
            convention) or before it (False).
        seed: seed of the dropout masks.

    Input shape:
        `inputs (batch, features)`, `states [(batch, units)]`.

    Output shape:
        `(h, [h])`.

    Example:
        >>> cell = keras.layers.GRUCell(4)
        >>> h, (h,) = cell(torch.randn(2, 3), [torch.zeros(2, 4)])
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
        kernel_regularizer: Any = None,
        recurrent_regularizer: Any = None,
        bias_regularizer: Any = None,
        kernel_constraint: Any = None,
        recurrent_constraint: Any = None,
        bias_constraint: Any = None,
        dropout: float = 0.0,
        recurrent_dropout: float = 0.0,
        reset_after: bool = True,
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
        self.reset_after = bool(reset_after)
        self.implementation = 1 if self.recurrent_dropout else implementation
        if self.implementation == 1:
            self.dropout_mask_count = 3
        self.state_size = units
        self.output_size = units

    def build(self, input_shape: tuple) -> None:
        u = self.units
        bias_shape = (2, 3 * u) if self.reset_after else (3 * u,)
        self._add_weights((input_shape[-1], 3 * u), (u, 3 * u), bias_shape, self.bias_initializer)
        # Keras' gates (z, r, h) in torch's order (r, z, n), for the fused kernel.
        order = torch.cat([torch.arange(u, 2 * u), torch.arange(u), torch.arange(2 * u, 3 * u)])
        self.register_buffer("_torch_gate_order", order.to(self.kernel.device), persistent=False)

    def _biases(self) -> tuple:
        if self.bias is None:
            return None, None
        return (self.bias[0], self.bias[1]) if self.reset_after else (self.bias, None)

    def project_inputs(self, x: torch.Tensor, training: bool) -> torch.Tensor:
        mask = self._input_mask(x, training)
        if isinstance(mask, list):  # one mask per gate
            kernels = self.kernel.chunk(3, 1)
            out = torch.cat([self._masked(x, mask, g) @ k for g, k in enumerate(kernels)], -1)
        else:
            out = (self._masked(x, mask, 0) if mask is not None else x) @ self.kernel
        input_bias = self._biases()[0]
        return out + input_bias if input_bias is not None else out

    def recurrent_step(self, xp: torch.Tensor, states: list, training: bool) -> tuple:
        h = states[0]
        u = self.units
        mask = self._recurrent_mask(h, training)
        hz, hr, hh = (self._masked(h, mask, g) for g in range(3)) if mask is not None else (h, h, h)
        rk = self.recurrent_kernel
        rec_bias = self._biases()[1]
        xz, xr, xh = xp.chunk(3, 1)
        if mask is None and self.reset_after:
            inner = h @ rk if rec_bias is None else torch.addmm(rec_bias, h, rk)
            rz, rr, rh = inner.chunk(3, 1)
        elif mask is None:
            rz, rr = (h @ rk[:, : 2 * u]).chunk(2, 1)
        else:
            rz, rr = hz @ rk[:, :u], hr @ rk[:, u : 2 * u]
            if rec_bias is not None:
                rz, rr = rz + rec_bias[:u], rr + rec_bias[u : 2 * u]
        z = self.recurrent_activation(xz + rz)
        r = self.recurrent_activation(xr + rr)
        if not self.reset_after:
            rh = (r * hh) @ rk[:, 2 * u :]
        elif mask is None:
            rh = r * rh
        else:
            rh = hh @ rk[:, 2 * u :]
            rh = r * (rh + rec_bias[2 * u :] if rec_bias is not None else rh)
        cand = self.activation(xh + rh)
        h = z * h + (1 - z) * cand
        return h, [h]

    def fused_mode(self, training: bool) -> str | None:
        if not self.reset_after or (training and 0.0 < self.recurrent_dropout < 1.0):
            return None
        standard = is_activation(self.activation, "tanh") and is_activation(
            self.recurrent_activation, "sigmoid"
        )
        return "gru" if standard else None

    def fused_weights(self) -> list[torch.Tensor]:
        return rnn_ops.keras_to_torch_weights(
            self.kernel, self.recurrent_kernel, self.bias, self._torch_gate_order
        )

    def get_config(self) -> dict[str, Any]:
        config = {
            "units": self.units,
            "recurrent_activation": activations.serialize(self.recurrent_activation),
            **self._common_config(),
            "reset_after": self.reset_after,
        }
        return {**super().get_config(), **config}


class GRU(CellLayerMixin, RNN):
    """Gated Recurrent Unit (Cho et al. 2014).

    With `reset_after=True` (the default) it runs torch's fused GRU kernel (cuDNN on GPU, with
    packed sequences for post-padded masks) when `activation="tanh"`,
    `recurrent_activation="sigmoid"`, `unroll=False` and there is no recurrent dropout in
    training; `reset_after=False` (no torch equivalent) and other configurations use a step loop.

    Args:
        units: dimensionality of the output space (positive integer).
        activation, recurrent_activation, use_bias, kernel_initializer, recurrent_initializer,
        bias_initializer, kernel_regularizer, recurrent_regularizer, bias_regularizer,
        kernel_constraint, recurrent_constraint, bias_constraint, dropout, recurrent_dropout,
        reset_after, seed: as in `GRUCell`.
        activity_regularizer: regularizer of the output.
        return_sequences, return_state, go_backwards, stateful, unroll: as in `RNN`.
        use_cudnn: `"auto"`, True (the fused kernel is required) or False (always the loop).

    Input shape:
        `(batch, timesteps, features)`.

    Output shape:
        `(batch, units)` or `(batch, timesteps, units)` with `return_sequences`; with
        `return_state`, followed by the final state.

    Example:
        >>> keras.layers.GRU(4)(torch.randn(32, 10, 8)).shape
        torch.Size([32, 4])
    """

    cell_attributes = (
        "units", "activation", "recurrent_activation", "use_bias", "kernel_initializer",
        "recurrent_initializer", "bias_initializer", "kernel_regularizer",
        "recurrent_regularizer", "bias_regularizer", "kernel_constraint", "recurrent_constraint",
        "bias_constraint", "dropout", "recurrent_dropout", "reset_after", "seed",
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
        reset_after: bool = True,
        use_cudnn: Any = "auto",
        **kwargs: Any,
    ):
        check_use_cudnn(use_cudnn)
        cell = GRUCell(
            units, activation=activation, recurrent_activation=recurrent_activation,
            use_bias=use_bias, kernel_initializer=kernel_initializer,
            recurrent_initializer=recurrent_initializer, bias_initializer=bias_initializer,
            kernel_regularizer=kernel_regularizer, recurrent_regularizer=recurrent_regularizer,
            bias_regularizer=bias_regularizer, kernel_constraint=kernel_constraint,
            recurrent_constraint=recurrent_constraint, bias_constraint=bias_constraint,
            dropout=dropout, recurrent_dropout=recurrent_dropout, reset_after=reset_after,
            dtype=kwargs.get("dtype"), trainable=kwargs.get("trainable", True), name="gru_cell",
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
