"""The fused kernels on CUDA (cuDNN): same results as the CPU step loop, no weight warnings."""

import warnings

import pytest
import torch

from torchkeras_lite.layers import GRU, LSTM, Bidirectional, SimpleRNN

pytestmark = pytest.mark.cuda


@pytest.fixture(autouse=True)
def _no_tf32():
    saved = torch.backends.cudnn.allow_tf32, torch.backends.cuda.matmul.allow_tf32
    torch.backends.cudnn.allow_tf32 = torch.backends.cuda.matmul.allow_tf32 = False
    yield
    torch.backends.cudnn.allow_tf32, torch.backends.cuda.matmul.allow_tf32 = saved


@pytest.mark.parametrize(
    "make",
    [
        lambda: LSTM(8, return_sequences=True, return_state=True),
        lambda: GRU(8, return_sequences=True, return_state=True, go_backwards=True),
        lambda: SimpleRNN(8, return_sequences=True),
        lambda: Bidirectional(LSTM(8, return_sequences=True)),
    ],
    ids=["lstm", "gru_backwards", "simple_rnn", "bidirectional_lstm"],
)
def test_cudnn_matches_the_cpu_loop_with_and_without_masks(make):
    x = torch.randn(5, 7, 3)
    mask = torch.arange(7) < torch.tensor([7, 5, 3, 1, 0])[:, None]
    cpu, gpu = make(), make()
    cpu(x)
    gpu(x)
    gpu.set_weights(cpu.get_weights())
    gpu.to("cuda")
    for sub in cpu.modules():
        if hasattr(sub, "_use_fused"):
            sub._use_fused = False  # the reference: the step loop on the CPU
    for m in (None, mask):
        with warnings.catch_warnings():
            warnings.simplefilter("error")  # no "not part of single contiguous chunk" warning
            got = gpu(x.cuda(), mask=None if m is None else m.cuda(), training=True)
        expected = cpu(x, mask=m, training=True)
        got = got if isinstance(got, (list, tuple)) else [got]
        expected = expected if isinstance(expected, (list, tuple)) else [expected]
        for g, e in zip(got, expected):
            torch.testing.assert_close(g.cpu(), e, atol=1e-5, rtol=1e-4)
        sum(o.sum() for o in got).backward()
    assert all(w.grad is not None and w.grad.is_cuda for w in gpu.weights)
