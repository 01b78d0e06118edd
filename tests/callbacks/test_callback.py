import pytest
import torch

from torchkeras_lite.callbacks import Callback, CallbackList, History, LambdaCallback, ProgbarLogger
from torchkeras_lite.callbacks.callback import BATCH_HOOKS, overrides
from torchkeras_lite.callbacks.callback_list import pythonify_logs

ALL_HOOKS = [
    ("on_train_begin", ()),
    ("on_train_end", ()),
    ("on_test_begin", ()),
    ("on_test_end", ()),
    ("on_predict_begin", ()),
    ("on_predict_end", ()),
    ("on_epoch_begin", (0,)),
    ("on_epoch_end", (0,)),
    ("on_batch_begin", (0,)),
    ("on_batch_end", (0,)),
    *[(name, (0,)) for name in BATCH_HOOKS],
]


class Recorder(Callback):
    """Records every hook call (name, positional args, logs)."""

    def __init__(self, calls):
        super().__init__()
        self.calls = calls


def _record(name):
    def hook(self, *args, logs=None):
        self.calls.append((name, args, logs))

    return hook


for _name, _ in ALL_HOOKS:
    if _name not in ("on_batch_begin", "on_batch_end"):
        setattr(Recorder, _name, _record(_name))


class BatchEndOnly(Callback):
    def __init__(self):
        super().__init__()
        self.batches = []

    def on_batch_end(self, batch, logs=None):  # the Keras alias
        self.batches.append(batch)


def test_base_hooks_are_noops_and_store_model_and_params(fake_model):
    cb = Callback()
    for name, args in ALL_HOOKS:
        assert getattr(cb, name)(*args, logs={"loss": 1.0}) is None
    cb.set_model(fake_model)
    cb.set_params({"epochs": 3, "steps": 4, "verbose": 1})
    assert cb.model is fake_model
    assert cb.params == {"epochs": 3, "steps": 4, "verbose": 1}


def test_model_property_unwraps_ddp():
    module = torch.nn.Linear(2, 2)
    ddp = torch.nn.parallel.DistributedDataParallel.__new__(
        torch.nn.parallel.DistributedDataParallel
    )
    torch.nn.Module.__init__(ddp)
    ddp.module = module
    cb = Callback()
    cb.set_model(ddp)
    assert cb.model is module


def test_on_batch_end_alias_is_called_by_train_batch_end():
    cb = BatchEndOnly()
    cb.on_train_batch_end(3, {"loss": 0.1})
    cb.on_test_batch_end(4, {})
    assert cb.batches == [3]
    assert overrides(cb, "on_train_batch_end")
    assert not overrides(cb, "on_test_batch_end")


def test_overrides_detects_class_and_instance_hooks():
    assert not any(overrides(Callback(), hook) for hook in BATCH_HOOKS)
    assert not any(overrides(History(), hook) for hook in BATCH_HOOKS)
    lam = LambdaCallback(on_train_batch_end=lambda batch, logs: None)
    assert [h for h in BATCH_HOOKS if overrides(lam, h)] == ["on_train_batch_end"]
    progbar_hooks = [h for h in BATCH_HOOKS if overrides(ProgbarLogger(), h)]
    assert progbar_hooks == ["on_train_batch_end", "on_test_batch_end", "on_predict_batch_end"]


def test_callback_list_dispatches_in_order(fake_model):
    calls = []
    first, second = Recorder(calls), Recorder(calls)
    cbs = CallbackList([first, [second]], model=fake_model, epochs=2, steps=3, verbose=0)
    assert cbs.callbacks == [first, second]
    assert first.model is fake_model and second.params == {"epochs": 2, "steps": 3, "verbose": 0}
    cbs.on_train_begin()
    cbs.on_train_batch_end(0, {"loss": 1.0})
    cbs.on_epoch_end(0, {"loss": 1.0})
    assert [(c[0], c[1]) for c in calls] == [
        ("on_train_begin", ({},)),
        ("on_train_begin", ({},)),
        ("on_train_batch_end", (0,)),
        ("on_train_batch_end", (0,)),
        ("on_epoch_end", (0, {"loss": 1.0})),
        ("on_epoch_end", (0, {"loss": 1.0})),
    ]


