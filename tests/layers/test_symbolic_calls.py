"""Symbolic layer calls: real weights, `None` batch sizes, shape inference on fake tensors."""

import pytest
import torch

import torchkeras_lite as keras
from torchkeras_lite.layers import Layer, symbolic


class Linear(Layer):
    def __init__(self, units, **kwargs):
        super().__init__(**kwargs)
        self.units = units

    def build(self, input_shape):
        self.build_shape = input_shape
        self.kernel = self.add_weight(shape=(input_shape[-1], self.units), name="kernel")

    def call(self, x):
        return x @ self.kernel


class Block(Layer):
    """Sublayers built lazily inside `call`, and a weight made in `call`."""

    def __init__(self):
        super().__init__()
        self.first = Linear(4)
        self.second = Linear(2)

    def call(self, x):
        if not hasattr(self, "gain"):
            self.gain = self.add_weight(shape=(), initializer="ones", name="gain")
        self.add_loss(x.sum())
        return self.second(torch.relu(self.first(x))) * self.gain


def test_any_symbolic_looks_into_lists_and_kwargs():
    x = keras.Input((2,))
    assert symbolic.any_symbolic((x,), {}) and symbolic.any_symbolic(([torch.ones(1), x],), {})
    assert symbolic.any_symbolic((torch.ones(1),), {"mask": x})
    assert not symbolic.any_symbolic((torch.ones(1), [torch.ones(1)]), {"training": True})


def test_nested_lazy_sublayers_get_real_weights_and_none_batch_shapes():
    block = Block()
    y = block(keras.Input((None, 3)))
    assert y.shape == (None, None, 2)
    assert block.first.build_shape == (None, None, 3) and block.second.build_shape == (
        None,
        None,
        4,
    )
    weights = block.weights
    assert len(weights) == 3 and all(type(w).__name__ == "Variable" for w in weights)
    assert block.losses == []  # losses from shape inference are not kept
    out = block(torch.ones(2, 5, 3))
    assert out.shape == (2, 5, 2) and len(block.losses) == 1


def test_compute_output_shape_and_spec_default_to_fake_runs():
    layer = Linear(5)
    assert layer.compute_output_shape((None, 3)) == (None, 5) and layer.built
    spec = layer.compute_output_spec(keras.Input((7, 3)))
    assert (
        isinstance(spec, keras.KerasTensor)
        and spec.shape == (None, 7, 5)
        and spec._keras_history is None
    )


def test_overridden_compute_output_shape_is_used_instead_of_call():
    class Declared(Layer):
        def call(self, x):
            raise AssertionError("call must not run for shape inference")

        def compute_output_shape(self, input_shape):
            return (input_shape[0], 9)

    y = Declared(dtype="float64")(keras.Input((3,)))
    assert y.shape == (None, 9) and y.dtype == torch.float64


def test_data_dependent_call_gives_a_clear_error():
    class Branchy(Layer):
        def call(self, x):
            return x if x.sum() > 0 else -x

    with pytest.raises(RuntimeError, match=r"Branchy.call\(\) of layer 'branchy'.*\(None, 2\)"):
        Branchy()(keras.Input((2,)))
