"""Seeding: one call seeds Python, numpy and torch."""

from __future__ import annotations

import random

import numpy as np
import torch


def set_random_seed(seed: int) -> None:
    """Seeds Python's `random`, numpy and torch (all devices) with `seed`."""
    if not isinstance(seed, int):
        raise ValueError(f"Expected `seed` to be an integer. Received: seed={seed!r}")
    random.seed(seed)
    np.random.seed(seed)
    torch.manual_seed(seed)


def make_generator(seed: int | None, device: torch.device | str = "cpu") -> torch.Generator | None:
    """A torch Generator seeded with `seed`, or None (the global generator) when seed is None."""
    if seed is None:
        return None
    g = torch.Generator(device=device)
    g.manual_seed(int(seed))
    return g
