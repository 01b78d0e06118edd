"""Optimizer state as safetensors + JSON keyed by weight path: no pickle, order independent."""

import json
import math

import pytest
import torch

import torchkeras_lite as keras
from tests.saving.helpers import built_net
from torchkeras_lite.saving import SavingError
from torchkeras_lite.saving.optimizer_io import (
    decode,
    encode,
    load_optimizer_state,
    optimizer_state,
)


def _stepped(optimizer_factory, params, steps=3):
    optimizer = optimizer_factory(params)
    for i in range(steps):
        for p in params:
            p.grad = torch.full_like(p, 0.1 * (i + 1))
        optimizer.step()
    return optimizer


def test_state_follows_weight_paths_when_the_order_changes():
    model = built_net(0)
    params = list(model.parameters())
    optimizer = _stepped(lambda ps: keras.optimizers.Adam(0.01, params=ps), params)
    tensors, document = optimizer_state(optimizer, model)
    document = json.loads(json.dumps(document))
    assert sorted(document["state"]) == ["l1.bias", "l1.kernel", "l2.bias", "l2.kernel"]

    twin = built_net(0)
    reordered = keras.optimizers.Adam(0.5, params=list(twin.parameters())[::-1])
    load_optimizer_state(reordered, twin, tensors, document, "memory")
    assert reordered.iterations.item() == 3 and reordered.learning_rate == pytest.approx(0.01)
    for name, p in twin.named_parameters():
        original = dict(model.named_parameters())[name]
        for slot in ("momentum", "velocity"):
            assert torch.equal(reordered.state[p][slot], optimizer.state[original][slot])


def test_native_torch_optimizer_round_trip():
    model, twin = built_net(0), built_net(0)
    optimizer = _stepped(
        lambda ps: torch.optim.AdamW(ps, lr=0.1, betas=(0.8, 0.9)), list(model.parameters())
    )
    tensors, document = optimizer_state(optimizer, model)
    restored = torch.optim.AdamW(twin.parameters(), lr=1.0)
    load_optimizer_state(restored, twin, tensors, json.loads(json.dumps(document)), "memory")
    assert restored.param_groups[0]["betas"] == (0.8, 0.9) and restored.param_groups[0]["lr"] == 0.1
    assert torch.equal(
        restored.state[twin.l1.kernel]["exp_avg"], optimizer.state[model.l1.kernel]["exp_avg"]
    )


def test_loss_scale_optimizer_keeps_its_scale():
    model, twin = built_net(0), built_net(0)

    def make(params):
        optimizer = keras.optimizers.LossScaleOptimizer(keras.optimizers.SGD(0.1, momentum=0.9))
        optimizer.build(params)
        return optimizer

    optimizer = _stepped(make, list(model.parameters()))
    tensors, document = optimizer_state(optimizer, model)
    restored = keras.optimizers.LossScaleOptimizer(keras.optimizers.SGD(0.1, momentum=0.9))
    restored.build(list(twin.parameters()))
    load_optimizer_state(restored, twin, tensors, document, "memory")
    assert restored.state_dict()["loss_scale"] == optimizer.state_dict()["loss_scale"]


def test_other_weights_or_optimizer_class_are_refused():
    model = built_net(0)
    optimizer = _stepped(lambda ps: torch.optim.SGD(ps, lr=0.1), list(model.parameters()))
    tensors, document = optimizer_state(optimizer, model)
    other = built_net(0)
    with pytest.raises(
        SavingError, match="saved from a SGD optimizer, but the model's optimizer is a Adam"
    ):
        load_optimizer_state(torch.optim.Adam(other.parameters()), other, tensors, document, "f")
    partial = torch.optim.SGD(list(other.parameters())[:2], lr=0.1)
    with pytest.raises(
        SavingError,
        match=r"does not match the model's weights .*unexpected \['l2.bias', 'l2.kernel'\]",
    ):
        load_optimizer_state(partial, other, tensors, document, "f")


def test_encode_keeps_tuples_non_finite_floats_and_int_keys():
    tensors = {}
    value = {"t": (1, 2.5), "inf": math.inf, "nan": math.nan, 3: torch.ones(2), "s": "x"}
    document = json.loads(json.dumps(encode(value, "root", tensors)))
    back = decode(document, tensors, "memory")
    assert back["t"] == (1, 2.5) and back["inf"] == math.inf and math.isnan(back["nan"])
    assert torch.equal(back[3], torch.ones(2)) and back["s"] == "x"
    with pytest.raises(SavingError, match="never pickled"):
        encode({"f": print}, "root", {})
    with pytest.raises(SavingError, match="refers to a tensor that is not in the file"):
        decode({"__tensor__": "nope"}, {}, "memory")
