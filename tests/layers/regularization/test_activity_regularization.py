"""ActivityRegularization: conformance with Keras parity, the penalty value, config and errors."""

import pytest
import torch
from conformance import run_layer_test

from torchkeras_lite.layers.regularization.activity_regularization import ActivityRegularization


def test_activity_regularization_conformance():
    run_layer_test(
        ActivityRegularization,
        {"l1": 0.01, "l2": 0.02},
        input_shape=(3, 4),
        expected_output_shape=(3, 4),
        expected_num_trainable_weights=0,
        supports_masking=True,
    )


def test_activity_regularization_penalty_matches_keras():
    keras = pytest.importorskip("keras")
    x = torch.randn(4, 5)
    ours = ActivityRegularization(l1=0.1, l2=0.3)
    theirs = keras.layers.ActivityRegularization(l1=0.1, l2=0.3)
    assert torch.equal(ours(x), x)
    theirs(x)
    expected = (0.1 * x.abs().sum() + 0.3 * x.square().sum()) / x.shape[0]
    torch.testing.assert_close(ours.losses[0], expected)
    # Keras 3 divides activity penalties by the batch size in Layer.__call__, and so do we.
    torch.testing.assert_close(ours.losses[0], theirs.losses[0].detach())
    ours(x * 2)
    assert len(ours.losses) == 1  # cleared on each call


def test_activity_regularization_config_and_errors():
    config = ActivityRegularization(l1=0.5).get_config()
    assert "activity_regularizer" not in config and config["l1"] == 0.5 and config["l2"] == 0.0
    assert ActivityRegularization.from_config(config).get_config() == config
    with pytest.raises(ValueError, match="Received: l2=-1"):
        ActivityRegularization(l2=-1)
