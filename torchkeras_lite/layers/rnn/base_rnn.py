"""Shared logic of the recurrent family: the cell base class, argument checks, (de)serialization.

A built-in cell (`BaseRNNCell`) splits a step in two so the RNN layer can run it fast:
`project_inputs` computes the input part for every time step at once (one big matmul or conv),
`recurrent_step` the state-dependent part per step; `fused_mode` names the torch kernel that can run
the whole sequence (`"lstm"`, `"gru"`, `"rnn_tanh"`, `"rnn_relu"`) when the configuration allows.
"""

from __future__ import annotations

from typing import Any

import torch

from torchkeras_lite import activations, constraints, initializers, regularizers
from torchkeras_lite.layers.layer import Layer
from torchkeras_lite.layers.rnn.dropout_rnn_cell import DropoutRNNCell

_CELL_BASE_KEYS = ("name", "trainable", "dtype")


def check_positive_int(value: Any, name: str) -> int:
    """`value` when it is a positive integer; a Keras-style ValueError otherwise."""
    if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
        raise ValueError(
            f"Received an invalid value for argument `{name}`, expected a positive integer. "
            f"Received: {name}={value!r}"
        )
    return value


def check_rate(value: Any, name: str) -> float:
    """A dropout rate, clipped to [0, 1] as Keras does; non-numbers raise."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise ValueError(
            f"Argument `{name}` must be a float between 0 and 1. Received: {name}={value!r}"
        )
    return min(1.0, max(0.0, float(value)))


def check_use_cudnn(use_cudnn: Any) -> Any:
    """`use_cudnn` when it is "auto", True or False; a ValueError otherwise."""
    if not (use_cudnn is True or use_cudnn is False or use_cudnn == "auto"):
        raise ValueError(
            "Invalid value received for argument `use_cudnn`. Expected one of "
            f"{{'auto', True, False}}. Received: use_cudnn={use_cudnn!r}"
        )
    return use_cudnn


def is_activation(fn: Any, *names: str) -> bool:
    """Whether `fn` is one of the named built-in activations (or torch's own)."""
    return any(fn is getattr(activations, n) or fn is getattr(torch, n, None) for n in names)


def deserialize_layer(config: Any, custom_objects: dict | None = None) -> Any:
    """A layer (or cell) from `serialize_keras_object`'s output; instances pass through."""
    from torchkeras_lite.layers import serialization

    return serialization.get(config, custom_objects)


class BaseRNNCell(Layer, DropoutRNNCell):
    """Base of the built-in cells: common arguments, weights and the single-step `call`.

    Subclasses implement `project_inputs(x, training)` (inputs `(batch, [time,] features)` to
    their input contribution, dropout and input bias included) and
    `recurrent_step(projected_t, states, training) -> (output, new_states)`.
    """

    _step_rank = 2  # the rank of one step's input (ConvLSTM cells: rank + 2)

    def _init_common(
        self,
        activation: Any,
        use_bias: bool,
        kernel_initializer: Any,
        recurrent_initializer: Any,
        bias_initializer: Any,
        kernel_regularizer: Any,
        recurrent_regularizer: Any,
        bias_regularizer: Any,
        kernel_constraint: Any,
        recurrent_constraint: Any,
        bias_constraint: Any,
        dropout: float,
        recurrent_dropout: float,
        seed: int | None,
    ) -> None:
        if seed is not None and (isinstance(seed, bool) or not isinstance(seed, int)):
            raise ValueError(f"Argument `seed` must be an integer or None. Received: seed={seed!r}")
        self.activation = activations.get(activation)
        self.use_bias = bool(use_bias)
        self.kernel_initializer = initializers.get(kernel_initializer)
        self.recurrent_initializer = initializers.get(recurrent_initializer)
        self.bias_initializer = initializers.get(bias_initializer)
        self.kernel_regularizer = regularizers.get(kernel_regularizer)
        self.recurrent_regularizer = regularizers.get(recurrent_regularizer)
        self.bias_regularizer = regularizers.get(bias_regularizer)
        self.kernel_constraint = constraints.get(kernel_constraint)
        self.recurrent_constraint = constraints.get(recurrent_constraint)
        self.bias_constraint = constraints.get(bias_constraint)
        self.dropout = check_rate(dropout, "dropout")
        self.recurrent_dropout = check_rate(recurrent_dropout, "recurrent_dropout")
        self.seed = seed

    def _add_weights(
        self, kernel_shape: tuple, recurrent_shape: tuple, bias_shape: tuple, bias_init: Any
    ) -> None:
        self.kernel = self.add_weight(
            shape=kernel_shape,
            initializer=self.kernel_initializer,
            regularizer=self.kernel_regularizer,
            constraint=self.kernel_constraint,
            name="kernel",
        )
        self.recurrent_kernel = self.add_weight(
            shape=recurrent_shape,
            initializer=self.recurrent_initializer,
            regularizer=self.recurrent_regularizer,
            constraint=self.recurrent_constraint,
            name="recurrent_kernel",
        )
        if not self.use_bias:
            self.bias = None
        else:
            self.bias = self.add_weight(
                shape=bias_shape,
                initializer=bias_init,
                regularizer=self.bias_regularizer,
                constraint=self.bias_constraint,
                name="bias",
            )

    def _forget_bias_initializer(self, units: int):
        """Keras' `unit_forget_bias`: the bias initializer, with ones for the forget gate."""
        base = self.bias_initializer

        def init(shape, dtype=None):
            ones = initializers.get("ones")((units,), dtype=dtype)
            parts = [base((units,), dtype=dtype), ones, base((units * 2,), dtype=dtype)]
            return torch.cat([torch.as_tensor(p) for p in parts])

        return init

    def _masked(self, x: torch.Tensor, mask: Any, gate: int) -> torch.Tensor:
        """`x` times the dropout mask for `gate` (one shared mask or one per gate)."""
        m = mask[gate] if isinstance(mask, list) else mask
        return x * (m if x.dim() == m.dim() else m.unsqueeze(1))

    def _input_mask(self, x: torch.Tensor, training: bool) -> Any:
        if training and 0.0 < self.dropout < 1.0:
            return self.get_dropout_mask(x[:, 0] if x.dim() > self._step_rank else x)
        return None

    def _recurrent_mask(self, h: torch.Tensor, training: bool) -> Any:
        if training and 0.0 < self.recurrent_dropout < 1.0:
            return self.get_recurrent_dropout_mask(h)
        return None

    def fused_mode(self, training: bool) -> str | None:
        """The torch kernel that can run a whole sequence of this cell, or None."""
        return None

    def fused_weights(self) -> list[torch.Tensor]:
        raise TypeError(f"{type(self).__name__} has no fused kernel.")

    def call(self, inputs: torch.Tensor, states: Any, training: bool | None = None) -> Any:
        """One step: `(output, new_states)`; `states` is a list (or a single tensor)."""
        nested = isinstance(states, (list, tuple))
        flat = list(states) if nested else [states]
        out, new = self.recurrent_step(
            self.project_inputs(inputs, bool(training)), flat, bool(training)
        )
        return out, (new if nested else new[0])

    def get_initial_state(self, batch_size: int | None = None) -> list[torch.Tensor]:
        """Zero states, one per entry of `state_size`, on the weights' device."""
        sizes = self.state_size if isinstance(self.state_size, (list, tuple)) else [self.state_size]
        kernel = self.__dict__.get("_parameters", {}).get("kernel")
        device = kernel.device if kernel is not None else None
        dtype = self.dtype_policy.compute_torch_dtype
        return [torch.zeros((batch_size, s), dtype=dtype, device=device) for s in sizes]

    def _common_config(self) -> dict[str, Any]:
        return {
            "activation": activations.serialize(self.activation),
            "use_bias": self.use_bias,
            "kernel_initializer": initializers.serialize(self.kernel_initializer),
            "recurrent_initializer": initializers.serialize(self.recurrent_initializer),
            "bias_initializer": initializers.serialize(self.bias_initializer),
            "kernel_regularizer": regularizers.serialize(self.kernel_regularizer),
            "recurrent_regularizer": regularizers.serialize(self.recurrent_regularizer),
            "bias_regularizer": regularizers.serialize(self.bias_regularizer),
            "kernel_constraint": constraints.serialize(self.kernel_constraint),
            "recurrent_constraint": constraints.serialize(self.recurrent_constraint),
            "bias_constraint": constraints.serialize(self.bias_constraint),
            "dropout": self.dropout,
            "recurrent_dropout": self.recurrent_dropout,
            "seed": self.seed,
        }


class CellLayerMixin:
    """For RNN layers that own one built-in cell (SimpleRNN, LSTM, GRU, ConvLSTM): the cell's
    arguments read as layer attributes, and the config is flat (the cell's arguments, no `cell`)."""

    cell_attributes: tuple[str, ...] = ()

    def __getattr__(self, name: str) -> Any:
        cell = self.__dict__.get("_modules", {}).get("cell")
        if cell is not None and name in type(self).cell_attributes:
            return getattr(cell, name)
        return super().__getattr__(name)

    def get_config(self) -> dict[str, Any]:
        config = super().get_config()
        config.pop("cell", None)
        config["activity_regularizer"] = regularizers.serialize(self.activity_regularizer)
        cell_config = {k: v for k, v in self.cell.get_config().items() if k not in _CELL_BASE_KEYS}
        return {**config, **cell_config}

    @classmethod
    def from_config(cls, config: dict[str, Any], custom_objects: dict | None = None) -> Any:
        return Layer.from_config.__func__(cls, config)
