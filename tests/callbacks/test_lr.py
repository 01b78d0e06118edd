import pytest
import torch

from torchkeras_lite.callbacks import get_learning_rate, set_learning_rate


def _param():
    return torch.nn.Parameter(torch.zeros(2))


def test_torch_optimizer():
    opt = torch.optim.Adam([{"params": [_param()]}, {"params": [_param()], "lr": 0.5}], lr=0.1)
    assert get_learning_rate(opt) == 0.1
    set_learning_rate(opt, 0.01)
    assert [g["lr"] for g in opt.param_groups] == [0.01, 0.01]
    assert get_learning_rate(opt) == 0.01


def test_tensor_learning_rate_is_filled_in_place():
    lr = torch.tensor(0.1)
    opt = torch.optim.Adam([_param()], lr=lr)
    set_learning_rate(opt, 0.02)
    assert opt.param_groups[0]["lr"] is lr
    assert get_learning_rate(opt) == pytest.approx(0.02)


class KerasStyle(torch.optim.SGD):
    """Like our Keras-style optimizers: a `learning_rate` property over the param groups."""

    def __init__(self, params, learning_rate):
        super().__init__(params, lr=learning_rate)
        self.sets = []

    @property
    def learning_rate(self):
        return torch.tensor(self.param_groups[0]["lr"] * 1.0)

    @learning_rate.setter
    def learning_rate(self, value):
        self.sets.append(value)
        for group in self.param_groups:
            group["lr"] = value


def test_learning_rate_property_is_preferred():
    opt = KerasStyle([_param()], learning_rate=0.5)
    assert get_learning_rate(opt) == 0.5
    set_learning_rate(opt, 0.25)
    assert opt.sets == [0.25] and opt.param_groups[0]["lr"] == 0.25


def test_read_only_property_falls_back_to_param_groups():
    class ReadOnly(torch.optim.SGD):
        @property
        def learning_rate(self):
            return self.param_groups[0]["lr"]

    opt = ReadOnly([_param()], lr=0.5)
    set_learning_rate(opt, 0.125)
    assert opt.param_groups[0]["lr"] == 0.125 and get_learning_rate(opt) == 0.125


def test_object_with_learning_rate_attribute():
    class Opt:
        learning_rate = 0.3

    opt = Opt()
    assert get_learning_rate(opt) == 0.3
    set_learning_rate(opt, 0.1)
    assert opt.learning_rate == 0.1


def test_keras_optimizer():
    keras = pytest.importorskip("keras")
    opt = keras.optimizers.SGD(learning_rate=0.5)
    assert get_learning_rate(opt) == 0.5
    set_learning_rate(opt, 0.25)
    assert get_learning_rate(opt) == 0.25


def test_errors():
    with pytest.raises(ValueError, match="Expected an optimizer with a `learning_rate` attribute"):
        get_learning_rate(object())
    with pytest.raises(ValueError, match="Expected an optimizer with a `learning_rate` attribute"):
        set_learning_rate(object(), 0.1)

    class Scheduled:
        learning_rate = staticmethod(lambda step: 0.1)

    with pytest.raises(TypeError, match="learning rate is not a number"):
        get_learning_rate(Scheduled())

    class ReadOnly:
        @property
        def learning_rate(self):
            return 0.1

    with pytest.raises(ValueError, match="`learning_rate` cannot be set"):
        set_learning_rate(ReadOnly(), 0.2)
