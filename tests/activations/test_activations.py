"""Activations: values equal to Keras' (default and other arguments), registry, errors."""

import json

import numpy as np
import pytest
import torch

from torchkeras_lite import activations
from torchkeras_lite.activations import REGISTRY


@pytest.fixture
def keras():
    return pytest.importorskip("keras")


CASES = [
    ("relu", {}),
    ("relu", {"negative_slope": 0.1}),
    ("relu", {"max_value": 6.0}),
    ("relu", {"max_value": 2.5}),
    ("relu", {"threshold": 0.5}),
    ("relu", {"negative_slope": 0.2, "threshold": 0.3}),
    ("relu", {"negative_slope": 0.1, "max_value": 3.0, "threshold": -0.5}),
    ("relu", {"negative_slope": 0.1, "max_value": 6}),
    ("relu6", {}),
    ("leaky_relu", {}),
    ("leaky_relu", {"negative_slope": 0.05}),
    ("elu", {}),
    ("elu", {"alpha": 0.5}),
    ("selu", {}),
    ("celu", {"alpha": 2.0}),
    ("gelu", {}),
    ("gelu", {"approximate": True}),
    ("silu", {}),
    ("swish", {}),
    ("mish", {}),
    ("sigmoid", {}),
    ("hard_sigmoid", {}),
    ("hard_silu", {}),
    ("hard_swish", {}),
    ("tanh", {}),
    ("softmax", {}),
    ("softmax", {"axis": 1}),
    ("softmax", {"axis": (0, 2)}),
    ("softmax", {"axis": None}),
    ("log_softmax", {}),
    ("log_softmax", {"axis": 0}),
    ("log_softmax", {"axis": (1, 2)}),
    ("softplus", {}),
    ("softsign", {}),
    ("exponential", {}),
    ("linear", {}),
    ("log_sigmoid", {}),
    ("squareplus", {}),
    ("squareplus", {"b": 1.0}),
    ("sparse_plus", {}),
    ("sparse_sigmoid", {}),
    ("hard_tanh", {}),
    ("hard_shrink", {}),
    ("hard_shrink", {"threshold": 1.0}),
    ("soft_shrink", {"threshold": 0.3}),
    ("tanh_shrink", {}),
    ("threshold", {"threshold": 0.5, "default_value": -2.0}),
    ("glu", {}),
    ("glu", {"axis": 1}),
]


@pytest.mark.parametrize("name,kwargs", CASES, ids=lambda v: str(v))
def test_matches_keras(keras, name, kwargs):
    x = (np.random.default_rng(0).normal(size=(3, 4, 6)) * 3).astype("float32")
    ours = getattr(activations, name)(torch.tensor(x), **kwargs)
    theirs = keras.ops.convert_to_numpy(getattr(keras.activations, name)(x, **kwargs))
    np.testing.assert_allclose(ours.numpy(), theirs, atol=1e-5, rtol=1e-5)


def test_keras_defaults():
    x = torch.tensor([-1.0, 1.0])
    torch.testing.assert_close(activations.leaky_relu(x), torch.tensor([-0.2, 1.0]))
    torch.testing.assert_close(activations.gelu(x), torch.nn.functional.gelu(x))  # exact erf form


def test_sparsemax_projects_onto_the_simplex():
    # Keras 3.15's sparsemax computes a wrong threshold when the support has more than one
    # element (keras-team/keras#23425); these are the values of Martins & Astudillo's algorithm.
    x = torch.tensor([[0.0, 0.5, 1.0], [2.0, 0.0, -1.0], [0.1, 0.2, 0.3]])
    expected = torch.tensor([[0.0, 0.25, 0.75], [1.0, 0.0, 0.0], [0.2333333, 0.3333333, 0.4333333]])
    torch.testing.assert_close(activations.sparsemax(x), expected)
    y = torch.randn(4, 7, 5) * 2
    out = activations.sparsemax(y, axis=1)
    torch.testing.assert_close(out.sum(1), torch.ones(4, 5))
    assert (out >= 0).all() and (out == 0).any()


def test_keeps_dtype_and_accepts_arrays():
    x = torch.randn(5, dtype=torch.float64)
    assert activations.softmax(x).dtype == torch.float64
    assert activations.relu(x, max_value=1.0, threshold=0.1).dtype == torch.float64
    out = activations.relu(np.array([-1.0, 2.0], dtype="float32"))
    assert isinstance(out, torch.Tensor) and out.tolist() == [0.0, 2.0]
    assert activations.sigmoid([0.0]).dtype == torch.float32


# -- registry --------------------------------------------------------------------------------------
@pytest.mark.parametrize("name", REGISTRY.names())
def test_every_name_round_trips(keras, name):
    fn = activations.get(name)
    assert fn is getattr(activations, name)
    serialized = activations.serialize(fn)
    json.dumps(serialized)
    assert activations.deserialize(serialized) is fn
    assert activations.get(serialized) is fn
    assert activations.get(fn) is fn
    assert hasattr(keras.activations, name)
    # Keras' own serialization of the function is understood here.
    assert (
        activations.deserialize(keras.activations.serialize(getattr(keras.activations, name))) is fn
    )


def test_serialize_names_and_aliases():
    assert activations.serialize(activations.relu) == "relu"
    assert activations.serialize(activations.swish) == "silu"
    assert activations.serialize(activations.hard_swish) == "hard_silu"
    assert activations.get("swish") is activations.silu
    assert activations.get(None) is activations.linear
    assert activations.serialize(None) is None


def test_keras_function_dict_and_custom_objects():
    cfg = {
        "module": "builtins",
        "class_name": "function",
        "config": "tanh",
        "registered_name": "function",
    }
    assert activations.deserialize(cfg) is activations.tanh

    def my_act(x):
        return x * 2

    assert activations.get("my_act", custom_objects={"my_act": my_act}) is my_act
    assert activations.serialize(my_act) == "my_act"


def test_callable_object_activation_round_trips():
    class Scaled:
        def __init__(self, factor=2.0):
            self.factor = factor

        def __call__(self, x):
            return x * self.factor

        def get_config(self):
            return {"factor": self.factor}

    assert activations.get(Scaled) is Scaled  # classes are not instantiated
    cfg = activations.serialize(Scaled(3.0))
    restored = activations.deserialize(cfg, custom_objects={"Scaled": Scaled})
    assert restored.factor == 3.0


# -- errors ----------------------------------------------------------------------------------------
def test_unknown_name_lists_close_matches():
    with pytest.raises(ValueError, match=r"Unknown activation: 'rleu'.*Did you mean.*'relu'"):
        activations.get("rleu")
    with pytest.raises(ValueError, match=r"Unknown activation: 'sofmax'.*'softmax'"):
        activations.deserialize("sofmax")


def test_bad_identifiers():
    with pytest.raises(
        ValueError,
        match=r"Could not interpret activation function identifier.*Received: activation=5",
    ):
        activations.get(5)
    with pytest.raises(ValueError, match=r"Cannot serialize a lambda activation"):
        activations.serialize(lambda x: x)


def test_glu_needs_an_even_axis():
    with pytest.raises(
        ValueError, match=r"even size along `axis`.*Received: x.shape=\(2, 3\), axis=-1"
    ):
        activations.glu(torch.ones(2, 3))
