"""The Layer core: lazy build, weights, names, losses, freezing, native torch modules, get/set weights."""

import numpy as np
import pytest
import torch
from torch import nn

import torchkeras_lite as keras
from torchkeras_lite.layers import Layer


class Linear(Layer):
    def __init__(self, units=3, **kwargs):
        super().__init__(**kwargs)
        self.units = units

    def build(self, input_shape):
        self.seen_shape = input_shape
        self.kernel = self.add_weight(
            shape=(input_shape[-1], self.units), initializer="ones", name="kernel"
        )
        self.bias = self.add_weight(shape=(self.units,), initializer="zeros", name="bias")

    def call(self, x):
        return x @ self.kernel + self.bias


class EagerLinear(Layer):
    """Plain-torch style: weights made in __init__."""

    def __init__(self, n_in, n_out):
        super().__init__()
        self.w = keras.Variable(torch.ones(n_in, n_out), name="w")

    def call(self, x):
        return x @ self.w


def test_lazy_build_runs_once_with_the_input_shape():
    layer = Linear(4)
    assert not layer.built and layer.weights == []
    out = layer(torch.ones(2, 5))
    assert layer.built and layer.seen_shape == (2, 5)
    assert torch.equal(out, torch.full((2, 4), 5.0))
    kernel = layer.kernel
    layer(torch.ones(3, 5))
    assert layer.kernel is kernel and layer.seen_shape == (2, 5)


def test_direct_build_and_weights_made_in_init():
    layer = Linear(2)
    layer.build((None, 3))
    assert layer.built and tuple(layer.kernel.shape) == (3, 2)
    eager = EagerLinear(3, 2)
    assert eager.built and eager.count_params() == 6
    assert torch.equal(eager(torch.ones(1, 3)), torch.full((1, 2), 3.0))


def test_weights_are_parameters_with_readable_keys():
    layer = Linear(2, name="lin")
    layer(torch.ones(1, 3))
    assert list(layer.state_dict()) == ["kernel", "bias"]
    assert [id(p) for p in layer.parameters()] == [id(layer.kernel), id(layer.bias)]
    assert isinstance(layer.kernel, nn.Parameter) and isinstance(layer.kernel, keras.Variable)
    assert layer.kernel.path == "lin/kernel" and layer.kernel.name == "kernel"
    layer.to(torch.float64)
    assert layer.kernel.dtype == torch.float64 and isinstance(layer.kernel, keras.Variable)


def test_attribute_name_differs_from_weight_name():
    class L(Layer):
        def build(self, shape):
            self.w = self.add_weight(shape=(shape[-1], 2), name="kernel")

        def call(self, x):
            return x @ self.w

    layer = L()
    layer(torch.ones(1, 3))
    assert list(layer.state_dict()) == ["w"] and layer.w.name == "kernel"


def test_unique_default_names_in_snake_case():
    class MyFancyBlock(Layer):
        pass

    a, b = MyFancyBlock(), MyFancyBlock()
    assert a.name.startswith("my_fancy_block")
    assert a.name != b.name and b.name.rsplit("_", 1)[-1].isdigit()


def test_unknown_kwargs_raise_type_error_naming_them():
    with pytest.raises(TypeError, match="Unrecognized keyword arguments passed to Linear: .*'foo'"):
        Linear(3, foo=1)


def test_non_trainable_weight_and_variable_api():
    class Counter(Layer):
        def build(self, shape):
            self.count = self.add_weight(
                shape=(), initializer="zeros", trainable=False, name="count"
            )

        def call(self, x):
            self.count.assign_add(x.shape[0])
            return x

    layer = Counter()
    layer(torch.ones(4, 2))
    layer(torch.ones(3, 2))
    assert layer.count.numpy() == 7.0
    assert not layer.count.requires_grad
    assert layer.non_trainable_weights == [layer.count] and layer.trainable_weights == []
    v = keras.Variable("ones", shape=(2,), name="v")
    v.assign_sub(torch.tensor([1.0, 2.0]))
    assert np.allclose(v.numpy(), [0.0, -1.0]) and v.trainable


def test_variable_assign_shape_error():
    v = keras.Variable(torch.zeros(2, 3), name="acc")
    with pytest.raises(
        ValueError, match=r"variable 'acc'.*Expected: \(2, 3\).*Received: value.shape=\(3, 2\)"
    ):
        v.assign(torch.zeros(3, 2))


def test_weight_order_get_set_weights_and_count_params():
    outer = Layer()
    outer.a = Linear(2)
    outer.b = Linear(3)
    outer.a(torch.ones(1, 2))
    outer.b(torch.ones(1, 2))
    names = [w.path.split("/")[1] for w in outer.weights]
    assert names == ["kernel", "bias", "kernel", "bias"]
    assert outer.count_params() == 2 * 2 + 2 + 2 * 3 + 3
    new = [np.full(w.shape, i, dtype="float32") for i, w in enumerate(outer.get_weights())]
    outer.set_weights(new)
    assert np.all(outer.b.bias.numpy() == 3)
    with pytest.raises(ValueError, match=r"weight '.*kernel' has shape \(2, 2\).*shape \(3, 3\)"):
        outer.set_weights([np.zeros((3, 3))] + new[1:])
    with pytest.raises(
        ValueError, match="with a weight list of length 1, but the layer was expecting 4"
    ):
        outer.set_weights(new[:1])


def test_count_params_before_build_errors():
    with pytest.raises(ValueError, match="isn't built"):
        Linear(2).count_params()


def test_add_weight_negative_shape_errors():
    class Bad(Layer):
        def build(self, shape):
            self.add_weight(shape=(-1, 2))

    with pytest.raises(ValueError, match=r"Layer 'bad.*'.*non-negative. Received: shape=\(-1, 2\)"):
        Bad()(torch.ones(1, 2))


def test_keras_only_options_are_accepted_when_off_and_refused_when_on():
    from torchkeras_lite.layers import Dense

    assert Dense(2, quantization_config=None, lora_rank=None).units == 2
    with pytest.raises(
        ValueError, match=r"Dense does not support `lora_rank`.*Received: lora_rank=4"
    ):
        Dense(2, lora_rank=4)


def test_layer_first_built_under_inference_mode_still_trains():
    from torchkeras_lite.layers import Conv2D

    layer = Conv2D(2, 3)
    with torch.inference_mode():
        layer(torch.ones(1, 5, 5, 1))
    assert not layer.kernel.is_inference()
    layer(torch.ones(1, 5, 5, 1), training=True).sum().backward()
    assert layer.kernel.grad is not None