def test_every_hook_reaches_the_callbacks():
    calls = []
    cbs = CallbackList([Recorder(calls)])
    for name, args in ALL_HOOKS:
        if name in ("on_batch_begin", "on_batch_end"):
            continue
        getattr(cbs, name)(*args, {"x": 1.0})
    assert [c[0] for c in calls] == [
        n for n, _ in ALL_HOOKS if n not in ("on_batch_begin", "on_batch_end")
    ]
    calls.clear()
    cbs.on_batch_begin(1, {})
    cbs.on_batch_end(1, {})
    assert [c[0] for c in calls] == ["on_train_batch_begin", "on_train_batch_end"]


def test_batch_hooks_only_reach_callbacks_that_override_them(fake_model):
    cbs = CallbackList(
        [BatchEndOnly()],
        add_history=True,
        add_progbar=True,
        model=fake_model,
        verbose=2,
        epochs=1,
        steps=2,
    )
    assert isinstance(cbs.callbacks[1], History) and isinstance(cbs.callbacks[2], ProgbarLogger)
    assert fake_model.history is cbs.callbacks[1]
    lists = cbs._batch_callbacks
    assert lists["on_train_batch_end"] == [cbs.callbacks[0], cbs.callbacks[2]]
    assert lists["on_train_batch_begin"] == [] and lists["on_test_batch_begin"] == []
    assert lists["on_test_batch_end"] == [cbs.callbacks[2]]


def test_batch_logs_are_passed_unchanged():
    seen = []
    cbs = CallbackList([LambdaCallback(on_train_batch_end=lambda batch, logs: seen.append(logs))])
    logs = {"loss": torch.tensor(0.5)}
    cbs.on_train_batch_end(0, logs)
    assert seen[0] is logs and isinstance(seen[0]["loss"], torch.Tensor)
    cbs.on_train_batch_end(1)
    assert seen[1] == {}


def test_epoch_logs_are_pythonified_like_keras():
    logs = {"val_loss": torch.tensor(0.25), "loss": 0.5, "nested": {"acc": torch.tensor([0.75])}}
    assert pythonify_logs(logs) == {"acc": 0.75, "loss": 0.5, "val_loss": 0.25}
    assert list(pythonify_logs(logs)) == ["loss", "acc", "val_loss"]  # sorted, then flattened
    assert isinstance(pythonify_logs(logs)["val_loss"], float)


def test_pythonify_logs_matches_keras():
    keras = pytest.importorskip("keras")
    from keras.src.utils.python_utils import pythonify_logs as keras_pythonify

    del keras
    logs = {"val_loss": torch.tensor(0.25), "loss": 0.5, "nested": {"acc": torch.tensor(0.75)}}
    ours, theirs = pythonify_logs(logs), keras_pythonify(logs)
    assert ours == theirs and list(ours) == list(theirs)


def test_existing_history_and_progbar_are_not_duplicated(fake_model):
    history, progbar = History(), ProgbarLogger()
    cbs = CallbackList([progbar, history], add_history=True, add_progbar=True, model=fake_model)
    assert cbs.callbacks == [progbar, history]
    assert fake_model.history is history


def test_append_gets_model_params_and_batch_dispatch(fake_model):
    cbs = CallbackList([], model=fake_model, epochs=1, steps=1, verbose=0)
    cb = BatchEndOnly()
    cbs.append(cb)
    assert cb.model is fake_model and cb.params["steps"] == 1 and len(cbs) == 1
    cbs.on_train_batch_end(7, {})
    assert cb.batches == [7] and list(cbs) == [cb]


def test_non_callback_raises():
    with pytest.raises(TypeError, match="must be an instance of `keras.callbacks.Callback`"):
        CallbackList([object()])
