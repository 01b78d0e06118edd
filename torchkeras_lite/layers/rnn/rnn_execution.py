"""How an RNN layer runs a sequence: torch's fused kernel when the cell allows, else the step loop."""

from __future__ import annotations

from typing import Any

import torch

from torchkeras_lite.layers.layer import Layer
from torchkeras_lite.layers.rnn.base_rnn import BaseRNNCell
from torchkeras_lite.layers.rnn.dropout_rnn_cell import DropoutRNNCell
from torchkeras_lite.ops import rnn as rnn_ops
from torchkeras_lite.utils import tree


def run_sequence(
    layer: Any, sequences: torch.Tensor, flat: list, mask: Any, training: bool
) -> tuple:
    """`(last_output, outputs, final_states)` of `layer` (an RNN) on `sequences`.

    The fused kernel runs for a built-in cell that names one (`fused_mode`), without `unroll`,
    with no mask or a post-padded one (packed sequences); otherwise the step loop runs, with the
    input projections of all steps precomputed for built-in cells.
    """
    cell = layer.cell
    mode = None
    if isinstance(cell, BaseRNNCell) and not layer.unroll and layer._use_fused:
        mode = cell.fused_mode(training)
    if layer._use_fused is True and mode is None:
        raise ValueError(
            "use_cudnn=True was specified, but the fused kernel does not support this layer "
            "configuration. Pass use_cudnn='auto' to fall back to the step loop. "
            f"Received: use_cudnn={layer._use_fused}"
        )
    if mode is not None:
        lengths = rnn_ops.mask_lengths(mask) if mask is not None else None
        if lengths is not None and int(lengths.min()) == sequences.shape[1]:
            mask = lengths = None  # nothing is padded (lengths are on the host: no sync)
        if mask is None or lengths is not None:
            x = sequences
            dp = cell._input_mask(x, training)
            if dp is not None:
                x = cell._masked(x, dp, 0)
            weights = cell.fused_weights()
            if lengths is None:
                outs, states = rnn_ops.fused_rnn(mode, x, flat, weights, layer.go_backwards)
            else:
                outs, states = rnn_ops.fused_rnn_packed(
                    mode, x, flat, weights, lengths, layer.go_backwards,
                    layer.zero_output_for_mask,
                )  # fmt: skip
            return outs[:, -1], outs, states
    if isinstance(cell, BaseRNNCell):
        inputs = cell.project_inputs(sequences, training).unbind(1)

        def step(x_t, states):
            return cell.recurrent_step(x_t, states, training)
    else:
        inputs = sequences.unbind(1)
        step = generic_step(cell, layer._state_template(), training)
    return rnn_ops.rnn_loop(
        step,
        inputs,
        flat,
        mask,
        layer.go_backwards,
        layer.zero_output_for_mask,
        layer.return_sequences,
    )


def generic_step(cell: Any, template: list, training: bool):
    """A loop step for any cell: states are packed into the cell's structure and flattened back."""
    flat_structure = all(not isinstance(t, list) for t in template)
    call = cell.call  # the cell is built: skip Layer.__call__'s per-step work
    kwargs = {}
    if isinstance(cell, Layer) and cell._call_signature.accepts_training:
        kwargs["training"] = training

    def step(x_t, states):
        structured = list(states) if flat_structure else tree.pack_sequence_as(template, states)
        out, new = call(x_t, structured, **kwargs)
        new = list(new) if isinstance(new, (list, tuple)) else [new]
        return out, tree.flatten(new)

    return step


def reset_dropout_masks(cell: Any) -> None:
    """Clears the per-sequence dropout masks of `cell` (and of stacked cells)."""
    if isinstance(cell, DropoutRNNCell):
        cell.reset_dropout_mask()
        cell.reset_recurrent_dropout_mask()
    for sub in getattr(cell, "cells", ()):
        reset_dropout_masks(sub)


def _pair_mode(fwd: Any, bwd: Any, training: bool) -> str | None:
    """The fused kernel both directions of a Bidirectional can share in one call, or None."""
    cf, cb = getattr(fwd, "cell", None), getattr(bwd, "cell", None)
    if not (isinstance(cf, BaseRNNCell) and isinstance(cb, BaseRNNCell)):
        return None
    for layer in (fwd, bwd):
        if layer.stateful or layer.unroll or not layer._use_fused or layer.activity_regularizer:
            return None
        if layer.zero_output_for_mask != layer.return_sequences:
            return None
        if training and layer.cell.dropout:  # each direction draws its own input mask
            return None
    if fwd.go_backwards or not bwd.go_backwards or type(cf) is not type(cb):
        return None
    if cf.units != cb.units or cf.use_bias != cb.use_bias:
        return None
    mode = cf.fused_mode(training)
    return mode if mode is not None and cb.fused_mode(training) == mode else None


def fused_bidirectional(
    fwd: Any, bwd: Any, sequences: torch.Tensor, initial_state: Any, mask: Any, training: bool
) -> tuple | None:
    """A Bidirectional's two RNNs as one bidirectional kernel call, or None when not possible.

    Returns `(y, y_rev, states, merged)`: the forward and backward outputs in input time order,
    the forward then backward final states, and `[y, y_rev]` concatenated (free with
    `return_sequences`, else None).
    """
    mode = _pair_mode(fwd, bwd, training)
    if mode is None:
        return None
    lengths = None
    if mask is not None:
        lengths = rnn_ops.mask_lengths(mask.to(device=sequences.device, dtype=torch.bool))
        if lengths is None:
            return None
    batch, dtype, device = sequences.shape[0], sequences.dtype, sequences.device
    if initial_state is None:
        halves = fwd.get_initial_state(batch), bwd.get_initial_state(batch)
    else:
        half = len(initial_state) // 2
        halves = list(initial_state[:half]), list(initial_state[half:])
    states = [
        torch.stack([f, b]).to(device=device, dtype=dtype)
        for f, b in zip(tree.flatten(halves[0]), tree.flatten(halves[1]))
    ]
    weights = fwd.cell.fused_weights() + bwd.cell.fused_weights()
    out, final = rnn_ops.fused_birnn(mode, sequences, states, weights, lengths)
    u = fwd.cell.units
    if fwd.return_sequences:
        return out[..., :u], out[..., u:], [s[0] for s in final] + [s[1] for s in final], out
    last = out[:, -1]
    if lengths is not None:  # the forward output of the last valid step (zeros for empty rows)
        index = (lengths.to(device) - 1).clamp(min=0)
        last = out[torch.arange(batch, device=device), index]
    return last[:, :u], out[:, 0, u:], [s[0] for s in final] + [s[1] for s in final], None
