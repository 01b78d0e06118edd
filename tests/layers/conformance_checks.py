"""The individual checks behind `conformance.run_layer_test` (see its docstring)."""

from __future__ import annotations

import copy
import importlib
import inspect
import json
import os
from typing import Any

import numpy as np
import torch

from torchkeras_lite.layers import Layer


# ----------------------------------------------------------------------------------------------
# Helpers.
def _is_shape(x: Any) -> bool:
    return isinstance(x, (tuple, list)) and all(isinstance(d, int) or d is None for d in x)


def make_inputs(input_shape: Any, input_dtype: str = "float32") -> Any:
    """Random inputs: normal floats, ints in [0, 10), or booleans; a list of shapes gives a list."""
    if not _is_shape(input_shape):
        return [make_inputs(s, input_dtype) for s in input_shape]
    shape = tuple(input_shape)
    dtype = getattr(torch, input_dtype)
    if dtype.is_floating_point:
        return torch.randn(shape).to(dtype)
    if dtype == torch.bool:
        return torch.rand(shape) > 0.5
    return torch.randint(0, 10, shape, dtype=dtype)


def _flat(x: Any) -> list:
    if isinstance(x, (list, tuple)):
        return [leaf for e in x for leaf in _flat(e)]
    if isinstance(x, dict):
        return [leaf for v in x.values() for leaf in _flat(v)]
    return [x]


def shapes_of(x: Any) -> Any:
    if isinstance(x, (list, tuple)):
        return [shapes_of(e) for e in x]
    return tuple(x.shape)


def _numpy(x: Any) -> np.ndarray:
    if isinstance(x, torch.Tensor):
        return x.detach().cpu().numpy()
    return np.asarray(x)


def _assert_close(actual: Any, expected: Any, atol: float, rtol: float, what: str) -> None:
    a, e = _flat(actual), _flat(expected)
    assert len(a) == len(e), f"{what}: {len(a)} outputs vs {len(e)}"
    for i, (x, y) in enumerate(zip(a, e)):
        np.testing.assert_allclose(
            _numpy(x).astype(np.float64), _numpy(y).astype(np.float64), atol=atol, rtol=rtol,
            err_msg=f"{what} (output {i})",
        )  # fmt: skip


def _snapshot(layer: Layer) -> list[torch.Tensor]:
    return [w.detach().clone() for w in layer.weights]


def _from_config(layer_cls: type, config: dict) -> Layer:
    """`from_config`, trusting the config (Lambda's Python lambdas need `safe_mode=False`)."""
    if "safe_mode" in inspect.signature(layer_cls.from_config).parameters:
        return layer_cls.from_config(config, safe_mode=False)
    return layer_cls.from_config(config)


def _json_normalized(config: dict) -> Any:
    return json.loads(json.dumps(config))


def _import_keras() -> Any:
    os.environ.setdefault("KERAS_BACKEND", "torch")
    try:
        return importlib.import_module("keras")
    except ImportError:
        return None


def _to_keras_value(value: Any) -> Any:
    """Our initializer/regularizer/constraint objects become `{"class_name", "config"}` dicts."""
    module = type(value).__module__ or ""
    if (
        module.startswith("torchkeras_lite")
        and hasattr(value, "get_config")
        and not isinstance(value, type)
    ):
        return {"class_name": type(value).__name__, "config": value.get_config()}
    return value


# ----------------------------------------------------------------------------------------------
# The checks.
def check_build_and_shapes(
    layer, layer_cls, init_kwargs, x, input_shape, outputs, expected_output_shape
):
    assert layer.built, f"{layer_cls.__name__} is not built after its first call"
    if expected_output_shape is not None:
        got = shapes_of(outputs)
        want = (
            [tuple(s) for s in expected_output_shape]
            if not _is_shape(expected_output_shape)
            else tuple(expected_output_shape)
        )
        assert got == want, f"output shape {got}, expected {want}"
    if type(layer).compute_output_shape is not Layer.compute_output_shape:
        computed = layer.compute_output_shape(input_shape)
        computed = [tuple(s) for s in computed] if not _is_shape(computed) else tuple(computed)
        assert computed == shapes_of(outputs), (
            f"compute_output_shape gave {computed}, call gave {shapes_of(outputs)}"
        )
    if _is_shape(input_shape) and type(layer).build is not Layer.build:
        direct = layer_cls(**init_kwargs)
        direct.build(tuple(input_shape))
        assert direct.built
        assert [tuple(w.shape) for w in direct.weights] == [tuple(w.shape) for w in layer.weights], (
            "build(input_shape) made different weights than the lazy build on the first call"
        )  # fmt: skip


