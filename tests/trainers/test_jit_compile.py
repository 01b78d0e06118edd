"""jit_compile=True: same losses as eager, one compilation per step kind (no recompiles)."""

import numpy as np
import pytest
import torch

import torchkeras_lite as keras


@pytest.mark.slow
def test_jit_compile_matches_eager_and_compiles_once():
    from torch._dynamo.utils import counters

    rng = np.random.default_rng(0)
    x = rng.normal(size=(70, 4)).astype(
        "float32"
    )  # 70 = 4 full batches of 16 + a partial batch of 6
    y = (x[:, :1] * 3.0).astype("float32")

    def run(jit):
        torch.manual_seed(0)
        model = keras.Sequential(
            [keras.Input((4,)), keras.layers.Dense(8, activation="tanh"), keras.layers.Dense(1)]
        )
        model.compile(optimizer=keras.optimizers.SGD(0.05), loss="mse", jit_compile=jit)
        history = model.fit(x, y, epochs=3, batch_size=16, shuffle=False, verbose=0)
        return history.history["loss"], model

    torch._dynamo.reset()
    counters.clear()
    eager_losses, _ = run(False)
    compiled_losses, model = run(True)
    np.testing.assert_allclose(compiled_losses, eager_losses, atol=1e-4)
    assert counters["stats"]["unique_graphs"] == 1  # one train graph: no recompiles, dynamic batch
    model.evaluate(x, y, batch_size=16, verbose=0)
    model.evaluate(x, y, batch_size=16, verbose=0)
    assert counters["stats"]["unique_graphs"] == 2  # plus one test graph
