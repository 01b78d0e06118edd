"""fit / evaluate / predict: losses, metrics, history, data forms, training flag, optimizers."""

import numpy as np
import pytest
import torch
from torch.utils.data import DataLoader, TensorDataset

import torchkeras_lite as keras
from tests.trainers.helpers import MLP, classification_data, regression_data


def _fresh(seed=0, **kwargs):
    torch.manual_seed(seed)
    return MLP(**kwargs)


def test_fit_decreases_loss_and_returns_history():
    x, y = regression_data()
    model = _fresh()
    model.compile(optimizer=keras.optimizers.Adam(0.01), loss="mse", metrics=["mae"])
    history = model.fit(x, y, epochs=5, batch_size=16, verbose=0)
    assert set(history.history) == {"loss", "mae"}
    assert len(history.history["loss"]) == 5 and history.epoch == [0, 1, 2, 3, 4]
    assert history.history["loss"][-1] < history.history["loss"][0]
    assert history.params["epochs"] == 5 and history.params["steps"] == 6


def test_epoch_loss_is_the_sample_weighted_mean_of_batch_losses():
    x, y = regression_data(n=40)
    model = _fresh()
    model.compile(optimizer=keras.optimizers.SGD(0.0), loss="mse")
    history = model.fit(
        x, y, epochs=1, batch_size=16, shuffle=False, verbose=0
    )  # batches 16, 16, 8
    with torch.no_grad():
        per_sample = ((model(torch.from_numpy(x)) - torch.from_numpy(y)) ** 2).mean(dim=1)
    assert history.history["loss"][0] == pytest.approx(float(per_sample.mean()), rel=1e-5)
    assert model.evaluate(x, y, batch_size=16, verbose=0) == pytest.approx(
        float(per_sample.mean()), rel=1e-5
    )


def test_validation_split_takes_the_last_fraction_before_shuffling():
    x, y = regression_data(n=50)
    model = _fresh()
    model.compile(optimizer=keras.optimizers.SGD(0.0), loss="mse")
    history = model.fit(x, y, epochs=1, batch_size=8, validation_split=0.2, verbose=0)
    expected = model.evaluate(x[40:], y[40:], verbose=0)
    assert history.history["val_loss"][0] == pytest.approx(expected, rel=1e-6)
    assert history.params["steps"] == 5  # 40 training samples / 8


def test_evaluate_orders_loss_first_and_return_dict():
    x, y = classification_data()
    model = _fresh(out=3, softmax=True)
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    loss, acc = model.evaluate(x, y, verbose=0)
    logs = model.evaluate(x, y, verbose=0, return_dict=True)
    assert list(logs) == ["loss", "accuracy"] and logs["loss"] == pytest.approx(loss)
    with torch.no_grad():
        pred = model(torch.from_numpy(x)).argmax(-1).numpy()
    assert acc == pytest.approx(float((pred == y).mean()))


def test_training_flag_reaches_nested_layers_in_fit_and_not_in_evaluate_or_predict():
    x, y = regression_data(n=16)
    model = _fresh()
    model.compile(optimizer="sgd", loss="mse")
    probe = model.deep.inner.probe
    model.fit(x, y, epochs=1, batch_size=8, verbose=0)
    assert probe.seen[-2:] == [True, True]
    probe.seen.clear()
    model.evaluate(x, y, verbose=0)
    model.predict(x, verbose=0)
    assert probe.seen and not any(probe.seen)


@pytest.mark.parametrize(
    "form", ["numpy", "tensor", "dataset", "dataloader", "generator", "pydataset", "list"]
)
def test_every_data_form_trains_to_the_same_weights(form):
    x, y = regression_data(n=32)

    class Batches(keras.utils.PyDataset):
        def __len__(self):
            return 4

        def __getitem__(self, i):
            return x[i * 8 : (i + 1) * 8], y[i * 8 : (i + 1) * 8]

    data = {
        "numpy": dict(x=x, y=y, batch_size=8),
        "tensor": dict(x=torch.from_numpy(x), y=torch.from_numpy(y), batch_size=8),
        "dataset": dict(x=TensorDataset(torch.from_numpy(x), torch.from_numpy(y)), batch_size=8),
        "dataloader": dict(
            x=DataLoader(TensorDataset(torch.from_numpy(x), torch.from_numpy(y)), batch_size=8)
        ),
        "generator": dict(x=((x[i : i + 8], y[i : i + 8]) for i in range(0, 32, 8))),
        "pydataset": dict(x=Batches()),
        "list": dict(x=[(x[i : i + 8], y[i : i + 8]) for i in range(0, 32, 8)]),
    }[form]
    reference = _fresh(seed=1)
    reference(torch.from_numpy(x[:1]))  # build before the adapters draw from the global RNG
    reference.compile(optimizer=keras.optimizers.SGD(0.1), loss="mse")
    reference.fit(x, y, batch_size=8, shuffle=False, verbose=0)
    model = _fresh(seed=1)
    model(torch.from_numpy(x[:1]))
    model.compile(optimizer=keras.optimizers.SGD(0.1), loss="mse")
    model.fit(**data, shuffle=False, verbose=0)
    for a, b in zip(model.get_weights(), reference.get_weights()):
        np.testing.assert_allclose(a, b, atol=1e-6)


