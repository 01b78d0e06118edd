"""BatchNormalization: Keras parity (outputs and moving statistics), frozen = inference, masks, errors."""

import numpy as np
import pytest
import torch
from conformance import run_layer_test

from torchkeras_lite.initializers import Constant
from torchkeras_lite.layers.normalization import BatchNormalization


@pytest.fixture
def keras():
    return pytest.importorskip("keras")


def test_batch_normalization_conformance_with_compile():
    run_layer_test(
        BatchNormalization,
        {},
        input_shape=(8, 3),
        expected_output_shape=(8, 3),
        expected_num_trainable_weights=2,
        expected_num_non_trainable_weights=2,
        supports_masking=True,
        run_compile_check=True,
    )


@pytest.mark.parametrize(
    "kwargs, shape",
    [
        ({"momentum": 0.9, "epsilon": 1e-2}, (4, 5, 6)),
        ({"axis": 1}, (4, 3, 5, 5)),
        ({"axis": 2, "center": False}, (4, 3, 5)),
        (
            {
                "scale": False,
                "beta_initializer": "ones",
                "moving_variance_initializer": Constant(2.0),
            },
            (6, 2, 2, 4),
        ),
    ],
)
def test_batch_normalization_variants_match_keras(kwargs, shape):
    run_layer_test(BatchNormalization, kwargs, input_shape=shape, expected_output_shape=shape)


def _keras_twin(keras, layer, **kwargs):
    klayer = keras.layers.BatchNormalization(**kwargs)
    klayer.build(layer._build_input_shape)
    klayer.set_weights(layer.get_weights())
    return klayer


def test_moving_statistics_match_keras_after_several_training_calls(keras):
    layer = BatchNormalization(momentum=0.8)
    layer.build((None, 4, 5))
    klayer = _keras_twin(keras, layer, momentum=0.8)
    for step in range(5):
        x = (
            torch.randn(6, 4, 5) * (step + 1) + step
        )  # the biased variance matters for small batches
        out = layer(x, training=True)
        kout = klayer(x.numpy(), training=True)
        np.testing.assert_allclose(
            out.detach().numpy(), keras.ops.convert_to_numpy(kout), atol=1e-5
        )
    for ours, theirs, name in zip(
        layer.get_weights(), klayer.get_weights(), ["gamma", "beta", "mean", "var"]
    ):
        np.testing.assert_allclose(ours, theirs, rtol=1e-5, atol=1e-5, err_msg=name)
    x = torch.randn(3, 4, 5)
    np.testing.assert_allclose(
        layer(x).detach().numpy(), keras.ops.convert_to_numpy(klayer(x.numpy())), atol=1e-5
    )


def test_moving_variance_uses_the_biased_batch_variance():
    layer = BatchNormalization(momentum=0.0)
    x = torch.tensor([[1.0], [3.0]])
    layer(x, training=True)
    assert layer.moving_mean.tolist() == [2.0]
    torch.testing.assert_close(
        layer.moving_variance.detach(), torch.tensor([1.0])
    )  # unbiased would be 2


def test_statistics_update_only_in_training():
    layer = BatchNormalization()
    x = torch.randn(16, 3) + 5
    layer(x)
    layer(x, training=False)
    assert torch.equal(layer.moving_mean.detach(), torch.zeros(3))
    layer(x, training=True)
    assert not torch.equal(layer.moving_mean.detach(), torch.zeros(3))


def test_frozen_layer_runs_in_inference_mode():
    layer = BatchNormalization()
    x = torch.randn(16, 3) * 3 + 2
    layer(x, training=True)
    stats = [w.detach().clone() for w in layer.weights]
    layer.trainable = False
    out = layer(x, training=True)
    torch.testing.assert_close(out, layer(x, training=False))
    for w, s in zip(layer.weights, stats):
        assert torch.equal(w.detach(), s)
    assert layer.trainable_weights == []


def test_masked_training_matches_keras(keras):
    layer = BatchNormalization(momentum=0.5)
    x = torch.randn(3, 5, 4)
    mask = torch.tensor([[1, 1, 1, 0, 0], [1, 1, 1, 1, 1], [1, 0, 0, 0, 0]], dtype=torch.bool)
    out = layer(x, training=True, mask=mask)
    klayer = keras.layers.BatchNormalization(momentum=0.5)
    klayer.build((None, 5, 4))
    kout = klayer(x.numpy(), training=True, mask=mask.numpy())
    np.testing.assert_allclose(out.detach().numpy(), keras.ops.convert_to_numpy(kout), atol=1e-5)
    for ours, theirs in zip(layer.get_weights(), klayer.get_weights()):
        np.testing.assert_allclose(ours, theirs, atol=1e-5)
    unmasked = x[mask]
    torch.testing.assert_close(
        layer.moving_mean.detach(), unmasked.mean(0) * 0.5, atol=1e-5, rtol=1e-5
    )


