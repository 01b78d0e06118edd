"""Mixed precision in fit: low-precision compute, float32 weights, loss scaling for float16."""

import numpy as np
import pytest
import torch

import torchkeras_lite as keras


def _model(policy):
    return keras.Sequential(
        [
            keras.Input((8,)),
            keras.layers.Dense(32, activation="relu", dtype=policy),
            keras.layers.Dense(1, dtype=policy),
        ]
    )


@pytest.mark.parametrize("policy", ["mixed_bfloat16", "mixed_float16"])
def test_mixed_policy_trains_with_float32_weights(policy):
    rng = np.random.default_rng(0)
    x = rng.normal(size=(256, 8)).astype("float32")
    y = x[:, :1] * 2.0
    model = _model(policy)
    model.compile(optimizer=keras.optimizers.Adam(1e-2), loss="mse")
    history = model.fit(x, y, epochs=4, batch_size=32, verbose=0)
    assert history.history["loss"][-1] < history.history["loss"][0] * 0.5
    assert all(w.dtype == torch.float32 for w in model.weights)
    out = model(torch.from_numpy(x[:4]))
    assert out.dtype == (torch.bfloat16 if policy == "mixed_bfloat16" else torch.float16)
    if policy == "mixed_float16":
        assert isinstance(model.optimizer, keras.optimizers.LossScaleOptimizer)
    else:
        assert isinstance(model.optimizer, keras.optimizers.Adam)
