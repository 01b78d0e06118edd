"""`keras.utils` re-exports, each used the way Keras' documentation shows."""

from __future__ import annotations

import math
import random

import numpy as np
import torch

from torchkeras_lite import utils
from torchkeras_lite.layers import Layer


class Batches(utils.PyDataset):
    def __init__(self, x, y, batch_size, **kwargs):
        super().__init__(**kwargs)
        self.x, self.y, self.batch_size = x, y, batch_size

    def __len__(self):
        return math.ceil(len(self.x) / self.batch_size)

    def __getitem__(self, idx):
        s = slice(idx * self.batch_size, (idx + 1) * self.batch_size)
        return self.x[s], self.y[s]


def test_py_dataset_and_sequence_alias():
    data = Batches(np.arange(10), np.arange(10), batch_size=4, workers=2)
    assert len(data) == 3 and data.workers == 2
    np.testing.assert_array_equal(data[2][0], [8, 9])
    assert utils.Sequence is utils.PyDataset


def test_set_random_seed_seeds_python_numpy_and_torch():
    utils.set_random_seed(42)
    first = (random.random(), np.random.rand(), torch.rand(1).item())
    utils.set_random_seed(42)
    assert (random.random(), np.random.rand(), torch.rand(1).item()) == first


@utils.register_keras_serializable(package="MyLayers")
class Scale(Layer):
    def __init__(self, factor=2.0, **kwargs):
        super().__init__(**kwargs)
        self.factor = factor

    def call(self, x):
        return x * self.factor

    def get_config(self):
        return {**super().get_config(), "factor": self.factor}


def test_serialization_helpers():
    config = utils.serialize_keras_object(Scale(3.0))
    assert config["registered_name"] == "MyLayers>Scale"
    restored = utils.deserialize_keras_object(config)
    assert isinstance(restored, Scale) and restored.factor == 3.0

    class Local(Scale):
        pass

    with utils.custom_object_scope({"Local": Local}):
        local = utils.deserialize_keras_object(
            {
                "class_name": "Local",
                "config": {"factor": 1.5},
                "module": None,
                "registered_name": "Local",
            }
        )
    assert isinstance(local, Local) and local.factor == 1.5


def test_progbar_is_exported():
    bar = utils.Progbar(3, verbose=0)
    for i in range(3):
        bar.update(i + 1, values=[("loss", 0.1)])
