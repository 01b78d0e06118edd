"""Streaming statistics for `adapt()`: moments merged batch by batch, in float64, on device."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import torch


class MomentAccumulator:
    """Running mean and population variance over `reduce_axes`, merged per batch (Chan et al.).

    Only per-feature sums stay in memory; counts come from shapes, so updating never syncs with
    the device.

    Example:
        >>> acc = MomentAccumulator(reduce_axes=(0,))
        >>> acc.update(torch.tensor([[1.0], [3.0]])); acc.update(torch.tensor([[5.0]]))
        >>> acc.result()
        (tensor([3.], dtype=torch.float64), tensor([2.6667], dtype=torch.float64))
    """

    def __init__(self, reduce_axes: Sequence[int]):
        self.reduce_axes = tuple(reduce_axes)
        self.count = 0
        self.mean: torch.Tensor | None = None
        self.m2: torch.Tensor | None = None  # sum of squared deviations from the mean

    def update(self, batch: torch.Tensor) -> None:
        x = batch.to(torch.float64)
        n = 1
        for d in self.reduce_axes:
            n *= x.shape[d]
        if n == 0:
            return
        if self.reduce_axes:
            var, mean = torch.var_mean(x, dim=self.reduce_axes, correction=0)
        else:
            mean, var = x, torch.zeros_like(x)
        m2 = var * n
        if self.mean is None:
            self.count, self.mean, self.m2 = n, mean, m2
            return
        if self.mean.device != mean.device:
            mean, m2 = mean.to(self.mean.device), m2.to(self.mean.device)
        total = self.count + n
        delta = mean - self.mean
        self.mean = self.mean + delta * (n / total)
        self.m2 = self.m2 + m2 + delta.square() * (self.count * n / total)
        self.count = total

    def result(self) -> tuple[torch.Tensor, torch.Tensor]:
        """`(mean, variance)`; raises when no values were seen."""
        if self.mean is None:
            raise ValueError("adapt() saw no values: every batch was empty. Received: count=0")
        return self.mean, self.m2 / self.count


# ----------------------------------------------------------------------------------------------
# Approximate quantiles for Discretization: a weighted summary of (value, weight) columns.
def empty_summary() -> np.ndarray:
    return np.zeros((2, 0), dtype=np.float32)


def summarize(values: np.ndarray, epsilon: float) -> np.ndarray:
    """A `(2, k)` summary of `values`: about `1/epsilon` evenly spaced order statistics (row 0),
    each weighted by the number of values it stands for (row 1)."""
    ordered = np.sort(np.reshape(values, [-1]))
    step = max(ordered.size * epsilon, 1)
    picked = ordered[int(step - 1) :: int(step)]
    return np.stack([picked, np.full_like(picked, step)])


def compress_summary(summary: np.ndarray, epsilon: float) -> np.ndarray:
    """Re-samples a summary to about `1/epsilon` columns by interpolating its weight CDF."""
    if summary.shape[1] * epsilon < 1:
        return summary
    targets = epsilon + np.arange(0.0, 1.0, epsilon)
    cumulative = summary[1].cumsum()
    fractions = cumulative / cumulative[-1]
    values = np.interp(targets, fractions, summary[0])
    cumulative = np.interp(targets, fractions, cumulative)
    weights = np.diff(cumulative, prepend=0.0)
    return np.stack((values, weights)).astype("float32")


def merge_summaries(new: np.ndarray, old: np.ndarray, epsilon: float) -> np.ndarray:
    """The summary of the union of the data of two summaries, compressed to `epsilon`."""
    merged = np.concatenate((new, old), axis=1)
    merged = np.take(merged, np.argsort(merged[0]), axis=1)
    return compress_summary(merged, epsilon)


def summary_boundaries(summary: np.ndarray, num_bins: int) -> list[float]:
    """`num_bins - 1` boundaries splitting the summarized data into equally weighted bins."""
    return compress_summary(summary, 1.0 / num_bins)[0, :-1].tolist()
