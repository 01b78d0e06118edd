"""`LambdaCallback`: a callback made of plain functions."""

from __future__ import annotations

from collections.abc import Callable

from torchkeras_lite.callbacks.callback import BATCH_HOOKS, Callback

_HOOKS = (
    *BATCH_HOOKS,
    "on_batch_begin",
    "on_batch_end",
    "on_epoch_begin",
    "on_epoch_end",
    "on_train_begin",
    "on_train_end",
    "on_test_begin",
    "on_test_end",
    "on_predict_begin",
    "on_predict_end",
)


class LambdaCallback(Callback):
    """A callback whose hooks are the functions given; the other hooks do nothing.

    The functions take the hook's arguments: `on_epoch_begin(epoch, logs)`,
    `on_train_begin(logs)`, `on_train_batch_end(batch, logs)`, ... Only the hooks given are
    called, so a batch hook given here is the only per-batch cost it adds.

    Args:
        on_epoch_begin: called at the start of every epoch.
        on_epoch_end: called at the end of every epoch.
        on_train_begin: called at the start of training.
        on_train_end: called at the end of training.
        on_train_batch_begin: called before every training batch.
        on_train_batch_end: called after every training batch.
        **kwargs: any other hook of `Callback` (`on_test_end=...`, `on_predict_batch_end=...`).

    Example:
        >>> seen = []
        >>> cb = LambdaCallback(on_epoch_end=lambda epoch, logs: seen.append(logs["loss"]))
        >>> cb.on_epoch_end(0, {"loss": 0.25})
        >>> seen
        [0.25]
    """

    def __init__(
        self,
        on_epoch_begin: Callable | None = None,
        on_epoch_end: Callable | None = None,
        on_train_begin: Callable | None = None,
        on_train_end: Callable | None = None,
        on_train_batch_begin: Callable | None = None,
        on_train_batch_end: Callable | None = None,
        **kwargs: Callable,
    ):
        super().__init__()
        unknown = sorted(set(kwargs) - set(_HOOKS))
        if unknown:
            raise ValueError(
                f"LambdaCallback only accepts the hooks of `Callback` ({', '.join(_HOOKS)}). "
                f"Received: {unknown[0]}={kwargs[unknown[0]]!r}"
            )
        hooks = {
            "on_epoch_begin": on_epoch_begin,
            "on_epoch_end": on_epoch_end,
            "on_train_begin": on_train_begin,
            "on_train_end": on_train_end,
            "on_train_batch_begin": on_train_batch_begin,
            "on_train_batch_end": on_train_batch_end,
            **kwargs,
        }
        for name, fn in hooks.items():
            if fn is None:
                continue
            if not callable(fn):
                raise ValueError(f"LambdaCallback hooks must be callables. Received: {name}={fn!r}")
            setattr(self, name, fn)  # an instance attribute replaces the no-op method
