"""Learning rate schedules (`keras.optimizers.schedules`): pass one as an optimizer's `learning_rate`."""

from __future__ import annotations

from typing import Any

from torchkeras_lite.optimizers.schedules.cosine_decay import CosineDecay, CosineDecayRestarts
from torchkeras_lite.optimizers.schedules.learning_rate_schedule import (
    SCHEDULES,
    ExponentialDecay,
    InverseTimeDecay,
    LearningRateSchedule,
    PiecewiseConstantDecay,
    PolynomialDecay,
)


def serialize(learning_rate_schedule: LearningRateSchedule) -> dict[str, Any]:
    """The schedule as a `{"class_name", "config", ...}` dict.

    Args:
        learning_rate_schedule: a `LearningRateSchedule` instance.

    Example:
        >>> serialize(ExponentialDecay(0.1, 10, 0.9))["class_name"]
        'ExponentialDecay'
    """
    return SCHEDULES.serialize(learning_rate_schedule)


def deserialize(config: dict[str, Any] | str, custom_objects: dict | None = None) -> Any:
    """Rebuilds a schedule from `serialize`'s output (Keras' own configs included).

    Args:
        config: a `{"class_name", "config"}` dict.
        custom_objects: extra classes by name.

    Example:
        >>> deserialize(serialize(ExponentialDecay(0.1, 10, 0.9)))(10)
        0.09000000000000001
    """
    return SCHEDULES.deserialize(config, custom_objects)
