"""DDP with `jit_compile=True`: the compiled training step goes through the DDP wrapper."""

import numpy as np
import pytest

from tests.distribution import launch, worker

pytestmark = pytest.mark.slow  # torch.compile in 2 subprocesses


def test_ddp_with_jit_compile_trains_like_one_eager_process(tmp_path):
    out = str(tmp_path)
    launch.torchrun("jit", out)
    (a0, j0), (a1, j1) = launch.results(out, 0), launch.results(out, 1)
    reference = worker.train("plain", 2 * worker.PER_PROCESS_BATCH)
    for name, expected in reference["weights"].items():
        np.testing.assert_array_equal(a0[f"jit/weights/{name}"], a1[f"jit/weights/{name}"])
        np.testing.assert_allclose(a0[f"jit/weights/{name}"], expected, atol=1e-5, rtol=0)
    assert j0["jit/history/loss"] == j1["jit/history/loss"]
    np.testing.assert_allclose(j0["jit/history/loss"], reference["history"]["loss"], rtol=1e-5)
