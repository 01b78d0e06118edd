"""Every `keras.ops` name is provided, or listed with its reason in docs/ops_coverage.md."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from torchkeras_lite import ops
from torchkeras_lite import random as tk_random

keras = pytest.importorskip("keras")

DOC = Path(__file__).resolve().parents[2] / "docs" / "ops_coverage.md"


def _not_provided() -> set[str]:
    text = DOC.read_text().split("## Provided, with differences")[0]
    return set(re.findall(r"^\| `ops\.([\w.]+)` \|", text, flags=re.M))


def test_missing_names_are_exactly_the_documented_ones():
    missing = set()
    for keras_space, ours, prefix in [
        (keras.ops, ops, ""),
        (keras.ops.nn, ops.nn, ""),
        (keras.ops.numpy, ops.numpy, ""),
        (keras.ops.linalg, ops.linalg, ""),
        (keras.ops.image, ops.image, "image."),
    ]:
        missing |= {
            prefix + n for n in dir(keras_space) if not n.startswith("_") and not hasattr(ours, n)
        }
    assert missing == _not_provided()
    assert not [n for n in dir(keras.random) if not n.startswith("_") and not hasattr(tk_random, n)]
