"""RepeatVector: repetition (Keras parity), rank check, errors."""

import pytest
import torch
from conformance import run_layer_test

from torchkeras_lite.layers.reshaping import RepeatVector


def test_repeat_vector_conformance():
    run_layer_test(RepeatVector, {"n": 3}, (2, 5), (2, 3, 5))


def test_repeat_vector_values_are_writable_copies():
    x = torch.randn(2, 4)
    out = RepeatVector(3)(x)
    torch.testing.assert_close(out, x[:, None, :].expand(2, 3, 4))
    out[:, 0] = 0.0  # a real tensor, not a broadcast view
    assert not torch.equal(out[:, 1], out[:, 0])


def test_repeat_vector_errors():
    with pytest.raises(ValueError, match="positive integer. Received: n=0"):
        RepeatVector(0)
    with pytest.raises(TypeError, match="Expected an integer value for `n`. Received: n=2.0"):
        RepeatVector(2.0)
    with pytest.raises(ValueError, match="expected ndim=2, found ndim=3"):
        RepeatVector(2)(torch.ones(1, 2, 3))
