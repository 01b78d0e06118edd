"""The Layer call path: training flag, masks, losses, freezing, native torch modules, input specs."""

import pytest
import torch
from torch import nn

import torchkeras_lite as keras
from torchkeras_lite.layers import InputSpec, Layer


class Probe(Layer):
    """Records the training flag it was called with."""

    def call(self, x, training=None):
        self.seen = training
        return x * 2 if training else x


class Plain(Layer):
    """An intermediate layer whose call does not declare `training`."""

    def __init__(self):
        super().__init__()
        self.inner = Probe()

    def call(self, x):
        return self.inner(x)


class Outer(Layer):
    def __init__(self):
        super().__init__()
        self.block = Plain()
        self.fixed = Probe()

    def call(self, x, training=None):
        return self.fixed(self.block(x), training=False)


def test_training_reaches_nested_layers_through_calls_without_the_argument():
    outer = Outer()
    x = torch.ones(1, 2)
    assert torch.equal(outer(x, training=True), x * 2)
    assert outer.block.inner.seen is True and outer.fixed.seen is False  # explicit wins
    outer(x)
    assert outer.block.inner.seen is False  # default: inference
    plain = Plain()
    plain(x, training=True)  # `training` accepted by the outer call even though `call` lacks it
    assert plain.inner.seen is True


def test_training_given_positionally():
    probe = Probe()
    probe(torch.ones(1), True)
    assert probe.seen is True


def test_module_mode_drives_layers_inside_plain_torch_modules():
    net = nn.Sequential(nn.Linear(2, 2), Plain())
    net.train()
    net(torch.ones(1, 2))
    assert net[1].inner.seen is True
    net.eval()
    net(torch.ones(1, 2))
    assert net[1].inner.seen is False


def test_native_dropout_follows_the_training_flag():
    class WithDropout(Layer):
        def __init__(self):
            super().__init__()
            self.drop = nn.Dropout(0.5)

        def call(self, x):
            return self.drop(x)

    layer = WithDropout()
    x = torch.ones(1000)
    assert torch.equal(layer(x), x)
    assert (layer(x, training=True) == 0).any()
    assert torch.equal(layer(x), x)


class LossLayer(Layer):
    def call(self, x):
        self.add_loss(x.sum())
        return x


def test_add_loss_cleared_on_each_outermost_call_and_collected_recursively():
    class Model(Layer):
        def __init__(self):
            super().__init__()
            self.a = LossLayer()
            self.shared = LossLayer()

        def call(self, x):
            return self.shared(self.a(self.shared(x)))

    m = Model()
    m(torch.ones(2))
    assert [float(v) for v in m.losses] == [2.0, 2.0, 2.0]  # shared layer keeps both losses
    m(torch.full((2,), 3.0))
    assert [float(v) for v in m.losses] == [6.0, 6.0, 6.0]
    assert [float(v) for v in m.a.losses] == [6.0]


def test_regularizer_penalties_are_in_losses():
    class Reg(Layer):
        def build(self, shape):
            self.k = self.add_weight(
                shape=(2,), initializer="ones", regularizer=keras.regularizers.L2(0.5)
            )

        def call(self, x):
            return x * self.k

    layer = Reg()
    layer(torch.ones(2))
    assert [float(v) for v in layer.losses] == [1.0]


def test_activity_regularizer_adds_a_loss():
    layer = Layer(activity_regularizer=keras.regularizers.L1(0.1))
    layer(torch.tensor([[1.0, -2.0]]))
    assert len(layer.losses) == 1


def test_freezing_is_recursive_and_restores_what_was_trainable():
    class Net(Layer):
        def __init__(self):
            super().__init__()
            self.native = nn.Linear(2, 2)
            self.const = keras.Variable(torch.zeros(2), trainable=False, name="const")

    net = Net()
    net.native.bias.requires_grad_(False)  # natively frozen before
    assert len(net.trainable_weights) == 1
    net.trainable = False
    assert net.trainable_weights == [] and len(net.non_trainable_weights) == 3
    assert not net.native.weight.requires_grad
    net.trainable = True
    assert net.native.weight.requires_grad and not net.native.bias.requires_grad
    assert not net.const.requires_grad


