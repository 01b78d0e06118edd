"""`keras.random`: random tensors on torch's generators, seeded as Keras seeds them on torch.

`seed` is an int (the same numbers every call), a `SeedGenerator` (a new reproducible draw every
call) or None (torch's global generator). Tensors are created on the default device in
`floatx()` unless `dtype` says otherwise. `gamma`, `beta` and `binomial` sample with
`torch.distributions`, which take no generator: a seeded call samples in a forked global RNG
(`torch.random.fork_rng`), leaving the global stream untouched.

Example:
    >>> keras.random.normal((2, 3), seed=1).shape
    torch.Size([2, 3])
"""

from __future__ import annotations

import contextlib
from collections.abc import Sequence
from typing import Any

import torch
import torch.nn.functional as F

from torchkeras_lite.backend.device import get_device
from torchkeras_lite.ops.tensor_utils import convert, torch_dtype
from torchkeras_lite.random.seed_generator import SeedGenerator, draw_seed, torch_generator

Seed = int | SeedGenerator | None


def _shape(shape: int | Sequence[int]) -> tuple[int, ...]:
    return (int(shape),) if isinstance(shape, int) else tuple(int(s) for s in shape)


def normal(shape, mean: float = 0.0, stddev: float = 1.0, dtype=None, seed: Seed = None):
    """Samples from a normal distribution."""
    return torch.normal(
        mean,
        stddev,
        size=_shape(shape),
        generator=torch_generator(seed),
        dtype=torch_dtype(dtype),
        device=get_device(),
    )


def uniform(shape, minval: float = 0.0, maxval: float = 1.0, dtype=None, seed: Seed = None):
    """Samples uniformly from `[minval, maxval)`."""
    size = _shape(shape)
    rand = torch.rand(
        size or (1,), generator=torch_generator(seed), dtype=torch_dtype(dtype), device=get_device()
    )
    out = (maxval - minval) * rand + minval
    return out if size else out[0]


def truncated_normal(shape, mean: float = 0.0, stddev: float = 1.0, dtype=None, seed: Seed = None):
    """Samples from a normal distribution truncated to `mean +/- 2 * stddev`."""
    out = torch.empty(_shape(shape), dtype=torch_dtype(dtype), device=get_device())
    lo, hi = mean - 2.0 * stddev, mean + 2.0 * stddev
    return torch.nn.init.trunc_normal_(out, mean, stddev, lo, hi, generator=torch_generator(seed))


def randint(shape, minval: int, maxval: int, dtype="int32", seed: Seed = None) -> torch.Tensor:
    """Samples integers uniformly from `[minval, maxval)`."""
    return torch.randint(
        int(minval),
        int(maxval),
        _shape(shape),
        generator=torch_generator(seed),
        dtype=torch_dtype(dtype),
        device=get_device(),
    )


def categorical(logits: Any, num_samples: int, dtype="int32", seed: Seed = None) -> torch.Tensor:
    """`num_samples` class indices per row of `(batch, num_classes)` unnormalized log-probabilities."""
    logits = convert(logits)
    probs = torch.softmax(logits.float() if not logits.is_floating_point() else logits, dim=-1)
    samples = torch.multinomial(
        probs, num_samples, replacement=True, generator=torch_generator(seed, probs.device)
    )
    return samples.to(torch_dtype(dtype))


def dropout(inputs: Any, rate: float, noise_shape=None, seed: Seed = None) -> torch.Tensor:
    """Zeroes entries with probability `rate` and scales the others by `1 / (1 - rate)`.

    `noise_shape` (None entries take the input's size) broadcasts one mask over other axes.
    """
    x = convert(inputs)
    if not 0.0 <= rate <= 1.0:
        raise ValueError(f"`rate` must be in [0, 1]. Received: rate={rate}")
    if rate == 1.0:
        return torch.zeros_like(x)
    if rate == 0.0:
        return x
    if seed is None and noise_shape is None:
        return F.dropout(x, p=rate, training=True)
    keep = 1.0 - rate
    shape = (
        x.shape
        if noise_shape is None
        else [x.shape[i] if d is None else int(d) for i, d in enumerate(noise_shape)]
    )
    keep_probs = torch.full(tuple(shape), keep, device=x.device)
    mask = torch.bernoulli(keep_probs, generator=torch_generator(seed, x.device)).bool()
    return torch.where(mask.broadcast_to(x.shape), x / keep, torch.zeros_like(x))


def shuffle(x: Any, axis: int = 0, seed: Seed = None) -> torch.Tensor:
    """`x` with its slices along `axis` randomly permuted (independently per leading index)."""
    x = convert(x)
    axis = axis % x.ndim
    keys = torch.rand(
        x.shape[: axis + 1], generator=torch_generator(seed, x.device), device=x.device
    )
    perm = keys.argsort(dim=axis)
    perm = perm.reshape(*perm.shape, *([1] * (x.ndim - axis - 1))).expand(x.shape)
    return x.gather(axis, perm)


@contextlib.contextmanager
def _seeded_global_rng(seed: Seed):
    value = draw_seed(seed)
    if value is None:
        yield
        return
    device = get_device()
    with torch.random.fork_rng(devices=[device] if device.type == "cuda" else []):
        torch.manual_seed(value)
        yield


def gamma(shape, alpha: Any, dtype=None, seed: Seed = None) -> torch.Tensor:
    """Samples from the gamma distribution of concentration `alpha` (rate 1)."""
    size = _shape(shape)
    alpha = torch.broadcast_to(convert(alpha, "float32", get_device()), size)
    with _seeded_global_rng(seed):
        sample = torch.distributions.Gamma(alpha, torch.ones_like(alpha)).sample()
    return sample.to(torch_dtype(dtype))


def beta(shape, alpha: Any, beta: Any, dtype=None, seed: Seed = None) -> torch.Tensor:
    """Samples from the beta distribution with concentrations `alpha` and `beta`."""
    size = _shape(shape)
    a, b = (torch.broadcast_to(convert(v, "float32", get_device()), size) for v in (alpha, beta))
    with _seeded_global_rng(seed):
        sample = torch.distributions.Beta(a, b).sample()
    return sample.to(torch_dtype(dtype))


def binomial(shape, counts: Any, probabilities: Any, dtype=None, seed: Seed = None) -> torch.Tensor:
    """Samples the number of successes in `counts` trials of success probability `probabilities`."""
    size = _shape(shape)
    n, p = (
        torch.broadcast_to(convert(v, "float32", get_device()), size)
        for v in (counts, probabilities)
    )
    with _seeded_global_rng(seed):
        sample = torch.distributions.Binomial(total_count=n, probs=p).sample()
    return sample.to(torch_dtype(dtype))
