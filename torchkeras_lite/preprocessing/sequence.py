"""`keras.preprocessing.sequence`: an alias of `keras.utils.pad_sequences`."""

from torchkeras_lite.utils.sequence_utils import pad_sequences

__all__ = ["pad_sequences"]