def check_config_round_trip(layer, layer_cls, x, atol, rtol):
    config = layer.get_config()
    json.dumps(config)  # configs must be JSON-serializable
    clone = _from_config(layer_cls, config)
    assert _json_normalized(clone.get_config()) == _json_normalized(config), (
        "get_config/from_config round trip"
    )
    clone(x)
    clone.set_weights(layer.get_weights())
    _assert_close(
        clone(x, training=False), layer(x, training=False), atol, rtol, "from_config clone output"
    )
    return config


def check_state_dict_round_trip(layer, layer_cls, config, x, atol, rtol):
    fresh = _from_config(layer_cls, config)
    fresh(x)
    fresh.load_state_dict(copy.deepcopy(layer.state_dict()))
    _assert_close(
        fresh(x, training=False), layer(x, training=False), atol, rtol, "state_dict reload output"
    )


def check_training_step(layer, x):
    before = _snapshot(layer)
    layer(x, training=False)
    for w, b in zip(layer.weights, before):  # inference never changes weights (moving stats...)
        assert torch.equal(w.detach(), b), f"weight {w.path} changed in an inference call"
    trainable = layer.trainable_weights
    non_trainable = layer.non_trainable_weights
    outputs = layer(x, training=True)
    loss = sum(
        (o.float() * torch.randn(o.shape)).sum() for o in _flat(outputs) if o.is_floating_point()
    )
    if layer.losses:
        loss = loss + sum(layer.losses)
    if trainable:
        after_forward = [w.detach().clone() for w in non_trainable]
        optimizer = torch.optim.SGD(layer.parameters(), lr=0.1)
        optimizer.zero_grad()
        loss.backward()
        for w in trainable:
            assert w.grad is not None and bool(w.grad.abs().sum() > 0), f"no gradient for {w.path}"
        for w in non_trainable:
            assert w.grad is None, f"non-trainable weight {w.path} received a gradient"
        start = [w.detach().clone() for w in trainable]
        optimizer.step()
        for w, s in zip(trainable, start):
            assert not torch.equal(w.detach(), s), f"trainable weight {w.path} did not change"
        for w, s in zip(non_trainable, after_forward):
            assert torch.equal(w.detach(), s), (
                f"non-trainable weight {w.path} changed in the update"
            )
    n_trainable = len(trainable)
    layer.trainable = False
    assert layer.trainable_weights == [] and not any(w.requires_grad for w in layer.weights)
    layer.trainable = True
    assert len(layer.trainable_weights) == n_trainable, (
        "unfreezing did not restore the trainable weights"
    )


def check_compile(layer, x, atol, rtol):
    compiled = torch.compile(layer)
    _assert_close(
        compiled(x, training=False), layer(x, training=False), atol, rtol, "torch.compile output"
    )


def check_keras_parity(
    layer, layer_cls, init_kwargs, keras_init_kwargs, x, deterministic, atol, rtol
):
    keras = _import_keras()
    if keras is None:
        return
    keras_cls = getattr(keras.layers, layer_cls.__name__)
    kwargs = keras_init_kwargs if keras_init_kwargs is not None else init_kwargs
    klayer = keras_cls(**{k: _to_keras_value(v) for k, v in kwargs.items()})
    kx = [_numpy(t) for t in x] if isinstance(x, list) else _numpy(x)
    klayer(kx)
    kshapes = [tuple(w.shape) for w in klayer.get_weights()]
    ours = [tuple(w.shape) for w in layer.get_weights()]
    assert ours == kshapes, f"get_weights() shapes {ours} differ from Keras' {kshapes}"
    klayer.set_weights(layer.get_weights())

    def keras_call(training):
        out = klayer(kx, training=training)
        outs = out if isinstance(out, (list, tuple)) else [out]
        return [keras.ops.convert_to_numpy(o) for o in outs], [
            getattr(o, "_keras_mask", None) for o in outs
        ]

    kout, kmasks = keras_call(False)
    out = layer(x, training=False)
    _assert_close(out, kout, atol, rtol, "Keras parity (training=False)")
    for o, km in zip(_flat(out), kmasks):
        mask = getattr(o, "_keras_mask", None)
        if km is not None or mask is not None:
            assert mask is not None and km is not None, (
                "output mask differs from Keras' (one is None)"
            )
            np.testing.assert_array_equal(_numpy(mask), keras.ops.convert_to_numpy(km))
    if deterministic is False:
        return
    kout, _ = keras_call(True)
    out = layer(x, training=True)
    try:
        _assert_close(out, kout, atol, rtol, "Keras parity (training=True)")
    except AssertionError:
        if deterministic is None and not _same(layer(x, training=True), out):
            return  # a stochastic layer: its training outputs are random
        raise
    _assert_close(
        layer.get_weights(), klayer.get_weights(), atol, rtol, "weights after a training call"
    )


def _same(a: Any, b: Any) -> bool:
    return all(torch.equal(x, y) for x, y in zip(_flat(a), _flat(b)))
