"""`result_type` and friends against `keras.backend` on every pair of dtypes and weak types."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
import torch

from torchkeras_lite import backend, config, ops
from torchkeras_lite.ops import dtype_rules

keras = pytest.importorskip("keras")

DTYPES = ["bool", "uint8", "int8", "int16", "int32", "int64", "bfloat16", "float16", "float32",
          "float64", "complex64", int, float, bool]  # fmt: skip


def test_result_type_matches_keras_on_all_pairs_and_triples():
    for combo in itertools.chain(
        ((d,) for d in DTYPES),
        itertools.product(DTYPES, repeat=2),
        itertools.combinations(DTYPES, 3),
    ):
        expected = keras.backend.result_type(*combo)
        assert dtype_rules.result_type(*combo) == expected, combo
        assert backend.result_type(*combo) == expected, combo


def test_result_type_follows_floatx():
    config.set_floatx("float64")
    try:
        assert dtype_rules.result_type("int32", float) == "float32"  # narrowed like Keras
        assert dtype_rules.result_type() == "float64"
    finally:
        config.set_floatx("float32")


def test_standardize_dtype_and_predicates():
    for d in (torch.float16, np.dtype("int8"), "float64", int, float, bool, None, "int"):
        assert dtype_rules.standardize_dtype(d) == keras.backend.standardize_dtype(d)
    assert backend.standardize_dtype(torch.bfloat16) == "bfloat16"
    assert backend.is_float_dtype("bfloat16") and not backend.is_float_dtype("int8")
    assert backend.is_int_dtype(torch.uint8) and not backend.is_int_dtype("float16")


def test_python_scalars_are_weakly_typed():
    i8 = np.array([1, 2], "int8")
    assert ops.add(i8, 3).dtype == torch.int8
    assert ops.add(i8, 0.5).dtype == torch.float32
    assert ops.multiply(np.ones(2, "float16"), 2.0).dtype == torch.float16
    assert ops.add(1, 2).dtype == torch.int32 and ops.add(1.0, 2).dtype == torch.float32
    assert ops.maximum(np.ones(2, "uint8"), np.ones(2, "int8")).dtype == torch.int16