def test_shuffle_is_seeded_and_reshuffles_each_epoch():
    x, y = regression_data(n=64)

    def run():
        keras.utils.set_random_seed(3)
        model = MLP()
        model.compile(optimizer=keras.optimizers.SGD(0.05), loss="mse")
        return model.fit(x, y, epochs=2, batch_size=8, verbose=0).history[
            "loss"
        ], model.get_weights()

    (l1, w1), (l2, w2) = run(), run()
    assert l1 == l2 and all(np.array_equal(a, b) for a, b in zip(w1, w2))
    keras.utils.set_random_seed(3)
    unshuffled = MLP()
    unshuffled.compile(optimizer=keras.optimizers.SGD(0.05), loss="mse")
    l3 = unshuffled.fit(x, y, epochs=2, batch_size=8, shuffle=False, verbose=0).history["loss"]
    assert l3 != l1


def test_sample_weight_and_class_weight():
    x, y = classification_data(n=64)
    model = _fresh(out=3, softmax=True)
    model.compile(optimizer=keras.optimizers.SGD(0.0), loss="sparse_categorical_crossentropy")
    plain = model.evaluate(x, y, verbose=0)
    sw = np.where(y == 0, 2.0, 0.0).astype("float32")
    weighted = model.evaluate(x, y, sample_weight=sw, verbose=0)
    with torch.no_grad():
        p = model(torch.from_numpy(x)).clamp(1e-7, 1 - 1e-7)
        nll = -torch.log(p[torch.arange(64), torch.from_numpy(y)])
    assert plain == pytest.approx(float(nll.mean()), rel=1e-5)
    assert weighted == pytest.approx(float((nll * torch.from_numpy(sw)).sum() / 64), rel=1e-5)
    cw = model.fit(
        x, y, class_weight={0: 2.0, 1: 0.0, 2: 0.0}, batch_size=64, shuffle=False, verbose=0
    )
    assert cw.history["loss"][0] == pytest.approx(weighted, rel=1e-5)


def test_predict_returns_numpy_in_the_output_structure():
    class TwoHeads(keras.Model):
        def __init__(self):
            super().__init__()
            self.net = MLP()

        def call(self, x):
            y = self.net(x)
            return {"a": y, "b": [y * 2, y + 1]}

    x, _ = regression_data(n=10)
    out = TwoHeads().predict(x, batch_size=4, verbose=0)
    assert isinstance(out["a"], np.ndarray) and out["a"].shape == (10, 1)
    np.testing.assert_allclose(out["b"][0], out["a"] * 2, rtol=1e-6)


def test_on_batch_methods():
    x, y = regression_data(n=16)
    model = _fresh()
    model.compile(optimizer=keras.optimizers.SGD(0.1), loss="mse", metrics=["mae"])
    before = model.test_on_batch(x, y)
    model.train_on_batch(x, y)
    after = model.test_on_batch(x, y, return_dict=True)
    assert after["loss"] < before[0]
    np.testing.assert_allclose(model.predict_on_batch(x), model.predict(x, verbose=0), rtol=1e-6)


def test_native_torch_optimizer_class_instance_and_lr_scheduler():
    x, y = regression_data(n=32)
    model = _fresh()
    model.compile(
        optimizer=torch.optim.SGD,
        loss="mse",
        lr_scheduler=lambda opt: torch.optim.lr_scheduler.StepLR(opt, step_size=1, gamma=0.5),
    )
    with pytest.raises(TypeError, match="lr_scheduler"):
        model.compile(optimizer=torch.optim.SGD, loss="mse", lr_scheduler=1)
    model.compile(
        optimizer=lambda params: torch.optim.SGD(params, lr=0.1),
        loss="mse",
        lr_scheduler=lambda opt: torch.optim.lr_scheduler.StepLR(opt, step_size=1, gamma=0.5),
    )
    model.fit(x, y, epochs=3, batch_size=8, verbose=0)
    assert model.optimizer.param_groups[0]["lr"] == pytest.approx(0.1 * 0.5**3)
    model2 = _fresh()
    model2(torch.from_numpy(x[:1]))  # build, so that the parameters exist
    opt = torch.optim.Adam(model2.parameters(), lr=0.01)
    model2.compile(optimizer=opt, loss="mse")
    h = model2.fit(x, y, epochs=3, batch_size=8, verbose=0)
    assert model2.optimizer is opt and h.history["loss"][-1] < h.history["loss"][0]


def test_nan_loss_shows_in_history_and_terminate_on_nan_stops():
    x, y = regression_data(n=16)
    y = y.copy()
    y[3] = np.nan
    model = _fresh()
    model.compile(optimizer="sgd", loss="mse")
    history = model.fit(x, y, epochs=2, batch_size=8, verbose=0)
    assert np.isnan(history.history["loss"]).all()
    model = _fresh()
    model.compile(optimizer="sgd", loss="mse")
    history = model.fit(
        x, y, epochs=3, batch_size=8, verbose=0, callbacks=[keras.callbacks.TerminateOnNaN()]
    )
    assert len(history.history["loss"]) == 1


def test_add_loss_is_added_to_the_training_loss():
    class WithPenalty(keras.Model):
        def __init__(self):
            super().__init__()
            self.net = MLP()

        def call(self, x):
            out = self.net(x)
            self.add_loss(torch.tensor(5.0))
            return out

    x, y = regression_data(n=16)
    model = WithPenalty()
    model.compile(optimizer=keras.optimizers.SGD(0.0), loss="mse")
    with_penalty = model.evaluate(x, y, verbose=0)
    with torch.no_grad():
        mse = float(((model(torch.from_numpy(x)) - torch.from_numpy(y)) ** 2).mean())
    assert with_penalty == pytest.approx(mse + 5.0, rel=1e-5)
