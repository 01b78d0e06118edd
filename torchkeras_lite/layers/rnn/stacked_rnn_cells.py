"""`StackedRNNCells`: several cells run as one, each feeding the next within a time step."""

from __future__ import annotations

from typing import Any

import torch

from torchkeras_lite.layers.layer import Layer
from torchkeras_lite.saving.registry import serialize_keras_object


def _output_size(cell: Any) -> int:
    size = getattr(cell, "output_size", None)
    if size is not None:
        return size
    state = cell.state_size
    return state[0] if isinstance(state, (list, tuple)) else state


class StackedRNNCells(Layer):
    """Wrapper allowing a stack of RNN cells to behave as a single cell.

    Args:
        cells: a list of cells; the output of each is the input of the next.

    Input shape:
        `(batch, features)` per step (inside an `RNN`: `(batch, timesteps, features)`).

    Output shape:
        `(batch, output_size of the last cell)`.

    Example:
        >>> cells = [keras.layers.LSTMCell(8), keras.layers.GRUCell(4)]
        >>> keras.layers.RNN(keras.layers.StackedRNNCells(cells))(torch.randn(2, 5, 3)).shape
        torch.Size([2, 4])
    """

    def __init__(self, cells: list, **kwargs: Any):
        if not isinstance(cells, (list, tuple)) or not cells:
            raise ValueError(f"Argument `cells` must be a non-empty list. Received: cells={cells}")
        for cell in cells:
            if not callable(getattr(cell, "call", None)):
                raise ValueError(
                    "All cells must have a `call` method. Received cell without a `call` method: "
                    f"cell={cell}"
                )
            if getattr(cell, "state_size", None) is None:
                raise ValueError(
                    "All cells must have a `state_size` attribute. Received cell without a "
                    f"`state_size`: cell={cell}"
                )
        super().__init__(**kwargs)
        self.cells = list(cells)

    @property
    def state_size(self) -> list:
        return [c.state_size for c in self.cells]

    @property
    def output_size(self) -> int:
        return _output_size(self.cells[-1])

    def get_initial_state(self, batch_size: int | None = None) -> list:
        states = []
        dtype = self.dtype_policy.compute_torch_dtype
        for cell in self.cells:
            fn = getattr(cell, "get_initial_state", None)
            if fn is not None:
                states.append(fn(batch_size=batch_size))
            elif isinstance(cell.state_size, int):
                states.append(torch.zeros((batch_size, cell.state_size), dtype=dtype))
            else:
                states.append([torch.zeros((batch_size, d), dtype=dtype) for d in cell.state_size])
        return states

    def build(self, input_shape: tuple) -> None:
        for cell in self.cells:
            if isinstance(cell, Layer) and not cell.built:
                cell.build(input_shape)
            input_shape = (input_shape[0], _output_size(cell))

    def call(self, inputs: torch.Tensor, states: list, training: bool | None = None) -> tuple:
        new_states = []
        for cell, cell_states in zip(self.cells, states):
            nested = isinstance(cell_states, (list, tuple))
            cell_states = list(cell_states) if nested else [cell_states]
            kwargs = {}
            if isinstance(cell, Layer) and cell._call_signature.accepts_training:
                kwargs["training"] = training
            inputs, cell_states = cell.call(inputs, cell_states, **kwargs)
            if not isinstance(cell_states, (list, tuple)):
                cell_states = [cell_states]
            new_states.append(
                cell_states[0] if len(cell_states) == 1 and not nested else cell_states
            )
        return inputs, new_states

    def get_config(self) -> dict[str, Any]:
        cells = [serialize_keras_object(c) for c in self.cells]
        return {**super().get_config(), "cells": cells}

    @classmethod
    def from_config(cls, config: dict[str, Any], custom_objects: dict | None = None) -> Any:
        from torchkeras_lite.layers.rnn.base_rnn import deserialize_layer

        config = dict(config)
        cells = [deserialize_layer(c, custom_objects) for c in config.pop("cells")]
        return super().from_config({"cells": cells, **config})
