"""Stateless recurrent math: torch's fused RNN kernels on Keras-layout weights, and the time loop.

Keras stores recurrent weights as `kernel (in, gates * units)`, `recurrent_kernel (units, gates *
units)` and one bias; torch's kernels (`torch._VF.lstm/gru/rnn_tanh/rnn_relu`, cuDNN/oneDNN) take
`[w_ih (gates * units, in), w_hh, b_ih, b_hh]`. The conversion is a transposed view (plus a gate
reorder for the GRU) made on every call, so it never goes stale after an optimizer step.

Keras' masking semantics, reproduced by both paths: a masked step keeps the previous states and
emits the previous output (zeros before the first valid step), or zeros with `zero_output_for_mask`.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable, Sequence

import torch
from torch.nn.utils.rnn import pack_padded_sequence, pad_packed_sequence

from torchkeras_lite.backend.compile import eager_only

Tensor = torch.Tensor
_KERNELS = {
    "lstm": torch._VF.lstm,
    "gru": torch._VF.gru,
    "rnn_tanh": torch._VF.rnn_tanh,
    "rnn_relu": torch._VF.rnn_relu,
}


def _kernel(mode: str, *args):
    """Calls torch's kernel. On CUDA, cuDNN copies the Keras-layout weights into its flat buffer
    (one small copy per call) and would warn that they are "not part of single contiguous chunk
    of memory"; that is expected here, so the warning is silenced."""
    if not args[0].is_cuda:
        return _KERNELS[mode](*args)
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message="RNN module weights are not part")
        return _KERNELS[mode](*args)


def keras_to_torch_weights(
    kernel: Tensor, recurrent_kernel: Tensor, bias: Tensor | None, gate_order: Tensor | None = None
) -> list[Tensor]:
    """`[w_ih, w_hh(, b_ih, b_hh)]` for torch's kernels from Keras-layout weights.

    Args:
        kernel: `(input_dim, gates * units)`.
        recurrent_kernel: `(units, gates * units)`.
        bias: `(gates * units,)` (goes to `b_ih`, `b_hh` is zero) or `(2, gates * units)`
            (input and recurrent biases, the GRU's `reset_after=True` layout), or None.
        gate_order: an index over the `gates * units` columns putting them in torch's order.
    """
    if gate_order is not None:
        kernel = kernel.index_select(1, gate_order)
        recurrent_kernel = recurrent_kernel.index_select(1, gate_order)
        if bias is not None:
            bias = bias.index_select(-1, gate_order)
    weights = [kernel.t(), recurrent_kernel.t()]
    if bias is not None:
        weights += list(bias.unbind(0)) if bias.dim() == 2 else [bias, torch.zeros_like(bias)]
    return weights


@eager_only  # like nn.LSTM under dynamo: the fused kernel runs eagerly
def fused_rnn(
    mode: str, inputs: Tensor, states: Sequence[Tensor], weights: list[Tensor], go_backwards: bool
) -> tuple[Tensor, list[Tensor]]:
    """Runs a whole sequence through torch's fused kernel.

    Args:
        mode: `"lstm"`, `"gru"`, `"rnn_tanh"` or `"rnn_relu"`.
        inputs: `(batch, time, features)`.
        states: `[h]` or `[h, c]` (LSTM), each `(batch, units)`.
        weights: from `keras_to_torch_weights`.
        go_backwards: process the sequence reversed (outputs stay in processing order).

    Returns:
        `(outputs (batch, time, units), final states)`.
    """
    if go_backwards:
        inputs = inputs.flip(1)
    hx = [s.unsqueeze(0) for s in states]
    hx = tuple(hx) if mode == "lstm" else hx[0]
    result = _kernel(
        mode, inputs, hx, weights, len(weights) == 4, 1, 0.0, torch.is_grad_enabled(), False, True
    )
    return result[0], [s.squeeze(0) for s in result[1:]]


@eager_only
def mask_lengths(mask: Tensor) -> Tensor | None:
    """The sequence lengths (int64, on the CPU) when `mask` is post-padded, else None.

    One device-to-host copy: pack_padded_sequence needs the lengths on the CPU anyway.
    """
    lengths = mask.sum(1)
    steps = torch.arange(mask.shape[1], device=mask.device)
    ok = ((steps < lengths[:, None]) == mask).all()
    host = torch.cat([lengths, ok.view(1).to(lengths.dtype)]).cpu()
    return host[:-1] if bool(host[-1]) else None


