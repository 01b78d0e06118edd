"""2 processes (torchrun, gloo, CPU) train like 1 process with a 2x batch; only rank 0 writes files."""

import csv
import os

import numpy as np
import pytest

import torchkeras_lite as keras
from tests.distribution import launch, worker

pytestmark = pytest.mark.slow  # starts subprocesses

EXACT = ("main", "custom", "accumulate", "dataset")


@pytest.fixture(scope="module")
def run(tmp_path_factory):
    out = str(tmp_path_factory.mktemp("data_parallel"))
    launch.torchrun("data_parallel", out)
    ranks = [launch.results(out, r) for r in range(2)]
    reference = {
        kind: worker.train(kind, 2 * worker.PER_PROCESS_BATCH) for kind in (*EXACT, "bf16")
    }
    return out, ranks, reference


def test_torchrun_alone_makes_fit_data_parallel(run):
    _, ranks, _ = run
    for _, values in ranks:
        assert values["auto"] == "DataParallel"
        assert values["world_size"] == 2


@pytest.mark.parametrize("kind", EXACT)
def test_weights_are_identical_on_both_ranks_and_equal_one_process(run, kind):
    _, ((a0, _), (a1, _)), reference = run
    for name, expected in reference[kind]["weights"].items():
        np.testing.assert_array_equal(a0[f"{kind}/weights/{name}"], a1[f"{kind}/weights/{name}"])
        np.testing.assert_allclose(a0[f"{kind}/weights/{name}"], expected, atol=1e-5, rtol=0)


@pytest.mark.parametrize("kind", EXACT)
def test_history_is_identical_on_both_ranks_and_equals_one_process(run, kind):
    _, ((_, j0), (_, j1)), reference = run
    for name, expected in reference[kind]["history"].items():
        assert j0[f"{kind}/history/{name}"] == j1[f"{kind}/history/{name}"]
        np.testing.assert_allclose(j0[f"{kind}/history/{name}"], expected, rtol=1e-5)


def test_mixed_bfloat16_keeps_ranks_identical_and_close_to_one_process(run):
    _, ((a0, j0), (a1, _)), reference = run
    for name, expected in reference["bf16"]["weights"].items():
        np.testing.assert_array_equal(a0[f"bf16/weights/{name}"], a1[f"bf16/weights/{name}"])
        np.testing.assert_allclose(a0[f"bf16/weights/{name}"], expected, atol=2e-2)
    assert j0["bf16/history/loss"][1] < j0["bf16/history/loss"][0] * 0.2


def test_evaluate_sums_metrics_and_predict_gathers_in_order(run):
    _, ((a0, j0), (a1, j1)), reference = run
    for name, expected in reference["main"]["evaluate"].items():
        assert j0[f"main/evaluate/{name}"] == j1[f"main/evaluate/{name}"]
        np.testing.assert_allclose(j0[f"main/evaluate/{name}"], expected, rtol=1e-5)
    assert a0["main/predict"].shape == (worker.N_VAL, 1)
    np.testing.assert_array_equal(a0["main/predict"], a1["main/predict"])
    np.testing.assert_allclose(a0["main/predict"], reference["main"]["predict"], atol=1e-5)


def test_only_rank_0_writes_the_checkpoint_the_log_and_the_backup(run):
    out, ((_, j0), _), _ = run
    names = set(os.listdir(out))
    assert {"ckpt_0.keras", "log_0.csv", "backup"} <= names
    assert not {"ckpt_1.keras", "log_1.csv", "tb_1"} & names
    assert os.listdir(os.path.join(out, "backup")) == ["latest.backup"]
    with open(os.path.join(out, "log_0.csv"), newline="") as f:
        rows = list(csv.DictReader(f))
    assert [float(r["loss"]) for r in rows] == pytest.approx(j0["main/history/loss"], rel=1e-6)


def test_checkpoint_reloads_in_one_process_and_on_every_rank(run):
    out, ((a0, _), (a1, _)), _ = run
    model = keras.saving.load_model(os.path.join(out, "ckpt_0.keras"))
    for name, value in model.state_dict().items():
        np.testing.assert_array_equal(value.numpy(), a0[f"main/weights/{name}"])
        np.testing.assert_array_equal(a0[f"loaded_weights/{name}"], a0[f"main/weights/{name}"])
        np.testing.assert_array_equal(a1[f"loaded_weights/{name}"], a0[f"main/weights/{name}"])
