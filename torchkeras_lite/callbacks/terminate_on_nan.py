"""`TerminateOnNaN`: stops training when the loss becomes NaN or infinite."""

from __future__ import annotations

import numpy as np
import torch

from torchkeras_lite.callbacks.callback import Callback


class TerminateOnNaN(Callback):
    """Stops training at the first training batch whose loss is NaN or infinite.

    It reads `logs["loss"]` after every training batch, which makes the host wait for the
    device once per batch: the price of the check, paid only when this callback is used.

    Args:
        raise_error: False stops gracefully (`model.stop_training = True`, so `on_train_end`
            still runs); True raises a `RuntimeError` at once.

    Example:
        >>> class FakeModel:
        ...     stop_training = False
        >>> model = FakeModel()
        >>> cb = TerminateOnNaN()
        >>> cb.set_model(model)
        >>> cb.on_train_batch_end(0, {"loss": 0.5}); model.stop_training
        False
        >>> cb.on_train_batch_end(1, {"loss": float("nan")}); model.stop_training
        Batch 1: Invalid loss, terminating training
        True
    """

    def __init__(self, raise_error: bool = False):
        super().__init__()
        self.raise_error = raise_error

    def on_train_batch_end(self, batch: int, logs: dict | None = None) -> None:
        loss = (logs or {}).get("loss")
        if loss is None:
            return
        if isinstance(loss, torch.Tensor):
            finite = bool(torch.isfinite(loss.detach()).all())  # the one host sync
        else:
            finite = bool(np.all(np.isfinite(np.asarray(loss, dtype=np.float64))))
        if not finite:
            loss = loss.detach().cpu().tolist() if isinstance(loss, torch.Tensor) else loss
            if self.raise_error:
                raise RuntimeError(
                    f"NaN or Inf loss encountered at batch {batch}. Loss value: {loss}. "
                    "Terminating training immediately."
                )
            print(f"Batch {batch}: Invalid loss, terminating training")
            self.model.stop_training = True
