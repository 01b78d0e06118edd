"""Ops behaviour beyond the Keras parity table: numpy semantics where Keras' torch backend deviates,
control flow, gradients, input kinds, the `ops.nn`/`ops.image` namespaces and the functional API."""

from __future__ import annotations

import importlib

import numpy as np
import pytest
import torch

from torchkeras_lite import ops
from torchkeras_lite.models import Input, Model

RNG = np.random.default_rng(0)
X = RNG.normal(size=(3, 4, 5)).astype("float32")


def test_inputs_of_every_kind_give_torch_tensors():
    for a, b in [(X, 1.0), (torch.from_numpy(X), X), ([1, 2], 3), (2, 3.5)]:
        out = ops.add(a, b)
        assert isinstance(out, torch.Tensor)
        np.testing.assert_allclose(out.numpy(), np.add(np.asarray(a), np.asarray(b)), rtol=1e-6)
    assert ops.convert_to_tensor([1, 2]).dtype == torch.int32
    assert ops.convert_to_tensor(np.float64(1.5)).dtype == torch.float32
    np.testing.assert_array_equal(ops.convert_to_numpy(torch.ones(2, requires_grad=True)), [1, 1])
    assert ops.is_tensor(ops.zeros(2)) and not ops.is_tensor(np.zeros(2))


def test_numpy_semantics_where_keras_torch_deviates():
    # Keras' torch backend transposes count_nonzero, errors on imag of real input, normalises
    # sparsemax wrongly and maps "symmetric" padding to "replicate"; these follow numpy/the paper.
    np.testing.assert_array_equal(ops.count_nonzero(X > 0, axis=1), np.count_nonzero(X > 0, axis=1))
    np.testing.assert_array_equal(ops.imag(X), np.zeros_like(X))
    probs = ops.sparsemax(np.array([[1.0, 0.9, -1.0], [3.0, 0.0, 0.0]]))
    np.testing.assert_allclose(probs, [[0.55, 0.45, 0.0], [1.0, 0.0, 0.0]], atol=1e-6)
    for mode in ("symmetric", "edge", "wrap", "reflect"):
        np.testing.assert_array_equal(
            ops.pad(X, ((1, 2), (3, 0), (2, 2)), mode=mode),
            np.pad(X, ((1, 2), (3, 0), (2, 2)), mode),
        )
    mid = ops.layer_normalization(X, axis=1, epsilon=1e-3)
    ref = (X - X.mean(1, keepdims=True)) / np.sqrt(X.var(1, keepdims=True) + 1e-3)
    np.testing.assert_allclose(mid, ref, atol=1e-5)


def test_selection_ops():
    part = ops.argpartition(np.array([5, 1, 4, 2, 3]), 2).numpy()
    assert sorted(np.array([5, 1, 4, 2, 3])[part[:2]]) == [1, 2] and part[2] == 4
    for got, want in zip(ops.nonzero(X > 1), np.nonzero(X > 1)):
        np.testing.assert_array_equal(got, want)
    for got, want in zip(ops.where(X > 1), np.nonzero(X > 1)):
        np.testing.assert_array_equal(got, want)
    values, index, counts = ops.unique([3, 1, 3], return_index=True, return_counts=True, size=4)
    np.testing.assert_array_equal(values, [1, 3, 1, 1])
    np.testing.assert_array_equal(index, [1, 0, 0, 0])
    np.testing.assert_array_equal(counts, [1, 2, 0, 0])
    values, indices = ops.top_k(np.array([5, 2, 7, 1, 9, 3]), k=3)
    np.testing.assert_array_equal(values, [9, 7, 5])
    np.testing.assert_array_equal(indices, [4, 2, 0])


def test_control_flow():
    assert int(ops.cond(ops.convert_to_tensor(True), lambda: 1, lambda: 2)) == 1
    assert ops.switch(5, [lambda x: x + 1, lambda x: x * 10], 2) == 20  # index clamped
    assert ops.fori_loop(0, 10, lambda i, x: x + i, 0) == 45
    i, total = ops.while_loop(lambda i, s: i < 5, lambda i, s: (i + 1, s + i), (0, 0))
    assert int(i) == 5 and int(total) == 10
    assert int(ops.while_loop(lambda i: i < 100, lambda i: i + 1, 0, maximum_iterations=7)) == 7
    carry, ys = ops.scan(lambda c, x: (c + x, c * x), 0.0, np.arange(1.0, 5.0))
    assert float(carry) == 10.0
    np.testing.assert_array_equal(ys, [0.0, 2.0, 9.0, 24.0])
    _, rev = ops.scan(lambda c, x: (c + x, c), 0, np.arange(4), reverse=True)
    np.testing.assert_array_equal(rev, [6, 5, 3, 0])
    np.testing.assert_array_equal(ops.map(lambda x: x * 2, np.arange(3)), [0, 2, 4])
    np.testing.assert_array_equal(ops.associative_scan(ops.add, np.arange(5)), [0, 1, 3, 6, 10])
    np.testing.assert_array_equal(
        ops.associative_scan(ops.add, np.arange(4), reverse=True), [6, 6, 5, 3]
    )
    np.testing.assert_allclose(ops.vectorized_map(torch.sum, torch.ones(3, 4)), [4.0, 4.0, 4.0])
    add = ops.vectorize(lambda a, b: a + b)
    np.testing.assert_array_equal(
        add(np.ones((2, 3)), np.arange(3.0)), np.ones((2, 3)) + np.arange(3)
    )


