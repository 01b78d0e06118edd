"""`SeedGenerator`: a seed whose state is a (non-trainable) variable, and seed drawing for the ops.

A seed given to a random op is an int (the same numbers every call), a `SeedGenerator` (a new,
reproducible seed every call) or None (torch's global generator; `keras.utils.set_random_seed`
makes it reproducible). Seeds turn into a `torch.Generator` seeded with `state[0] + state[1]`, as
Keras does on torch, so seeded results match Keras' torch backend.
"""

from __future__ import annotations

from typing import Any

import torch

from torchkeras_lite.backend.device import get_device
from torchkeras_lite.backend.variable import Variable
from torchkeras_lite.utils import naming


class SeedGenerator(torch.nn.Module):
    """A stateful seed: each `next()` returns the state and advances it.

    The state is an int64 `Variable` of shape `(2,)` (`[seed, counter]`), registered as a persistent
    buffer: a layer holding a `SeedGenerator` saves and restores it with its `state_dict`, while its
    `weights` (and `get_weights()`) stay as in Keras, without it.

    Args:
        seed: the initial seed (an int); None picks one from torch's global generator.
        name: the name (default: a unique `"seed_generator"`).

    Example:
        >>> class RandomNoise(keras.layers.Layer):
        ...     def __init__(self, **kwargs):
        ...         super().__init__(**kwargs)
        ...         self.seed_generator = keras.random.SeedGenerator(1337)
        ...     def call(self, x):
        ...         return x + keras.random.normal(x.shape, seed=self.seed_generator)
    """

    def __init__(self, seed: int | None = None, name: str | None = None, **kwargs: Any):
        super().__init__()
        if kwargs:
            raise ValueError(f"Unrecognized keyword arguments. Received: kwargs={kwargs}")
        if seed is not None and (not isinstance(seed, int) or isinstance(seed, bool)):
            raise ValueError(f"Argument `seed` must be an integer. Received: seed={seed!r}")
        self._initial_seed = seed
        self.name = name or naming.uniquify("seed_generator")
        if seed is None:
            seed = int(torch.randint(0, 2**31 - 1, (1,)).item())
        state = Variable(
            torch.tensor([seed, 0], dtype=torch.int64),
            trainable=False,
            name="seed_generator_state",
        )
        state._path = f"{self.name}/seed_generator_state"
        self.register_buffer("state", state)

    def next(self, ordered: bool = True) -> torch.Tensor:
        """The current `[seed, counter]` state; then advances it (by one, or pseudo-randomly)."""
        state = self._buffers["state"]
        current = state.detach().clone()
        with torch.no_grad():
            if ordered:
                state[1] += 1
            else:
                state.copy_((state + 1) * 5387 % 933199)
        return current

    def _apply(self, fn, recurse: bool = True):
        super()._apply(fn, recurse)
        state = self._buffers["state"]
        if not isinstance(state, Variable):  # `.to(device)` gives plain tensors back
            moved = Variable(state, trainable=False, name="seed_generator_state")
            moved._path = f"{self.name}/seed_generator_state"
            self._buffers["state"] = moved
        return self

    def get_config(self) -> dict:
        return {"seed": self._initial_seed, "name": self.name}

    @classmethod
    def from_config(cls, config: dict) -> SeedGenerator:
        return cls(**config)

    def extra_repr(self) -> str:
        return f"seed={self._initial_seed}, name={self.name!r}"


def draw_seed(seed: int | SeedGenerator | None) -> int | None:
    """The integer a generator is seeded with (None for torch's global generator)."""
    if seed is None:
        return None
    if isinstance(seed, SeedGenerator):
        first, second = seed.next().tolist()
        return (first + second) & 0xFFFFFFFF
    if isinstance(seed, int) and not isinstance(seed, bool):
        return seed & 0xFFFFFFFF
    raise ValueError(
        "Argument `seed` must be an integer or a `SeedGenerator`. "
        f"Received: seed={seed!r} (of type {type(seed).__name__})"
    )


def torch_generator(seed: int | SeedGenerator | None, device=None) -> torch.Generator | None:
    """A `torch.Generator` on `device` (default: the default device) seeded from `seed`."""
    value = draw_seed(seed)
    if value is None:
        return None
    generator = torch.Generator(device=get_device() if device is None else device)
    generator.manual_seed(value)
    return generator
