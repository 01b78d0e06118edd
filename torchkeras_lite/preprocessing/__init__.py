"""`keras.preprocessing`: the legacy namespace; `sequence.pad_sequences` lives on here."""

from torchkeras_lite.preprocessing import sequence
