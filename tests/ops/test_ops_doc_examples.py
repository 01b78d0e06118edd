"""Acceptance: the examples of Keras' own `keras.ops` docstrings, run unchanged with `keras` bound to
torchkeras_lite, must give what they give with Keras 3 (torch backend).

Each `>>>` example of an op's docstring runs twice, statement by statement, in a namespace where
`keras`/`ops` are Keras, then torchkeras_lite; the values of its expression statements are
compared. Examples that do not run under Keras itself (some are written for other backends) are
skipped.
"""

from __future__ import annotations

import ast
import inspect
import types

import numpy as np
import pytest
import torch

import torchkeras_lite
from tests.ops.test_ops_coverage import _not_provided
from torchkeras_lite import ops as tk_ops

keras = pytest.importorskip("keras")


def _examples(fn) -> list[str]:
    """The `>>>` code of a docstring, continuation lines joined."""
    lines, code = [], []
    for raw in (inspect.getdoc(fn) or "").splitlines():
        line = raw.strip()
        if line.startswith(">>> "):
            code.append(line[4:])
        elif line.startswith("...") and code:
            code.append(line[4:] if line.startswith("... ") else "")
        elif code and not line.startswith((">>>", "...")):
            lines.append("\n".join(code))
            code = []
    if code:
        lines.append("\n".join(code))
    return lines


# Unseeded `keras.random` draws differ between Keras and torch's global generator: in the examples
# both sides draw their inputs from numpy's (seeded) generator instead.
_INPUTS = types.SimpleNamespace(
    normal=lambda shape, *a, **k: torch.from_numpy(np.random.normal(size=shape).astype("float32")),
    uniform=lambda shape, *a, **k: torch.from_numpy(
        np.random.uniform(size=shape).astype("float32")
    ),
)


def _namespace(real: bool) -> dict:
    if real:
        facade = types.SimpleNamespace(**{n: getattr(keras, n) for n in dir(keras)})
        ops = keras.ops
    else:
        facade = types.SimpleNamespace(**vars(torchkeras_lite))
        ops = tk_ops
    facade.ops, facade.random = ops, _INPUTS
    space = {n: getattr(ops, n) for n in dir(ops) if not n.startswith("_")}
    space.update(keras=facade, ops=ops, np=np)
    return space


def _run(code: str, space: dict) -> list:
    values = []
    torch.manual_seed(0)
    np.random.seed(0)
    for node in ast.parse("\n".join(code)).body:
        if isinstance(node, ast.Expr):
            values.append(eval(compile(ast.Expression(node.value), "<doc>", "eval"), space))
        else:
            exec(compile(ast.Module([node], []), "<doc>", "exec"), space)
    return values


def _same(a, b) -> None:
    if isinstance(b, (list, tuple)):
        assert len(a) == len(b)
        for x, y in zip(a, b):
            _same(x, y)
        return
    if hasattr(b, "dtype") or isinstance(b, (int, float, bool)):
        x = a.detach().cpu().numpy() if isinstance(a, torch.Tensor) else np.asarray(a)
        y = b.detach().cpu().numpy() if isinstance(b, torch.Tensor) else np.asarray(b)
        assert x.shape == y.shape
        np.testing.assert_allclose(x.astype("float64"), y.astype("float64"), atol=1e-5)


def _documented(space, prefix: str = "") -> list[str]:
    return [
        prefix + n
        for n in sorted(dir(space))
        if not n.startswith("_") and callable(getattr(space, n)) and _examples(getattr(space, n))
    ]


NAMES = _documented(keras.ops) + _documented(keras.ops.image, "image.")


def _keras_fn(name: str):
    space = keras.ops
    for part in name.split("."):
        space = getattr(space, part)
    return space


NOT_PROVIDED = _not_provided()


@pytest.mark.parametrize("name", [n for n in NAMES if n not in NOT_PROVIDED])
def test_doc_examples(name):
    ran = 0
    for example in _examples(_keras_fn(name)):
        code = example.splitlines()
        try:
            expected = _run(code, _namespace(real=True))
        except Exception:
            continue  # not runnable with Keras' torch backend either
        got = _run(code, _namespace(real=False))
        _same(got, expected)
        ran += 1
    if not ran:
        pytest.skip(
            f"no example of keras.ops.{name} runs on Keras' torch backend"
        )  # see test_ops_behaviour
