"""`RNN`: runs a recurrent cell over the time axis (fused torch kernels when the cell allows)."""

from __future__ import annotations

from typing import Any

import torch

from torchkeras_lite.layers.layer import Layer
from torchkeras_lite.layers.rnn.base_rnn import deserialize_layer
from torchkeras_lite.layers.rnn.rnn_execution import reset_dropout_masks, run_sequence
from torchkeras_lite.layers.rnn.stacked_rnn_cells import StackedRNNCells
from torchkeras_lite.saving.registry import serialize_keras_object
from torchkeras_lite.utils import tree


class RNN(Layer):
    """Base class for recurrent layers: applies `cell` to each time step of a sequence.

    Built-in cells (SimpleRNNCell, LSTMCell, GRUCell) run as one call of torch's fused kernel
    (cuDNN on GPU) when their configuration allows it (standard activations, no recurrent dropout
    in training, `unroll=False`, no mask or a post-padded mask); otherwise a Python loop over the
    time steps with the cell gives the same results.

    Args:
        cell: a cell (any layer with a `state_size` attribute and `call(inputs, states)` returning
            `(output, new_states)`), or a list of cells (stacked with `StackedRNNCells`).
        return_sequences: return the full output sequence instead of the last output.
        return_state: also return the final states.
        go_backwards: process the sequence reversed (and return the outputs in processing order).
        stateful: the final states of a batch are the initial states of the next one.
        unroll: always use the Python loop (the result is the same).
        zero_output_for_mask: masked steps output zeros instead of the previous output.

    Call arguments:
        sequences: `(batch, timesteps, features)`.
        initial_state: a tensor or list of tensors (one per state).
        mask: `(batch, timesteps)` booleans, True for steps to use.
        training: passed to the cell (dropout).

    Input shape:
        `(batch, timesteps, ...)`.

    Output shape:
        `(batch, output_size)`, or `(batch, timesteps, output_size)` with `return_sequences`;
        followed by the final states with `return_state`.

    Example:
        >>> layer = keras.layers.RNN(keras.layers.LSTMCell(8), return_sequences=True)
        >>> layer(torch.randn(2, 5, 3)).shape
        torch.Size([2, 5, 8])
    """

    def __init__(
        self,
        cell: Any,
        return_sequences: bool = False,
        return_state: bool = False,
        go_backwards: bool = False,
        stateful: bool = False,
        unroll: bool = False,
        zero_output_for_mask: bool = False,
        **kwargs: Any,
    ):
        if isinstance(cell, (list, tuple)):
            cell = StackedRNNCells(cell)
        if not callable(getattr(cell, "call", None)):
            raise ValueError(f"Argument `cell` should have a `call` method. Received: cell={cell}")
        state_size = getattr(cell, "state_size", None)
        if state_size is None or not isinstance(state_size, (list, tuple, int)):
            raise ValueError(
                "The RNN cell should have a `state_size` attribute (an integer or a list of "
                f"integers, one per state). Received: cell={cell}"
            )
        super().__init__(**kwargs)
        self.cell = cell
        self.return_sequences = bool(return_sequences)
        self.return_state = bool(return_state)
        self.go_backwards = bool(go_backwards)
        self.stateful = bool(stateful)
        self.unroll = bool(unroll)
        self.zero_output_for_mask = bool(zero_output_for_mask)
        self.supports_masking = True
        self.single_state = isinstance(state_size, int)
        self.state_size = [state_size] if self.single_state else list(state_size)
        self._use_fused: Any = "auto"
        self._n_states = 0

    # -- states --------------------------------------------------------------------------------
    def build(self, sequences_shape: tuple) -> None:
        step_shape = (sequences_shape[0], *tuple(sequences_shape[2:]))
        if isinstance(self.cell, Layer) and not self.cell.built:
            self.cell.build(step_shape)
        if self.stateful:
            if sequences_shape[0] is None:
                raise ValueError(
                    "When using `stateful=True` in a RNN, the batch size must be static. Found "
                    f"dynamic batch size. Received: sequences.shape={tuple(sequences_shape)}"
                )
            self._set_states(tree.flatten(self.get_initial_state(sequences_shape[0])))

    def _set_states(self, flat: list[torch.Tensor]) -> None:
        for i, s in enumerate(flat):
            self.register_buffer(f"rnn_state_{i}", s.detach(), persistent=False)
        self._n_states = len(flat)

    @property
    def states(self) -> Any:
        """The stateful layer's current states (None when not stateful or not built)."""
        if not self._n_states:
            return None
        flat = [self._buffers[f"rnn_state_{i}"] for i in range(self._n_states)]
        return tree.pack_sequence_as(self._state_template(), flat)

    def _state_template(self) -> list:
        return [[0] * len(s) if isinstance(s, (list, tuple)) else 0 for s in self.state_size]

    def get_initial_state(self, batch_size: int) -> list:
        """The cell's initial states (zeros by default) as a list, one entry per state."""
        fn = getattr(self.cell, "get_initial_state", None)
        if fn is None:
            dtype = self.dtype_policy.compute_torch_dtype
            return [torch.zeros((batch_size, d), dtype=dtype) for d in self.state_size]
        init = fn(batch_size=batch_size)
        return list(init) if isinstance(init, (list, tuple)) else [init]

    def reset_state(self) -> None:
        """Zeroes the states of a stateful layer."""
        for i in range(self._n_states):
            self._buffers[f"rnn_state_{i}"].zero_()

    def reset_states(self) -> None:
        self.reset_state()

    # -- calling -------------------------------------------------------------------------------
    def call(
        self,
        sequences: torch.Tensor,
        initial_state: Any = None,
        mask: torch.Tensor | None = None,
        training: bool | None = None,
    ) -> Any:
        batch = sequences.shape[0]
        if self.stateful and self._n_states:
            expected = self._buffers["rnn_state_0"].shape[0]
            if batch != expected:
                raise ValueError(
                    "If an RNN is stateful, the batch size of the input sequences must be the same "
                    f"as the batch size of the initial state ({expected}). "
                    f"Received: batch_size={batch}"
                )
        if initial_state is None:
            initial_state = self.states if self.stateful else self.get_initial_state(batch)
        structure = (
            list(initial_state) if isinstance(initial_state, (list, tuple)) else [initial_state]
        )
        flat = tree.flatten(structure)
        dtype = sequences.dtype if sequences.is_floating_point() else flat[0].dtype
        flat = [s.to(device=sequences.device, dtype=dtype) for s in flat]
        if isinstance(mask, (list, tuple)):
            mask = mask[0]
        if mask is not None:
            mask = mask.to(device=sequences.device, dtype=torch.bool)
        try:
            last, outputs, new_flat = run_sequence(self, sequences, flat, mask, bool(training))
        finally:
            reset_dropout_masks(self.cell)
        if self.stateful:
            self._set_states(new_flat)
        output = outputs if self.return_sequences else last
        if self.return_state:
            return (output, *tree.pack_sequence_as(structure, new_flat))
        return output

    # -- shapes, masks, config -----------------------------------------------------------------
    def compute_output_shape(self, sequences_shape: tuple, initial_state_shape: Any = None) -> Any:
        batch, length = sequences_shape[0], sequences_shape[1]
        states = [
            [(batch, s) for s in size] if isinstance(size, (list, tuple)) else (batch, size)
            for size in self.state_size
        ]
        size = getattr(self.cell, "output_size", None) or self.state_size[0]
        if not isinstance(size, int):
            raise ValueError(f"output_size must be an integer. Received: output_size={size}")
        output = (batch, length, size) if self.return_sequences else (batch, size)
        return (output, *states) if self.return_state else output

    def compute_mask(self, inputs: Any, mask: Any = None) -> Any:
        if isinstance(mask, (list, tuple)):
            mask = mask[0] if mask else None
        output_mask = mask if self.return_sequences else None
        if self.return_state:
            return [output_mask] + [None] * len(self.state_size)
        return output_mask

    def get_config(self) -> dict[str, Any]:
        config = {
            "return_sequences": self.return_sequences,
            "return_state": self.return_state,
            "go_backwards": self.go_backwards,
            "stateful": self.stateful,
            "unroll": self.unroll,
            "zero_output_for_mask": self.zero_output_for_mask,
            "cell": serialize_keras_object(self.cell),
        }
        return {**super().get_config(), **config}

    @classmethod
    def from_config(cls, config: dict[str, Any], custom_objects: dict | None = None) -> RNN:
        config = dict(config)
        cell = deserialize_layer(config.pop("cell"), custom_objects)
        return super().from_config({"cell": cell, **config})
