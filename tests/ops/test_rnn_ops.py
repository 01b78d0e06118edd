"""torchkeras_lite.ops.rnn: weight conversion, mask analysis, packed kernels vs the step loop."""

import pytest
import torch

from torchkeras_lite.ops import rnn as rnn_ops


def _lstm_step(kernel, recurrent_kernel, bias):
    def step(x_t, states):
        h, c = states
        i, f, g, o = (x_t @ kernel + h @ recurrent_kernel + bias).chunk(4, 1)
        c = f.sigmoid() * c + i.sigmoid() * g.tanh()
        h = o.sigmoid() * c.tanh()
        return h, [h, c]

    return step


def test_gru_gate_order_puts_keras_z_r_h_in_torch_r_z_n_order():
    u = 2
    kernel = torch.arange(3 * u).float().expand(3, 3 * u)  # columns z0 z1 r0 r1 h0 h1
    order = torch.cat([torch.arange(u, 2 * u), torch.arange(u), torch.arange(2 * u, 3 * u)])
    bias = torch.stack([torch.arange(6.0), torch.arange(6.0) + 10])
    w_ih, w_hh, b_ih, b_hh = rnn_ops.keras_to_torch_weights(kernel, kernel[:u], bias, order)
    assert w_ih[:, 0].tolist() == [2, 3, 0, 1, 4, 5] and w_ih.shape == (6, 3)
    assert b_ih.tolist() == [2, 3, 0, 1, 4, 5] and b_hh.tolist() == [12, 13, 10, 11, 14, 15]
    lstm = rnn_ops.keras_to_torch_weights(torch.ones(3, 8), torch.ones(2, 8), torch.ones(8))
    assert [tuple(w.shape) for w in lstm] == [(8, 3), (8, 2), (8,), (8,)]
    assert torch.equal(lstm[3], torch.zeros(8))  # Keras' one bias: torch's b_hh is zero
    assert len(rnn_ops.keras_to_torch_weights(torch.ones(3, 8), torch.ones(2, 8), None)) == 2


def test_mask_lengths_only_for_post_padded_masks():
    post = torch.tensor([[1, 1, 0], [1, 0, 0], [0, 0, 0]], dtype=torch.bool)
    assert rnn_ops.mask_lengths(post).tolist() == [2, 1, 0]
    assert rnn_ops.mask_lengths(torch.tensor([[0, 1, 1]], dtype=torch.bool)) is None
    assert rnn_ops.mask_lengths(torch.tensor([[1, 0, 1]], dtype=torch.bool)) is None


@pytest.mark.parametrize("go_backwards", [False, True])
@pytest.mark.parametrize("zero_output_for_mask", [False, True])
def test_packed_kernel_equals_the_masked_loop(go_backwards, zero_output_for_mask):
    torch.manual_seed(1)
    kernel, rk, bias = torch.randn(3, 16), torch.randn(4, 16) * 0.5, torch.randn(16)
    x = torch.randn(4, 5, 3)
    states = [torch.randn(4, 4), torch.randn(4, 4)]
    mask = torch.arange(5) < torch.tensor([5, 3, 1, 0])[:, None]
    weights = rnn_ops.keras_to_torch_weights(kernel, rk, bias)
    outs, final = rnn_ops.fused_rnn_packed(
        "lstm", x, states, weights, mask.sum(1), go_backwards, zero_output_for_mask
    )
    last, loop_outs, loop_final = rnn_ops.rnn_loop(
        _lstm_step(kernel, rk, bias), x.unbind(1), states, mask, go_backwards,
        zero_output_for_mask,
    )  # fmt: skip
    torch.testing.assert_close(outs, loop_outs, atol=1e-5, rtol=1e-5)
    torch.testing.assert_close(outs[:, -1], last, atol=1e-5, rtol=1e-5)
    for a, b in zip(final, loop_final):
        torch.testing.assert_close(a, b, atol=1e-5, rtol=1e-5)
    assert torch.equal(final[0][3], states[0][3])  # an empty row keeps its initial state


def test_fused_kernel_equals_the_loop_and_the_loop_semantics():
    torch.manual_seed(2)
    kernel, rk, bias = torch.randn(3, 16), torch.randn(4, 16) * 0.5, torch.randn(16)
    x, states = torch.randn(2, 6, 3), [torch.zeros(2, 4), torch.zeros(2, 4)]
    weights = rnn_ops.keras_to_torch_weights(kernel, rk, bias)
    for backwards in (False, True):
        outs, final = rnn_ops.fused_rnn("lstm", x, states, weights, backwards)
        _, loop_outs, loop_final = rnn_ops.rnn_loop(
            _lstm_step(kernel, rk, bias), x.unbind(1), states, go_backwards=backwards
        )
        torch.testing.assert_close(outs, loop_outs, atol=1e-5, rtol=1e-5)
        torch.testing.assert_close(final[1], loop_final[1], atol=1e-5, rtol=1e-5)

    def count(x_t, states):  # output = running sum of the inputs
        total = states[0] + x_t
        return total, [total]

    seq = [torch.full((1, 1), float(v)) for v in (1, 2, 3, 4)]
    mask = torch.tensor([[False, True, False, True]])
    last, outs, final = rnn_ops.rnn_loop(count, seq, [torch.zeros(1, 1)], mask)
    assert outs.flatten().tolist() == [0, 2, 2, 6] and final[0].item() == 6 and last.item() == 6
    _, outs, _ = rnn_ops.rnn_loop(count, seq, [torch.zeros(1, 1)], mask, zero_output_for_mask=True)
    assert outs.flatten().tolist() == [0, 2, 0, 6]
    last, outs, _ = rnn_ops.rnn_loop(count, seq, [torch.zeros(1, 1)], return_sequences=False)
    assert outs is None and last.item() == 10
