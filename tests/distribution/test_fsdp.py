"""ModelParallel (FSDP2 `fully_shard`, 2 CPU processes): sharded training; saves reload in one process."""

import os

import numpy as np
import pytest

import torchkeras_lite as keras
from tests.distribution import launch, worker
from torchkeras_lite import distribution

pytestmark = pytest.mark.slow  # starts subprocesses


@pytest.fixture(scope="module")
def run(tmp_path_factory):
    out = str(tmp_path_factory.mktemp("fsdp"))
    launch.torchrun("fsdp", out)
    ranks = [launch.results(out, r) for r in range(2)]
    return out, ranks, worker.train("plain", 2 * worker.PER_PROCESS_BATCH)


def test_weights_are_sharded_and_training_equals_one_process(run):
    _, ((a0, j0), (a1, j1)), reference = run
    assert j0["sharded"] == ["DTensor"] * 4
    for name, expected in reference["weights"].items():
        np.testing.assert_array_equal(a0[f"weights/{name}"], a1[f"weights/{name}"])
        np.testing.assert_allclose(a0[f"weights/{name}"], expected, atol=1e-5, rtol=0)
    assert j0["history/loss"] == j1["history/loss"]
    np.testing.assert_allclose(j0["history/loss"], reference["history"]["loss"], rtol=1e-5)
    np.testing.assert_array_equal(a0["predict"], a1["predict"])


def test_full_keras_file_reloads_in_one_process_with_the_optimizer(run):
    out, ((a0, _), _), _ = run
    model = keras.saving.load_model(os.path.join(out, "fsdp.keras"))
    assert type(model) is keras.Sequential
    for name, value in model.state_dict().items():
        np.testing.assert_array_equal(value.numpy(), a0[f"weights/{name}"])
    assert int(model.optimizer.iterations) == 2 * worker.N // (2 * worker.PER_PROCESS_BATCH)
    np.testing.assert_allclose(model.predict(worker.data()[2], verbose=0), a0["predict"], atol=1e-6)


def test_sharded_checkpoint_reloads_into_a_plain_model(run):
    out, ((a0, _), _), _ = run
    model = worker.mlp()
    distribution.load_sharded_weights(model, os.path.join(out, "sharded"))
    for name, value in model.state_dict().items():
        np.testing.assert_array_equal(value.numpy(), a0[f"weights/{name}"])


def test_reloaded_model_shards_again_and_keeps_its_optimizer_state(run):
    out, ((a0, _), (a1, _)), _ = run
    expected = worker.resume_reference(os.path.join(out, "fsdp.keras"))
    for name, value in expected.items():
        np.testing.assert_array_equal(a0[f"resumed_weights/{name}"], a1[f"resumed_weights/{name}"])
        np.testing.assert_allclose(a0[f"resumed_weights/{name}"], value, atol=1e-5, rtol=0)
