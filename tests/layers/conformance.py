"""`run_layer_test`: the checks every built-in layer must pass, reusable by each layer family.

Usage (from any test under tests/layers; `tests/layers/conftest.py` puts this folder on sys.path):

    from conformance import run_layer_test

    def test_dense_conformance():
        run_layer_test(keras.layers.Dense, {"units": 3}, input_shape=(2, 4),
                       expected_output_shape=(2, 3), expected_num_trainable_weights=2)
"""

from __future__ import annotations

from typing import Any

import numpy as np
import torch
from conformance_checks import (
    check_build_and_shapes,
    check_compile,
    check_config_round_trip,
    check_keras_parity,
    check_state_dict_round_trip,
    check_training_step,
    make_inputs,
    shapes_of,
)

from torchkeras_lite.layers import Layer

__all__ = ["run_layer_test", "make_inputs"]


def run_layer_test(
    layer_cls: type,
    init_kwargs: dict[str, Any],
    input_shape: Any,
    expected_output_shape: Any = None,
    input_dtype: str = "float32",
    expected_num_trainable_weights: int | None = None,
    expected_num_non_trainable_weights: int | None = None,
    supports_masking: bool | None = None,
    run_training_check: bool = True,
    run_compile_check: bool = False,
    keras_parity: bool = True,
    *,
    input_data: Any = None,
    keras_init_kwargs: dict[str, Any] | None = None,
    deterministic: bool | None = None,
    atol: float = 1e-5,
    rtol: float = 1e-5,
) -> Layer:
    """Builds `layer_cls(**init_kwargs)` on an input and runs the conformance checks.

    Checks, in order:
    1. Build: the first call builds the layer from the input's shape (batch included); a direct
       `build(input_shape)` makes the same weights; the output has `expected_output_shape`, and
       `compute_output_shape(input_shape)` (when the class defines it) agrees with the call.
    2. Weight counts and `supports_masking`, when expected values are given.
    3. Config: `get_config()` is JSON-serializable, `from_config` rebuilds an equal config, and the
       rebuilt layer with copied weights (`set_weights`) gives the same output.
    4. `state_dict()` loads into a fresh layer (from the config) that then gives the same output.
    5. Training (`run_training_check`): an inference call changes no weight; one training call,
       a random-projection loss (plus `layer.losses`), `backward` and a `torch.optim.SGD` step
       over `layer.parameters()` gives every trainable weight a gradient and changes it, gives
       non-trainable weights no gradient and leaves them as the forward pass left them (moving
       statistics may change in the forward pass); `trainable = False` freezes everything and
       `True` restores it.
    6. `torch.compile(layer)` matches eager in inference (`run_compile_check`; costs tens of
       seconds, so enable it for one or two layers per family at most).
    7. Keras parity (`keras_parity` and keras importable, run on its torch backend):
       `getattr(keras.layers, layer_cls.__name__)(**init_kwargs)` has the same `get_weights()`
       shapes; with our weights copied in, outputs (and output masks) match at `atol`/`rtol` with
       `training=False`, and with `training=True` for deterministic layers, after which the
       weights (e.g. moving statistics) must match too.

    Args:
        layer_cls: the layer class.
        init_kwargs: constructor arguments, used for our layer and (unless `keras_init_kwargs`)
            Keras'; our initializer/regularizer/constraint objects are converted for Keras.
        input_shape: the input shape including the batch dimension, or a list of shapes for a
            layer taking a list of inputs.
        expected_output_shape: the expected output shape (a list of shapes for several outputs).
        input_dtype: dtype name of the random inputs (`"float32"`: normal values, `"int32"`/
            `"int64"`: integers in [0, 10), `"bool"`).
        expected_num_trainable_weights: expected `len(layer.trainable_weights)`.
        expected_num_non_trainable_weights: expected `len(layer.non_trainable_weights)`.
        supports_masking: expected `layer.supports_masking`.
        run_training_check: run check 5.
        run_compile_check: run check 6.
        keras_parity: run check 7.
        input_data: explicit inputs (a tensor, array or list), instead of random ones.
        keras_init_kwargs: constructor arguments for the Keras layer when they differ.
        deterministic: whether training-mode outputs are deterministic; None detects it (a layer
            whose training outputs differ from Keras' *and* between two calls is random, and its
            training-mode parity is skipped); False skips training-mode parity.
        atol: absolute tolerance of every output comparison.
        rtol: relative tolerance of every output comparison.

    Returns:
        The built layer (after the checks), for further assertions.
    """
    if input_data is not None:
        x = input_data
        if isinstance(x, np.ndarray):
            x = torch.from_numpy(x)
        elif isinstance(x, (list, tuple)):
            x = [torch.as_tensor(t) for t in x]
        input_shape = shapes_of(x)
    else:
        x = make_inputs(input_shape, input_dtype)
    layer = layer_cls(**init_kwargs)
    outputs = layer(x)
    check_build_and_shapes(
        layer, layer_cls, init_kwargs, x, input_shape, outputs, expected_output_shape
    )
    if expected_num_trainable_weights is not None:
        assert len(layer.trainable_weights) == expected_num_trainable_weights, (
            f"{len(layer.trainable_weights)} trainable weights, expected {expected_num_trainable_weights}"
        )  # fmt: skip
    if expected_num_non_trainable_weights is not None:
        assert len(layer.non_trainable_weights) == expected_num_non_trainable_weights, (
            f"{len(layer.non_trainable_weights)} non-trainable weights, "
            f"expected {expected_num_non_trainable_weights}"
        )  # fmt: skip
    if supports_masking is not None:
        assert layer.supports_masking == supports_masking, (
            f"supports_masking is {layer.supports_masking}"
        )
    config = check_config_round_trip(layer, layer_cls, x, atol, rtol)
    check_state_dict_round_trip(layer, layer_cls, config, x, atol, rtol)
    if run_training_check:
        check_training_step(layer, x)
    if run_compile_check:
        check_compile(layer, x, atol, rtol)
    if keras_parity:
        check_keras_parity(
            layer, layer_cls, init_kwargs, keras_init_kwargs, x, deterministic, atol, rtol
        )
    return layer
