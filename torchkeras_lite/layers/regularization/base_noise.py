"""Seeded random streams for the noise layers (Dropout, SpatialDropout, GaussianNoise)."""

from __future__ import annotations

import torch

from torchkeras_lite.backend.random import make_generator


def check_seed(seed: object) -> None:
    """Raises a Keras-style ValueError unless `seed` is None or an int."""
    if seed is not None and (not isinstance(seed, int) or isinstance(seed, bool)):
        raise ValueError(f"Argument `seed` must be an integer or None. Received: seed={seed!r}")


class SeededNoiseMixin:
    """Gives a layer with a `seed` attribute one `torch.Generator` per device.

    With `seed=None` the global torch generator is used (`torch.manual_seed` makes it
    reproducible); with an int, each layer instance draws a reproducible sequence of masks: two
    layers made with the same seed produce the same masks call after call.
    """

    def _generator(self, device: torch.device) -> torch.Generator | None:
        if self.seed is None:
            return None
        generators = self.__dict__.setdefault("_generators", {})
        key = str(device)
        gen = generators.get(key)
        if gen is None:
            gen = generators[key] = make_generator(self.seed, device)
        return gen
