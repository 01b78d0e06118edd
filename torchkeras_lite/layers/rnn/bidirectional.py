"""`Bidirectional`: runs a recurrent layer forwards and a copy of it backwards, then merges."""

from __future__ import annotations

from typing import Any

import torch

from torchkeras_lite.layers.layer import Layer
from torchkeras_lite.layers.rnn.base_rnn import deserialize_layer
from torchkeras_lite.layers.rnn.rnn_execution import fused_bidirectional
from torchkeras_lite.saving.registry import serialize_keras_object

_MERGE_MODES = ("sum", "mul", "ave", "concat", None)


def _copy_layer(layer: Layer, **overrides: Any) -> Layer:
    """A new, unbuilt layer of the same class and configuration (with `overrides`)."""
    config = {**layer.get_config(), **overrides}
    return type(layer).from_config(config)


def _strip(name: str, prefix: str) -> str:
    return name[len(prefix) :] if name.startswith(prefix) else name


class Bidirectional(Layer):
    """Bidirectional wrapper for RNNs.

    The forward layer is a copy of `layer` (named `forward_<name>`); the backward layer is
    `backward_layer` or a copy of `layer` with `go_backwards` flipped (named `backward_<name>`).
    With `return_sequences`, the backward outputs are flipped back to the input's time order and
    masked steps output zeros in both directions. When both directions can use the same fused
    kernel (LSTM/GRU/SimpleRNN with standard activations, no mask or a post-padded one, not
    stateful, no input dropout in training), they run as one bidirectional kernel call.

    Args:
        layer: a recurrent layer (`RNN`, `LSTM`, `GRU`...; anything with `go_backwards`,
            `return_sequences`, `return_state` and `stateful` and a config).
        merge_mode: how the two outputs combine: `"concat"` (default), `"sum"`, `"mul"`, `"ave"`,
            or None (a list of both outputs).
        weights: initial weights, forward layer's then backward layer's.
        backward_layer: an optional recurrent layer for the backward direction.

    Call arguments:
        sequences, initial_state (forward states then backward states), mask, training.

    Input shape:
        `(batch, timesteps, features)`.

    Output shape:
        The wrapped layer's, with the last axis doubled for `"concat"`; with `return_state`,
        followed by the forward and the backward final states.

    Example:
        >>> layer = keras.layers.Bidirectional(keras.layers.LSTM(4, return_sequences=True))
        >>> layer(torch.randn(2, 5, 3)).shape
        torch.Size([2, 5, 8])
    """

    def __init__(
        self,
        layer: Layer,
        merge_mode: str | None = "concat",
        weights: list | None = None,
        backward_layer: Layer | None = None,
        **kwargs: Any,
    ):
        if not isinstance(layer, Layer):
            raise ValueError(
                "Please initialize `Bidirectional` layer with a `keras.layers.Layer` instance. "
                f"Received: layer={layer}"
            )
        if backward_layer is not None and not isinstance(backward_layer, Layer):
            raise ValueError(
                "`backward_layer` need to be a `keras.layers.Layer` instance. "
                f"Received: backward_layer={backward_layer}"
            )
        if merge_mode not in _MERGE_MODES:
            raise ValueError(
                'Invalid merge mode. Merge mode should be one of {"sum", "mul", "ave", "concat", '
                f"None}}. Received: merge_mode={merge_mode!r}"
            )
        if not hasattr(layer, "go_backwards"):
            raise ValueError(
                "`Bidirectional` needs a recurrent layer with a `go_backwards` attribute. "
                f"Received: layer={layer}"
            )
        if weights:
            kwargs["weights"] = weights
        super().__init__(**kwargs)
        self.forward_layer = _copy_layer(layer, name=f"forward_{_strip(layer.name, 'forward_')}")
        if backward_layer is None:
            backward_layer = _copy_layer(
                layer,
                go_backwards=not layer.go_backwards,
                name=f"backward_{_strip(layer.name, 'backward_')}",
            )
        self.backward_layer = backward_layer
        self._verify_layer_config()
        for sub in (self.forward_layer, self.backward_layer):
            if hasattr(sub, "zero_output_for_mask"):
                sub.zero_output_for_mask = sub.return_sequences
        self.merge_mode = merge_mode
        self.stateful = layer.stateful
        self.return_sequences = layer.return_sequences
        self.return_state = layer.return_state
        self.supports_masking = True
        self.input_spec = layer.input_spec

    def _verify_layer_config(self) -> None:
        fwd, bwd = self.forward_layer, self.backward_layer
        if fwd.go_backwards == bwd.go_backwards:
            raise ValueError(
                "Forward layer and backward layer should have different `go_backwards` value. "
                f"Received: forward_layer.go_backwards={fwd.go_backwards}, "
                f"backward_layer.go_backwards={bwd.go_backwards}"
            )
        for attr in ("stateful", "return_sequences", "return_state"):
            if getattr(fwd, attr) != getattr(bwd, attr):
                raise ValueError(
                    "Forward layer and backward layer are expected to have the same value for "
                    f'attribute "{attr}". Received: forward_layer.{attr}={getattr(fwd, attr)}, '
                    f"backward_layer.{attr}={getattr(bwd, attr)}"
                )

    def build(self, sequences_shape: tuple) -> None:
        for sub in (self.forward_layer, self.backward_layer):
            if not sub.built:
                sub.build(sequences_shape)

    def _merge(self, y: torch.Tensor, y_rev: torch.Tensor) -> Any:
        mode = self.merge_mode
        if mode == "concat":
            return torch.cat([y, y_rev], -1)
        if mode == "sum":
            return y + y_rev
        if mode == "ave":
            return (y + y_rev) / 2
        if mode == "mul":
            return y * y_rev
        return (y, y_rev)

    def call(
        self,
        sequences: torch.Tensor,
        initial_state: Any = None,
        mask: torch.Tensor | None = None,
        training: bool | None = None,
    ) -> Any:
        fused = fused_bidirectional(
            self.forward_layer, self.backward_layer, sequences, initial_state, mask,
            bool(training),
        )  # fmt: skip
        if fused is not None:
            y, y_rev, states, merged = fused
            states = tuple(states) if self.return_state else ()
        else:
            y, y_rev, states = self._two_calls(sequences, initial_state, mask, training)
            merged = None
        output = merged if merged is not None and self.merge_mode == "concat" else None
        if output is None:
            output = self._merge(y, y_rev)
        if not self.return_state:
            return output
        return (*output, *states) if self.merge_mode is None else (output, *states)

    def _two_calls(self, sequences: torch.Tensor, initial_state: Any, mask: Any, training: Any):
        fwd_state = bwd_state = None
        if initial_state is not None:
            half = len(initial_state) // 2
            fwd_state, bwd_state = list(initial_state[:half]), list(initial_state[half:])
        kwargs: dict[str, Any] = {"training": training}
        if mask is not None:
            kwargs["mask"] = mask
        y = self.forward_layer(sequences, initial_state=fwd_state, **kwargs)
        y_rev = self.backward_layer(sequences, initial_state=bwd_state, **kwargs)
        states: tuple = ()
        if self.return_state:
            states = (*y[1:], *y_rev[1:])
            y, y_rev = y[0], y_rev[0]
        if self.return_sequences:
            y_rev = y_rev.flip(1)
        return y, y_rev, states

    @property
    def states(self) -> tuple | None:
        fwd, bwd = self.forward_layer.states, self.backward_layer.states
        return tuple(fwd) + tuple(bwd) if fwd and bwd else None

    def reset_state(self) -> None:
        if not self.stateful:
            raise AttributeError("Layer must be stateful.")
        self.forward_layer.reset_state()
        self.backward_layer.reset_state()

    def reset_states(self) -> None:
        self.reset_state()

    def compute_output_shape(self, sequences_shape: tuple, initial_state_shape: Any = None) -> Any:
        shape = self.forward_layer.compute_output_shape(sequences_shape)
        state_shapes: tuple = ()
        if self.return_state:
            shape, state_shapes = shape[0], tuple(shape[1:])
        if self.merge_mode == "concat":
            shape = (*shape[:-1], shape[-1] * 2)
        outputs = (shape, shape) if self.merge_mode is None else (shape,)
        if not self.return_state:
            return outputs if self.merge_mode is None else shape
        return (*outputs, *state_shapes, *state_shapes)

    def compute_mask(self, inputs: Any, mask: Any = None) -> Any:
        if isinstance(mask, (list, tuple)):
            mask = mask[0] if mask else None
        output_mask = mask if self.return_sequences else None
        masks = [output_mask, output_mask] if self.merge_mode is None else [output_mask]
        if self.return_state:
            template = getattr(self.forward_layer, "_state_template", list)()
            return masks + [None] * (2 * len(template))
        return masks if self.merge_mode is None else output_mask

    def get_config(self) -> dict[str, Any]:
        config = {
            "merge_mode": self.merge_mode,
            "layer": serialize_keras_object(self.forward_layer),
            "backward_layer": serialize_keras_object(self.backward_layer),
        }
        return {**super().get_config(), **config}

    @classmethod
    def from_config(cls, config: dict[str, Any], custom_objects: dict | None = None) -> Any:
        config = dict(config)
        config["layer"] = deserialize_layer(config["layer"], custom_objects)
        if config.get("backward_layer") is not None:
            config["backward_layer"] = deserialize_layer(config["backward_layer"], custom_objects)
        return super().from_config(config)
