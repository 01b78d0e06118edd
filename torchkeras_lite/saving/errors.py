"""`SavingError`: the one error class that saving and loading raise for bad or mismatched files."""

from __future__ import annotations


class SavingError(ValueError):
    """A model, weights or checkpoint file could not be saved or loaded.

    The message names the file and the problem (not a zip archive, a missing member, an unknown
    class, mis-shaped weights, ...). A subclass of `ValueError`, so `except ValueError` catches it.

    Example:
        >>> try:
        ...     keras.saving.load_model("not_a_model.keras")
        ... except keras.saving.SavingError as e:
        ...     print(e)
    """
