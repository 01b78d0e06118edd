"""The distribution API in a single process: set-up, errors, and no-op behaviour."""

import os

import numpy as np
import pytest
import torch

import torchkeras_lite as keras
from torchkeras_lite import distribution
from torchkeras_lite.distribution import model_setup, process_group
from torchkeras_lite.saving.errors import SavingError


@pytest.fixture(autouse=True)
def _reset():
    yield
    distribution.set_distribution(None)


def _model():
    return keras.Sequential(
        [keras.Input((3,)), keras.layers.Dense(4, name="a"), keras.layers.Dense(1, name="b")]
    )


def test_single_process_has_no_distribution_and_one_device():
    assert distribution.distribution() is None and distribution.active() is None
    assert (distribution.rank(), distribution.world_size()) == (0, 1)
    assert distribution.is_chief() and not distribution.is_distributed()
    assert distribution.list_devices("cpu") == ["cpu:0"]


def test_explicit_data_parallel_in_one_process_trains_as_usual():
    dp = distribution.DataParallel(devices=distribution.list_devices("cpu"))
    distribution.set_distribution(dp)
    assert distribution.distribution() is dp and distribution.active() is None
    model = _model()
    model.compile(optimizer="sgd", loss="mse")
    x = np.ones((8, 3), "float32")
    history = model.fit(x, np.zeros((8, 1), "float32"), batch_size=4, epochs=1, verbose=0)
    assert len(history.history["loss"]) == 1 and "_ddp_module" not in model.__dict__


def test_scope_sets_the_distribution_inside_the_block_only():
    mp = distribution.ModelParallel()
    with mp.scope():
        assert distribution.distribution() is mp
    assert distribution.distribution() is None


def test_set_distribution_rejects_other_objects():
    with pytest.raises(ValueError, match="expects a `DataParallel`, a `ModelParallel` or None"):
        distribution.set_distribution("data_parallel")


def test_more_devices_than_processes_is_an_error():
    with pytest.raises(ValueError, match="as many devices as the job has processes"):
        distribution.DataParallel(devices=["cuda:0", "cuda:1"])


def test_device_mesh_checks_its_shape():
    with pytest.raises(ValueError, match="same length"):
        distribution.DeviceMesh((1,), ["batch", "model"], ["cpu:0"])
    with pytest.raises(ValueError, match="needs 2 devices"):
        distribution.DeviceMesh((2,), ["batch"], ["cpu:0"])
    layout_map = distribution.LayoutMap(distribution.DeviceMesh((1,), ["batch"], ["cpu:0"]))
    layout_map["a.*kernel"] = (None, "batch")
    assert model_setup._units(_model(), layout_map, None)[0].name == "a"


def test_list_devices_rejects_unknown_types():
    with pytest.raises(ValueError, match="'cpu', 'gpu' or 'cuda'"):
        distribution.list_devices("tpu")


def test_initialize_errors(monkeypatch):
    for key in ("MASTER_ADDR", "MASTER_PORT", "RANK", "WORLD_SIZE"):
        monkeypatch.delenv(key, raising=False)
    with pytest.raises(ValueError, match="set MASTER_ADDR and MASTER_PORT"):
        distribution.initialize(num_processes=2, process_id=0)
    with pytest.raises(ValueError, match="'host:port'"):
        distribution.initialize("localhost", num_processes=2, process_id=0)
    with pytest.raises(ValueError, match=r"in \[0, num_processes\)"):
        distribution.initialize("localhost:1234", num_processes=2, process_id=2)


def test_timeout_comes_from_the_environment(monkeypatch):
    monkeypatch.setenv(process_group.TIMEOUT_ENV, "12.5")
    assert process_group.timeout_seconds() == 12.5
    monkeypatch.setenv(process_group.TIMEOUT_ENV, "soon")
    with pytest.raises(ValueError, match="positive number of seconds"):
        process_group.timeout_seconds()


def test_failed_collectives_become_distributed_errors_and_others_pass():
    with pytest.raises(distribution.DistributedError, match="Training failed on rank 0 of 1"):
        with process_group.collective_errors("Training"):
            raise RuntimeError("[gloo] Connection closed by peer [127.0.0.1]:1234")
    with pytest.raises(ValueError, match="unrelated"):
        with process_group.collective_errors("Training"):
            raise ValueError("unrelated")


def test_chief_helpers_run_directly_in_one_process():
    assert distribution.run_on_chief(lambda: 42) == 42
    assert distribution.decide_on_chief(True) is True
    distribution.barrier()


def test_shard_layers_must_be_classes_or_a_callable():
    with pytest.raises(ValueError, match="`shard_layers` must be a layer class"):
        model_setup._units(_model(), None, "dense")
    units = model_setup._units(_model(), None, keras.layers.Dense)
    assert [u.name for u in units] == ["a", "b"]


def test_sharded_weights_round_trip_in_one_process(tmp_path):
    source, target = _model(), _model()
    distribution.save_sharded_weights(source, str(tmp_path / "ckpt"))
    distribution.load_sharded_weights(target, str(tmp_path / "ckpt"))
    for (name, a), b in zip(source.state_dict().items(), target.state_dict().values()):
        assert torch.equal(a, b), name


def test_loading_sharded_weights_from_another_folder_is_an_error(tmp_path):
    with pytest.raises(SavingError, match="not a sharded checkpoint folder"):
        distribution.load_sharded_weights(_model(), str(tmp_path))
    assert not os.listdir(tmp_path)