def test_gradients():
    @ops.custom_gradient
    def log1pexp(x):
        e = ops.exp(x)

        def grad(*args, upstream=None):
            return ops.multiply(upstream, 1.0 - 1.0 / ops.add(1, e))

        return ops.log(1 + e), grad

    x = torch.tensor([0.0, 100.0], requires_grad=True)
    log1pexp(x).sum().backward()
    np.testing.assert_allclose(x.grad, [0.5, 1.0])
    y = torch.ones(2, requires_grad=True)
    assert not ops.stop_gradient(y * 2).requires_grad
    out, tangent = ops.linalg.jvp(torch.sin, (torch.zeros(2),), (torch.ones(2),))
    np.testing.assert_allclose(tangent, [1.0, 1.0])


def test_signal_round_trip_and_documented_calls():
    signal = RNG.normal(size=(2, 64)).astype("float32")
    frames = ops.stft(signal, sequence_length=16, sequence_stride=4, fft_length=16)
    assert frames[0].shape == (2, 17, 9)
    back = ops.istft(frames, sequence_length=16, sequence_stride=4, fft_length=16, length=64)
    np.testing.assert_allclose(back, signal, atol=1e-5)
    np.testing.assert_allclose(ops.blackman(3), [0.0, 1.0, 0.0], atol=1e-6)
    np.testing.assert_array_equal(ops.saturate_cast([-1.0, 300.0], "uint8"), [0, 255])
    np.testing.assert_allclose(ops.normalize([[3.0, 4.0]]), [[0.6, 0.8]], atol=1e-6)
    np.testing.assert_allclose(
        ops.binary_crossentropy([0.0, 1.0, 1.0], [0.1, 0.9, 0.2]),
        [0.10536, 0.10536, 1.60944],
        atol=1e-4,
    )
    np.testing.assert_allclose(
        ops.sparse_categorical_crossentropy([0, 1], [[0.9, 0.1], [0.2, 0.8]]),
        [0.10536, 0.22314],
        atol=1e-4,
    )


def test_random_normal_shapes_work_with_symbolic_batch():
    images = ops.image.resize(np.zeros((2, 8, 8, 3), "uint8"), (4, 4))
    assert images.dtype == torch.uint8 and images.shape == (2, 4, 4, 3)


def test_keras_namespaces_survive_internal_imports():
    from torchkeras_lite.ops import image, nn

    # The layer kernels stay importable by module name (`from torchkeras_lite.ops.nn import dense`).
    layer_kernels = importlib.import_module("torchkeras_lite.ops.nn")
    image_kernels = importlib.import_module("torchkeras_lite.ops.image")

    assert nn is ops.nn and hasattr(nn, "relu") and hasattr(nn, "conv")
    assert image is ops.image and hasattr(image, "resize")
    assert hasattr(layer_kernels, "dense") and hasattr(image_kernels, "affine_transform")
    assert ops.numpy.add is ops.add and ops.linalg.inv is ops.inv


def test_ops_on_symbolic_tensors_build_a_functional_model():
    inputs = Input((4, 5))
    x = ops.transpose(inputs, (0, 2, 1))
    x = ops.concatenate([ops.sqrt(ops.abs(x)), ops.expand_dims(ops.mean(x, axis=-1), -1)], axis=-1)
    x = ops.nn.softmax(ops.multiply(x, 2.0), axis=-1)
    outputs = ops.sum(ops.where(x > 0.1, x, 0.0), axis=1)
    model = Model(inputs, outputs)
    data = torch.from_numpy(X)
    eager = ops.transpose(data, (0, 2, 1))
    eager = ops.concatenate(
        [ops.sqrt(ops.abs(eager)), ops.expand_dims(ops.mean(eager, axis=-1), -1)], axis=-1
    )
    eager = ops.nn.softmax(ops.multiply(eager, 2.0), axis=-1)
    expected = ops.sum(ops.where(eager > 0.1, eager, 0.0), axis=1)
    assert tuple(outputs.shape) == (None, 5)
    torch.testing.assert_close(model(data), expected)


@pytest.mark.cuda
def test_new_tensors_follow_the_inputs_device():
    x = torch.ones(3, device="cuda")
    assert ops.add(x, np.ones(3, "float32")).device.type == "cuda"
    assert ops.clip(x, 0, 0.5).device.type == "cuda"
