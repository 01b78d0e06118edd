"""`keras.Input` and KerasTensors: Keras shapes, torch ops recorded as graph nodes, symbolic errors."""

import pytest
import torch
import torch.nn.functional as F

import torchkeras_lite as keras
from torchkeras_lite.models.torch_ops import TorchOp


def _op_of(t):
    op = t._keras_history.operation
    assert isinstance(op, TorchOp)
    return op


def test_input_shape_dtype_and_name():
    x = keras.Input((16,), name="features")
    assert isinstance(x, keras.KerasTensor) and isinstance(x, torch.Tensor)
    assert x.shape == (None, 16) and x.ndim == 2 and x.dtype == torch.float32
    assert (
        x.name == "features"
        and repr(x) == "<KerasTensor shape=(None, 16), dtype=float32, name=features>"
    )
    ids = keras.Input(shape=(None,), batch_size=8, dtype="int64")
    assert ids.shape == (8, None) and ids.dtype == torch.int64
    assert keras.Input(batch_shape=(None, 3, 4)).shape == (None, 3, 4)
    layer = x._keras_history.operation
    assert isinstance(layer, keras.layers.InputLayer) and layer.output is x
    assert layer.batch_shape == (None, 16) and layer.get_config()["batch_shape"] == [None, 16]


def test_input_argument_errors():
    with pytest.raises(ValueError, match="You must pass a `shape` argument"):
        keras.Input()
    with pytest.raises(ValueError, match="both `shape` and `batch_shape`"):
        keras.Input((3,), batch_shape=(None, 3))


@pytest.mark.parametrize(
    "fn, shape, target",
    [
        (lambda x: torch.relu(x), (None, 16), "relu"),
        (lambda x: F.gelu(x), (None, 16), "gelu"),
        (lambda x: x + x, (None, 16), "add"),
        (lambda x: x * 2, (None, 16), "mul"),
        (lambda x: 1 - x, (None, 16), "__rsub__"),
        (lambda x: x[:, 0], (None,), "getitem"),
        (lambda x: x.reshape(-1, 4, 4), (None, 4, 4), "reshape"),
        (lambda x: x.reshape(-1, 4, 4).permute(0, 2, 1), (None, 4, 4), "permute"),
        (lambda x: x.mean(dim=1), (None,), "mean"),
        (lambda x: torch.cat([x, x], dim=1), (None, 32), "cat"),
        (lambda x: torch.matmul(x, torch.ones(16, 3)), (None, 3), "matmul"),
        (lambda x: x.reshape(-1), (None,), "reshape"),
        (lambda x: x.T, (16, None), "T"),
    ],
)
def test_torch_ops_are_recorded_with_keras_shapes(fn, shape, target):
    x = keras.Input((16,))
    y = fn(x)
    assert isinstance(y, keras.KerasTensor) and y.shape == shape
    op = _op_of(y)
    name = op.target if isinstance(op.target, str) else op.target.__name__
    assert name == target
    node = op._inbound_nodes[0]
    assert any(t is x for t in node.input_tensors) or node.parent_nodes


def test_multi_output_ops_and_metadata():
    x = keras.Input((5, 3))
    values, indices = torch.max(x, dim=1)
    assert values.shape == (None, 3) and indices.dtype == torch.int64
    a, b = torch.split(x, [1, 2], dim=2)
    assert a.shape == (None, 5, 1) and b.shape == (None, 5, 2)
    assert a._keras_history.operation is b._keras_history.operation
    assert x.size() == (None, 5, 3) and x.size(1) == 5 and x.size(0) is None
    assert x.dim() == 3 and x.is_floating_point() and x.numel() is None
    assert (x > 0).dtype == torch.bool and x.to(torch.float64).dtype == torch.float64


def test_augmented_assignment_records_the_out_of_place_op():
    x = keras.Input((4,))
    y = torch.relu(x)
    before = y
    y += 1
    assert y is not before and _op_of(y).target == "add"


def test_value_conversions_and_inplace_ops_raise():
    x = keras.Input((4,))
    with pytest.raises(
        TypeError, match="A KerasTensor is symbolic: it has no value, so `__bool__`"
    ):
        bool(x.sum() > 0)
    with pytest.raises(TypeError, match="`item` cannot be applied"):
        x.sum().item()
    with pytest.raises(
        ValueError, match="In-place operation `relu_` is not supported on KerasTensors"
    ):
        x.relu_()
    with pytest.raises(ValueError, match="In-place operation `__setitem__`"):
        x[:, 0] = 1.0


def test_op_shape_errors_name_the_op_and_shapes():
    x = keras.Input((4,))
    with pytest.raises(
        RuntimeError, match=r"calling `torch.Tensor.matmul` on symbolic inputs of shape \(None, 4\)"
    ):
        x @ torch.ones(5, 2)
    with pytest.raises(RuntimeError, match=r"torch.Tensor.reshape.*\(None, 4\)"):
        x.reshape(-1, 3)