def test_gradients_flow_through_the_batch_statistics():
    x = torch.randn(8, 3, requires_grad=True)
    BatchNormalization()(x, training=True).sum().backward()
    torch.testing.assert_close(
        x.grad, torch.zeros_like(x), atol=1e-5, rtol=0
    )  # sum of normalized = const


def test_low_precision_inputs_keep_float32_statistics():
    layer = BatchNormalization(dtype="mixed_bfloat16")
    out = layer(torch.randn(16, 4), training=True)
    assert out.dtype == torch.bfloat16 and layer.moving_mean.dtype == torch.float32


def test_synchronized_without_a_process_group_equals_local():
    x = torch.randn(8, 3, 2)
    a, b = BatchNormalization(synchronized=True), BatchNormalization()
    torch.testing.assert_close(a(x, training=True), b(x, training=True))
    torch.testing.assert_close(a.moving_variance.detach(), b.moving_variance.detach())
    assert a.get_config()["synchronized"] is True


def test_batch_normalization_errors():
    with pytest.raises(
        ValueError, match=r"Axis 3 is out of bounds for input shape \(2, 3\). Received: axis=3"
    ):
        BatchNormalization(axis=3)(torch.ones(2, 3))
    with pytest.raises(
        TypeError, match="Expected an int for the argument `axis`. Received: axis=\\[1, 2\\]"
    ):
        BatchNormalization(axis=[1, 2])
    with pytest.raises(ValueError, match="mask provided should be one dimension less"):
        BatchNormalization()(
            torch.ones(2, 3), training=True, mask=torch.ones(2, 3, dtype=torch.bool)
        )
    with pytest.raises(ValueError, match="Received: momentum=1.5"):
        BatchNormalization(momentum=1.5)
    layer = BatchNormalization()
    layer(torch.ones(2, 3))
    with pytest.raises(ValueError, match="expected axis -1 of input shape to have value 3"):
        layer(torch.ones(2, 4))


def _sync_worker(rank, world, init_file, x, queue):
    import torch.distributed as dist

    dist.init_process_group("gloo", init_method=f"file://{init_file}", rank=rank, world_size=world)
    try:
        layer = BatchNormalization(synchronized=True, momentum=0.0)
        shard = (
            x[rank * 3 : (rank + 1) * 3 + rank].clone().requires_grad_(True)
        )  # uneven: 3 and 4 rows
        out = layer(shard, training=True)
        (out * torch.arange(out.numel()).reshape(out.shape)).sum().backward()
        stats = (out, layer.moving_mean, layer.moving_variance)
        queue.put(
            (rank, *[t.detach().numpy().tolist() for t in stats])
        )  # by value, not shared memory
    finally:
        dist.destroy_process_group()


@pytest.mark.skipif(not torch.distributed.is_available(), reason="needs torch.distributed")
def test_synchronized_statistics_span_all_processes(tmp_path):
    mp = torch.multiprocessing.get_context("fork")  # fork: no re-import of torch in the workers
    x = torch.randn(7, 2)
    queue = mp.Queue()
    procs = [
        mp.Process(target=_sync_worker, args=(r, 2, tmp_path / "init", x, queue)) for r in range(2)
    ]
    for p in procs:
        p.start()
    results = {}
    for _ in procs:
        rank, *values = queue.get(timeout=60)
        results[rank] = [torch.tensor(v) for v in values]
    for p in procs:
        p.join(30)
    assert all(p.exitcode == 0 for p in procs)
    full = BatchNormalization(momentum=0.0)
    expected = full(x, training=True).detach()
    torch.testing.assert_close(
        torch.cat([results[0][0], results[1][0]]), expected, atol=1e-5, rtol=1e-5
    )
    for rank in range(2):
        torch.testing.assert_close(
            results[rank][1], full.moving_mean.detach(), atol=1e-5, rtol=1e-5
        )
        torch.testing.assert_close(
            results[rank][2], full.moving_variance.detach(), atol=1e-5, rtol=1e-5
        )
