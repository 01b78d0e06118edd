"""`keras.random`: seeded random tensors and `SeedGenerator`."""

from torchkeras_lite.random.distributions import (
    beta,
    binomial,
    categorical,
    dropout,
    gamma,
    normal,
    randint,
    shuffle,
    truncated_normal,
    uniform,
)
from torchkeras_lite.random.seed_generator import SeedGenerator