def test_native_modules_are_tracked_and_trained_by_a_torch_loop():
    class Block(Layer):
        def __init__(self):
            super().__init__()
            self.lin = nn.Linear(3, 1)
            self.layers_list = [nn.Linear(3, 3), nn.Tanh()]

        def call(self, x):
            for m in self.layers_list:
                x = m(x)
            return self.lin(x)

    block = Block()
    assert len(block.weights) == 4 and "layers_list.0.weight" in block.state_dict()
    model = nn.Sequential(block)  # a Layer inside a plain module
    opt = torch.optim.SGD(model.parameters(), lr=0.1)
    x, y = torch.randn(16, 3), torch.randn(16, 1)
    losses = []
    for _ in range(20):
        opt.zero_grad()
        loss = ((model(x) - y) ** 2).mean()
        loss.backward()
        opt.step()
        losses.append(float(loss))
    assert losses[-1] < losses[0] * 0.9


def test_list_filled_after_assignment_is_tracked():
    class Stack(Layer):
        def __init__(self):
            super().__init__()
            self.blocks = []
            for _ in range(3):
                self.blocks.append(nn.Linear(2, 2))

    assert len(Stack().weights) == 6


def test_input_spec_error_names_the_layer_and_shapes():
    class Needs3D(Layer):
        def __init__(self):
            super().__init__(name="needs3d")
            self.input_spec = InputSpec(ndim=3)

        def call(self, x):
            return x

    with pytest.raises(
        ValueError,
        match=r"Input 0 of layer 'needs3d' is incompatible.*expected ndim=3, found ndim=2",
    ):
        Needs3D()(torch.ones(2, 2))
    spec_layer = Layer(name="axes")
    spec_layer.input_spec = InputSpec(axes={-1: 4})
    with pytest.raises(
        ValueError, match=r"expected axis -1 of input shape to have value 4.*\(2, 3\)"
    ):
        spec_layer(torch.ones(2, 3))


def test_masks_travel_with_outputs_to_the_next_layer():
    class MakeMask(Layer):
        def call(self, x):
            return x

        def compute_mask(self, inputs, previous_mask=None):
            return inputs != 0

    class PassThrough(Layer):
        def __init__(self):
            super().__init__()
            self.supports_masking = True

        def call(self, x):
            return x + 1

    class UseMask(Layer):
        def call(self, x, mask=None):
            self.got = mask
            return x

    x = torch.tensor([[1.0, 0.0, 2.0]])
    y = UseMask()
    out = y(PassThrough()(MakeMask()(x)))
    assert torch.equal(y.got, torch.tensor([[True, False, True]]))
    assert out._keras_mask is None  # UseMask neither supports nor makes masks


def test_mixed_precision_policy_keeps_float32_weights():
    class Lin(Layer):
        def build(self, shape):
            self.k = self.add_weight(shape=(shape[-1], 2))

        def call(self, x):
            return x @ self.k

    layer = Lin(dtype="mixed_bfloat16")
    out = layer(torch.ones(2, 3))
    assert layer.k.dtype == torch.float32 and out.dtype == torch.bfloat16
    assert layer.dtype == "float32" and layer.compute_dtype == "bfloat16"
    half = Lin(dtype="bfloat16")
    assert half(torch.ones(2, 3)).dtype == torch.bfloat16 and half.k.dtype == torch.bfloat16


def test_float64_numpy_inputs_are_accepted():
    import numpy as np

    layer = Probe()
    out = layer(np.ones((2, 2)))
    assert isinstance(out, torch.Tensor) and out.dtype == torch.float32
