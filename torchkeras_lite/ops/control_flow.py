"""`keras.ops` control flow and function transforms, run eagerly as Keras runs them on torch.

`cond`/`while_loop` read their predicate on the host, `scan`/`map`/`fori_loop` loop in Python,
`vectorized_map`/`vectorize` use `torch.vmap`, `custom_gradient` a `torch.autograd.Function`.

Example:
    >>> keras.ops.fori_loop(0, 3, lambda i, x: x + i, 0)
    3
"""

from __future__ import annotations

import builtins
from collections.abc import Callable, Sequence
from typing import Any

import torch
import torch.utils._pytree as pytree

from torchkeras_lite.ops.tensor_utils import convert


def cond(pred: Any, true_fn: Callable, false_fn: Callable) -> Any:
    """`true_fn()` if `pred` else `false_fn()`."""
    return true_fn() if bool(pred) else false_fn()


def switch(index: Any, branches: Sequence[Callable], *operands: Any) -> Any:
    """`branches[index](*operands)`, with `index` clamped to the valid range."""
    i = int(index)
    return branches[builtins.min(builtins.max(i, 0), len(branches) - 1)](*operands)


def while_loop(cond: Callable, body: Callable, loop_vars: Any, maximum_iterations=None) -> Any:
    """Runs `loop_vars = body(*loop_vars)` while `cond(*loop_vars)` (at most `maximum_iterations`)."""
    is_tuple = isinstance(loop_vars, (tuple, list))
    state = tuple(loop_vars) if is_tuple else (loop_vars,)
    state = pytree.tree_map(convert, state)
    steps = 0
    while (maximum_iterations is None or steps < maximum_iterations) and bool(cond(*state)):
        state = body(*state)
        state = tuple(state) if isinstance(state, (tuple, list)) else (state,)
        steps += 1
    return state if is_tuple else state[0]


def fori_loop(lower: int, upper: int, body_fun: Callable, init_val: Any) -> Any:
    """`val = body_fun(i, val)` for `i` in `range(lower, upper)`."""
    val = init_val
    for i in range(int(lower), int(upper)):
        val = body_fun(i, val)
    return val


def scan(f: Callable, init: Any, xs: Any = None, length=None, reverse: bool = False, unroll=1):
    """Loops `carry, y = f(carry, x)` over the leading axis of `xs`; returns `(carry, stacked ys)`."""
    if not callable(f):
        raise TypeError(f"`f` must be callable. Received: f={f!r}")
    if xs is None and length is None:
        raise ValueError("Expected `xs` or `length`. Received: xs=None, length=None")
    leaves, spec = pytree.tree_flatten(xs)
    leaves = [convert(leaf) for leaf in leaves]
    n = int(length) if length is not None else leaves[0].shape[0]
    carry = pytree.tree_map(convert, init)
    ys = []
    for i in reversed(range(n)) if reverse else range(n):
        x = pytree.tree_unflatten([leaf[i] for leaf in leaves], spec) if leaves else None
        carry, y = f(carry, x)
        ys.append(y)
    if reverse:
        ys.reverse()
    if not ys or ys[0] is None:
        return carry, None
    return carry, pytree.tree_map(lambda *parts: torch.stack(parts), ys[0], *ys[1:])


def map(f: Callable, xs: Any) -> Any:
    """`f` applied to each slice of `xs` along the leading axis, the results stacked."""
    return scan(lambda _, x: ((), f(x)), (), xs)[1]


def associative_scan(f: Callable, elems: Any, reverse: bool = False, axis: int = 0) -> Any:
    """The inclusive scan of an associative `f` along `axis`: `out[i] = f(out[i-1], elems[i])`."""
    leaves, spec = pytree.tree_flatten(elems)
    leaves = [torch.movedim(convert(leaf), axis, 0) for leaf in leaves]
    order = range(leaves[0].shape[0] - 1, -1, -1) if reverse else range(leaves[0].shape[0])
    out, prev = [], None
    for i in order:
        cur = pytree.tree_unflatten([leaf[i] for leaf in leaves], spec)
        prev = cur if prev is None else f(prev, cur)
        out.append(pytree.tree_leaves(prev))
    if reverse:
        out.reverse()
    stacked = [torch.movedim(torch.stack(parts), 0, axis) for parts in zip(*out)]
    return pytree.tree_unflatten(stacked, spec)


def vectorized_map(function: Callable, elements: Any) -> Any:
    """`function` mapped over the leading axis of `elements` with `torch.vmap`."""
    return torch.vmap(function)(elements)


class _CustomGradient(torch.autograd.Function):
    @staticmethod
    def forward(ctx, f, *args):
        output, grad_fn = f(*args)
        ctx.grad_fn, ctx.args = grad_fn, args
        return output

    @staticmethod
    def backward(ctx, *grads):
        upstream = grads[0] if len(grads) == 1 else grads
        result = ctx.grad_fn(*ctx.args, upstream=upstream)
        result = tuple(result) if isinstance(result, (tuple, list)) else (result,)
        return (None, *result)


def custom_gradient(f: Callable) -> Callable:
    """Decorates `f(*args) -> (output, grad_fn)` so its gradient is `grad_fn(*args, upstream=g)`.

    Example:
        >>> @keras.ops.custom_gradient
        ... def log1pexp(x):
        ...     e = keras.ops.exp(x)
        ...     def grad(*args, upstream=None):
        ...         return upstream * (1.0 - 1.0 / (1 + e))
        ...     return keras.ops.log(1 + e), grad
    """

    def wrapper(*args: Any) -> Any:
        return _CustomGradient.apply(f, *args)

    wrapper.__name__ = getattr(f, "__name__", "custom_gradient")
    wrapper.__doc__ = f.__doc__
    return wrapper


def vectorize(pyfunc: Callable, *, excluded=None, signature: str | None = None) -> Callable:
    """`pyfunc` (written for single elements) vectorized over all leading axes with `torch.vmap`."""
    if signature is not None:
        raise ValueError(
            "Generalized signatures are not supported; vectorize element-wise functions. "
            f"Received: signature={signature!r}"
        )
    excluded = set(excluded or ())

    def wrapper(*args: Any) -> torch.Tensor:
        tensors = [a if i in excluded else convert(a) for i, a in enumerate(args)]
        shapes = [t.shape for i, t in enumerate(tensors) if i not in excluded]
        target = torch.broadcast_shapes(*shapes)
        tensors = [
            t if i in excluded else t.broadcast_to(target).reshape(-1)
            for i, t in enumerate(tensors)
        ]
        in_dims = tuple(None if i in excluded else 0 for i in range(len(tensors)))
        return torch.vmap(pyfunc, in_dims=in_dims)(*tensors).reshape(target)

    return wrapper