@eager_only
def fused_rnn_packed(
    mode: str,
    inputs: Tensor,
    states: Sequence[Tensor],
    weights: list[Tensor],
    lengths: Tensor,
    go_backwards: bool,
    zero_output_for_mask: bool,
) -> tuple[Tensor, list[Tensor]]:
    """`fused_rnn` for post-padded sequences of the given CPU `lengths`, via packed sequences.

    Returns Keras' masked outputs: in processing order, masked steps repeat the previous output
    (zeros before the first valid one) or are zeros with `zero_output_for_mask`; states of fully
    masked rows stay at their initial values.
    """
    batch, steps = inputs.shape[:2]
    dev_len = lengths.to(inputs.device)
    t = torch.arange(steps, device=inputs.device).expand(batch, steps)
    if go_backwards:  # reverse the valid part of each row; padding stays at the end
        rev = torch.where(t < dev_len[:, None], dev_len[:, None] - 1 - t, t)
        inputs = inputs.gather(1, rev[..., None].expand_as(inputs))
    packed = pack_padded_sequence(
        inputs, lengths.clamp(min=1), batch_first=True, enforce_sorted=False
    )
    hx = [s.index_select(0, packed.sorted_indices).unsqueeze(0) for s in states]
    hx = tuple(hx) if mode == "lstm" else hx[0]
    result = _kernel(
        mode,
        packed.data,
        packed.batch_sizes,
        hx,
        weights,
        len(weights) == 4,
        1,
        0.0,
        torch.is_grad_enabled(),
        False,
    )
    out = packed._replace(data=result[0])
    out, _ = pad_packed_sequence(out, batch_first=True, total_length=steps)
    valid = (dev_len > 0)[:, None]
    new_states = [
        torch.where(valid, s.squeeze(0).index_select(0, packed.unsorted_indices), s0)
        for s, s0 in zip(result[1:], states)
    ]
    if go_backwards:  # valid outputs end at the last step; earlier (masked) steps are zeros
        shift = steps - dev_len[:, None]
        src = (t - shift).clamp(min=0)
        keep = t >= shift
    else:
        src = torch.minimum(t, (dev_len[:, None] - 1).clamp(min=0))
        keep = (t < dev_len[:, None]) if zero_output_for_mask else valid.expand(batch, steps)
    out = out.gather(1, src[..., None].expand_as(out))
    return torch.where(keep[..., None], out, 0.0), new_states


@eager_only
def fused_birnn(
    mode: str,
    inputs: Tensor,
    states: Sequence[Tensor],
    weights: list[Tensor],
    lengths: Tensor | None = None,
) -> tuple[Tensor, list[Tensor]]:
    """Both directions in one bidirectional kernel call (cuDNN runs them concurrently).

    Args:
        mode: as in `fused_rnn`.
        inputs: `(batch, time, features)`.
        states: per state, `(2, batch, units)`: the forward then the backward initial value.
        weights: the forward direction's `keras_to_torch_weights`, then the backward's.
        lengths: CPU lengths of post-padded sequences (packed), or None.

    Returns:
        `(outputs (batch, time, 2 * units), final states (2, batch, units))`: outputs in input
        time order, forward then backward features; padded steps are zeros, and rows of length 0
        keep their initial states.
    """
    hx = tuple(states) if mode == "lstm" else states[0]
    bias, train = len(weights) == 8, torch.is_grad_enabled()
    if lengths is None:
        result = _kernel(mode, inputs, hx, weights, bias, 1, 0.0, train, True, True)
        return result[0], list(result[1:])
    packed = pack_padded_sequence(
        inputs, lengths.clamp(min=1), batch_first=True, enforce_sorted=False
    )
    order = packed.sorted_indices
    hx = tuple(h.index_select(1, order) for h in states)
    result = _kernel(mode,
        packed.data, packed.batch_sizes, hx if mode == "lstm" else hx[0], weights, bias, 1, 0.0,
        train, True,
    )  # fmt: skip
    out, _ = pad_packed_sequence(
        packed._replace(data=result[0]), batch_first=True, total_length=inputs.shape[1]
    )
    valid = lengths.to(inputs.device) > 0
    final = [
        torch.where(valid[:, None], s.index_select(1, packed.unsorted_indices), s0)
        for s, s0 in zip(result[1:], states)
    ]
    return torch.where(valid[:, None, None], out, 0.0), final


def _expand(mask_t: Tensor, like: Tensor) -> Tensor:
    return mask_t.view(mask_t.shape[0], *([1] * (like.dim() - 1)))


def rnn_loop(
    step: Callable[[Tensor, list[Tensor]], tuple[Tensor, list[Tensor]]],
    inputs: Sequence[Tensor],
    states: list[Tensor],
    mask: Tensor | None = None,
    go_backwards: bool = False,
    zero_output_for_mask: bool = False,
    return_sequences: bool = True,
) -> tuple[Tensor, Tensor | None, list[Tensor]]:
    """The Python time loop: `step(input_t, states) -> (output_t, new_states)` for each step.

    Args:
        step: one recurrent step on flat state lists.
        inputs: per-step inputs in time order (e.g. `x.unbind(1)`).
        states: the flat initial states.
        mask: `(batch, time)` booleans, or None.
        go_backwards: iterate from the last step; outputs are in processing order.
        zero_output_for_mask: masked steps output zeros instead of the previous output.
        return_sequences: also return the stacked outputs.

    Returns:
        `(last_output, outputs (batch, time, ...) or None, final_states)`.
    """
    order = range(len(inputs) - 1, -1, -1) if go_backwards else range(len(inputs))
    mask_steps = mask.unbind(1) if mask is not None else None
    outputs: list[Tensor] = []
    prev = None
    for i in order:
        out, new_states = step(inputs[i], states)
        if mask_steps is not None:
            m = mask_steps[i]
            if prev is None or zero_output_for_mask:
                out = torch.where(_expand(m, out), out, 0.0)
            else:
                out = torch.where(_expand(m, out), out, prev)
            new_states = [torch.where(_expand(m, n), n, s) for n, s in zip(new_states, states)]
        states = new_states
        prev = out
        if return_sequences:
            outputs.append(out)
    return prev, (torch.stack(outputs, 1) if return_sequences else None), states
