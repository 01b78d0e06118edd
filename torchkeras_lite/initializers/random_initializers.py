"""Random initializers with fixed parameters: normal, truncated normal, uniform and orthogonal."""

from __future__ import annotations

from typing import Any

import torch

from torchkeras_lite.initializers.base_initializer import (
    REGISTRY,
    RandomInitializer,
    ShapeLike,
    float_dtype,
    sampling_dtype,
    standardize_shape,
)


def sample_normal(shape, mean, stddev, dtype, generator) -> torch.Tensor:
    """`shape` values from N(mean, stddev^2), drawn in float32/float64 and cast to `dtype`."""
    out = torch.empty(shape, dtype=sampling_dtype(dtype))
    out.normal_(mean=float(mean), std=float(stddev), generator=generator)
    return out.to(dtype)


def sample_truncated_normal(shape, mean, stddev, dtype, generator) -> torch.Tensor:
    """N(mean, stddev^2) restricted to `mean +/- 2 * stddev` (values outside are redrawn)."""
    out = torch.empty(shape, dtype=sampling_dtype(dtype))
    mean, stddev = float(mean), float(stddev)
    torch.nn.init.trunc_normal_(
        out, mean=mean, std=stddev, a=mean - 2 * stddev, b=mean + 2 * stddev, generator=generator
    )
    return out.to(dtype)


def sample_uniform(shape, minval, maxval, dtype, generator) -> torch.Tensor:
    """`shape` values from U[minval, maxval), drawn in float32/float64 and cast to `dtype`."""
    out = torch.empty(shape, dtype=sampling_dtype(dtype))
    out.uniform_(float(minval), float(maxval), generator=generator)
    return out.to(dtype)


@REGISTRY.register("RandomNormal", "random_normal", "normal")
class RandomNormal(RandomInitializer):
    """Draws from a normal distribution.

    Args:
        mean: the mean of the values.
        stddev: their standard deviation.
        seed: an integer makes every call return the same values; None draws from torch's global
            generator.

    Example:
        >>> init = RandomNormal(mean=0.0, stddev=1.0, seed=1)
        >>> torch.equal(init((2, 2)), init((2, 2)))
        True
    """

    def __init__(self, mean: float = 0.0, stddev: float = 0.05, seed: int | None = None):
        self.mean = mean
        self.stddev = stddev
        super().__init__(seed=seed)

    def __call__(self, shape: ShapeLike, dtype: Any = None) -> torch.Tensor:
        torch_dtype = float_dtype(dtype, self)
        return sample_normal(
            standardize_shape(shape), self.mean, self.stddev, torch_dtype, self._generator()
        )

    def get_config(self) -> dict:
        return {**super().get_config(), "mean": self.mean, "stddev": self.stddev}


@REGISTRY.register("TruncatedNormal", "truncated_normal")
class TruncatedNormal(RandomInitializer):
    """Draws from a normal distribution, redrawing values more than two stddevs from the mean.

    Args:
        mean: the mean of the (untruncated) distribution.
        stddev: the standard deviation of the (untruncated) distribution.
        seed: an integer makes every call return the same values; None draws from torch's global
            generator.

    Example:
        >>> values = TruncatedNormal(stddev=1.0, seed=0)((1000,))
        >>> bool(values.abs().max() <= 2.0)
        True
    """

    def __init__(self, mean: float = 0.0, stddev: float = 0.05, seed: int | None = None):
        self.mean = mean
        self.stddev = stddev
        super().__init__(seed=seed)

    def __call__(self, shape: ShapeLike, dtype: Any = None) -> torch.Tensor:
        torch_dtype = float_dtype(dtype, self)
        return sample_truncated_normal(
            standardize_shape(shape), self.mean, self.stddev, torch_dtype, self._generator()
        )

    def get_config(self) -> dict:
        return {**super().get_config(), "mean": self.mean, "stddev": self.stddev}


@REGISTRY.register("RandomUniform", "random_uniform", "uniform")
class RandomUniform(RandomInitializer):
    """Draws from a uniform distribution on `[minval, maxval)`.

    Args:
        minval: the lower bound (inclusive).
        maxval: the upper bound (exclusive).
        seed: an integer makes every call return the same values; None draws from torch's global
            generator.

    Example:
        >>> values = RandomUniform(minval=0.0, maxval=1.0)((3, 3))
        >>> bool((values >= 0).all() and (values < 1).all())
        True
    """

    def __init__(self, minval: float = -0.05, maxval: float = 0.05, seed: int | None = None):
        self.minval = minval
        self.maxval = maxval
        super().__init__(seed=seed)

    def __call__(self, shape: ShapeLike, dtype: Any = None) -> torch.Tensor:
        torch_dtype = float_dtype(dtype, self)
        return sample_uniform(
            standardize_shape(shape), self.minval, self.maxval, torch_dtype, self._generator()
        )

    def get_config(self) -> dict:
        return {**super().get_config(), "minval": self.minval, "maxval": self.maxval}


@REGISTRY.register("Orthogonal", "orthogonal", "OrthogonalInitializer")
class Orthogonal(RandomInitializer):
    """An orthogonal matrix (from the QR decomposition of a normal one) times `gain`.

    Shapes with more than two dimensions are treated as a `(prod(shape[:-1]), shape[-1])` matrix
    and reshaped back. With fewer rows than columns the rows are orthonormal, otherwise the columns.

    Args:
        gain: factor applied to the orthogonal matrix.
        seed: an integer makes every call return the same values; None draws from torch's global
            generator.

    Example:
        >>> w = Orthogonal(seed=0)((4, 4))
        >>> torch.allclose(w.T @ w, torch.eye(4), atol=1e-5)
        True
    """

    def __init__(self, gain: float = 1.0, seed: int | None = None):
        self.gain = gain
        super().__init__(seed=seed)

    def __call__(self, shape: ShapeLike, dtype: Any = None) -> torch.Tensor:
        shape = standardize_shape(shape)
        if len(shape) < 2:
            raise ValueError(
                "The tensor to initialize must be at least two-dimensional. "
                f"Received: shape={shape} of rank {len(shape)}."
            )
        torch_dtype = float_dtype(dtype, self)
        num_rows = 1
        for dim in shape[:-1]:
            num_rows *= dim
        num_cols = shape[-1]
        flat_shape = (max(num_rows, num_cols), min(num_rows, num_cols))
        a = sample_normal(flat_shape, 0.0, 1.0, sampling_dtype(torch_dtype), self._generator())
        q, r = torch.linalg.qr(a)
        # Multiplying by the signs of R's diagonal makes the decomposition unique (uniform Q).
        q = q * torch.sign(torch.diagonal(r))
        if num_rows < num_cols:
            q = q.T
        return (self.gain * q).reshape(shape).to(torch_dtype)

    def get_config(self) -> dict:
        return {**super().get_config(), "gain": self.gain}
