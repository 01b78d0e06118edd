"""`DropoutRNNCell`: the dropout masks a recurrent cell keeps for the length of one sequence."""

from __future__ import annotations

import torch

from torchkeras_lite.backend.random import make_generator


class DropoutRNNCell:
    """Mixin for cells with `dropout`, `recurrent_dropout` and `seed` attributes.

    A mask is drawn on first use and reused at every step of a sequence (Keras' variational
    dropout); the RNN layer clears the masks after each call. A cell with `dropout_mask_count`
    draws that many independent masks (one per gate). Masks are inverted dropout: kept entries are
    scaled by `1 / (1 - rate)`.

    Example:
        >>> mask = cell.get_dropout_mask(step_input)   # (batch, features)
    """

    def _generator(self, device: torch.device) -> torch.Generator | None:
        seed = getattr(self, "seed", None)
        if seed is None:
            return None
        gens = self.__dict__.setdefault("_dropout_generators", {})
        key = str(device)
        if key not in gens:
            gens[key] = make_generator(seed, device)
        return gens[key]

    def _create_dropout_mask(self, step_input: torch.Tensor, rate: float):
        gen = self._generator(step_input.device)
        keep = 1.0 - rate

        def one() -> torch.Tensor:
            draw = torch.rand(step_input.shape, generator=gen, device=step_input.device)
            kept = (draw >= rate).to(step_input.dtype)
            return kept / keep if keep > 0 else kept

        count = getattr(self, "dropout_mask_count", None)
        return one() if count is None else [one() for _ in range(count)]

    def get_dropout_mask(self, step_input: torch.Tensor):
        """The input dropout mask(s) for this sequence (None when `dropout` is 0)."""
        d = self.__dict__
        if d.get("_dropout_mask") is None and self.dropout > 0:
            d["_dropout_mask"] = self._create_dropout_mask(step_input, self.dropout)
        return d.get("_dropout_mask")

    def get_recurrent_dropout_mask(self, step_input: torch.Tensor):
        """The recurrent dropout mask(s) for this sequence (None when `recurrent_dropout` is 0)."""
        d = self.__dict__
        if d.get("_recurrent_dropout_mask") is None and self.recurrent_dropout > 0:
            d["_recurrent_dropout_mask"] = self._create_dropout_mask(
                step_input, self.recurrent_dropout
            )
        return d.get("_recurrent_dropout_mask")

    def reset_dropout_mask(self) -> None:
        self.__dict__["_dropout_mask"] = None

    def reset_recurrent_dropout_mask(self) -> None:
        self.__dict__["_recurrent_dropout_mask"] = None
