"""What each process of the distributed tests runs: `python -m tests.distribution.worker SCENARIO OUT`.

Launched by torchrun (or by `launch.py` with torchrun's environment). Each rank writes
`OUT/rank{r}.npz` (weights, predictions) and `OUT/rank{r}.json` (histories, results); the tests
compare them with a single-process run of the same functions (`batch = 2 x` per-process batch).
"""

from __future__ import annotations

import importlib.util
import json
import os
import sys
import time

import numpy as np
import torch

import torchkeras_lite as keras
from torchkeras_lite import distribution

N, N_VAL, PER_PROCESS_BATCH = 64, 24, 4


def data() -> tuple[np.ndarray, ...]:
    rng = np.random.default_rng(0)
    x = rng.normal(size=(N + N_VAL, 4)).astype("float32")
    y = (x @ np.array([[1.0], [-2.0], [0.5], [3.0]], dtype="float32") + 0.1).astype("float32")
    return x[:N], y[:N], x[N:], y[N:]


def initial_weights() -> dict[str, torch.Tensor]:
    torch.manual_seed(7)
    model = mlp()
    return {k: v.clone() for k, v in model.state_dict().items()}


def layers(policy: str | None = None) -> list:
    return [
        keras.Input((4,)),
        keras.layers.Dense(8, activation="relu", dtype=policy, name="hidden"),
        keras.layers.Dense(1, dtype=policy, name="out"),
    ]


def mlp(policy: str | None = None) -> keras.Model:
    return keras.Sequential(layers(policy))


class CustomStep(keras.Sequential):
    """Keras' documented torch `train_step` (it calls `self(x)`, not the DDP wrapper)."""

    def train_step(self, data):
        x, y = data
        y_pred = self(x, training=True)
        loss = self.compute_loss(y=y, y_pred=y_pred)
        loss.backward()
        weights = self.trainable_weights
        with torch.no_grad():
            self.optimizer.apply([w.grad for w in weights], weights)
        self._loss_tracker.update_state(loss.detach(), sample_weight=int(x.shape[0]))
        return {"loss": self._loss_tracker.result()}


def build(kind: str) -> keras.Model:
    if kind == "custom":
        model = CustomStep(layers())
    else:
        model = mlp("mixed_bfloat16" if kind == "bf16" else None)
    model.load_state_dict(initial_weights())
    if distribution.rank() == 1:  # rank 1 starts elsewhere: DDP must give it rank 0's weights
        with torch.no_grad():
            for w in model.weights:
                w.add_(1.0)
    accumulate = 2 if kind == "accumulate" else None
    model.compile(
        optimizer=keras.optimizers.SGD(0.05, momentum=0.5, gradient_accumulation_steps=accumulate),
        loss="mse",
        metrics=None if kind == "custom" else ["mae"],
        jit_compile=kind == "jit",
    )
    return model


def fit(kind: str, batch_size: int, out: str | None = None) -> tuple[keras.Model, dict]:
    """Trains one variant for 2 epochs; returns the model and its History."""
    x, y, xv, yv = data()
    model = build(kind)
    callbacks = []
    if kind == "main" and out is not None:
        rank = distribution.rank()
        callbacks = [
            keras.callbacks.ModelCheckpoint(os.path.join(out, f"ckpt_{rank}.keras")),
            keras.callbacks.CSVLogger(os.path.join(out, f"log_{rank}.csv")),
            keras.callbacks.BackupAndRestore(os.path.join(out, "backup"), delete_checkpoint=False),
        ]
        if importlib.util.find_spec("tensorboard") is not None:
            callbacks.append(keras.callbacks.TensorBoard(os.path.join(out, f"tb_{rank}")))
    torch.manual_seed(123)  # the shuffle seed: the same in the reference and on rank 0
    if kind == "dataset":
        dataset = torch.utils.data.TensorDataset(torch.from_numpy(x), torch.from_numpy(y))
        history = model.fit(dataset, batch_size=batch_size, epochs=2, shuffle=False, verbose=0)
    else:
        history = model.fit(
            x,
            y,
            batch_size=batch_size,
            epochs=2,
            shuffle=True,
            validation_data=(xv, yv) if kind == "main" else None,
            callbacks=callbacks,
            verbose=2 if kind == "main" else 0,
        )
    return model, history.history


def full_weights(model: keras.Model) -> dict[str, np.ndarray]:
    """The weights as numpy arrays (sharded ones gathered: every process must call)."""
    out = {}
    for k, v in model.state_dict().items():
        v = v.full_tensor() if hasattr(v, "full_tensor") else v
        out[k] = v.detach().float().cpu().numpy()
    return out


def train(kind: str, batch_size: int, out: str | None = None) -> dict:
    """Trains one variant; returns its final weights, History and (for "main") results."""
    model, history = fit(kind, batch_size, out)
    result = {"weights": full_weights(model), "history": history}
    if kind == "main":
        _, _, xv, yv = data()
        result["evaluate"] = model.evaluate(xv, yv, batch_size=5, verbose=0, return_dict=True)
        result["predict"] = model.predict(xv, batch_size=5, verbose=0)
    return result


def scenario_data_parallel(out: str) -> dict:
    results = {"auto": type(distribution.distribution()).__name__}
    results["world_size"] = distribution.world_size()
    for kind in ("main", "custom", "accumulate", "bf16", "dataset"):
        results[kind] = train(kind, PER_PROCESS_BATCH, out)
    loaded = keras.saving.load_model(os.path.join(out, "ckpt_0.keras"))  # on every rank
    results["loaded_weights"] = {k: v.numpy() for k, v in loaded.state_dict().items()}
    return results


def scenario_jit(out: str) -> dict:
    return {"jit": train("jit", PER_PROCESS_BATCH)}


def scenario_fsdp(out: str) -> dict:
    distribution.set_distribution(distribution.ModelParallel())
    model, history = fit("plain", PER_PROCESS_BATCH)
    sharded = [type(w).__name__ for w in model.weights]
    model.save(os.path.join(out, "fsdp.keras"))
    distribution.save_sharded_weights(model, os.path.join(out, "sharded"))
    x, y, xv, _ = data()
    result = {
        "weights": full_weights(model),
        "history": history,
        "sharded": sharded,
        "predict": model.predict(xv, batch_size=5, verbose=0),
    }
    resumed = keras.saving.load_model(os.path.join(out, "fsdp.keras"))  # optimizer state too
    resumed.fit(x, y, batch_size=PER_PROCESS_BATCH, epochs=1, shuffle=False, verbose=0)
    result["resumed_weights"] = full_weights(resumed)
    return result


def resume_reference(path: str) -> dict[str, np.ndarray]:
    """One more epoch in one process from the saved model (2x batch, no shuffle)."""
    x, y, _, _ = data()
    model = keras.saving.load_model(path)
    model.fit(x, y, batch_size=2 * PER_PROCESS_BATCH, epochs=1, shuffle=False, verbose=0)
    return full_weights(model)


class _FailOnRank1(keras.callbacks.Callback):
    def on_train_batch_end(self, batch, logs=None):
        if distribution.rank() == 1 and batch == 3:
            raise RuntimeError("rank 1 failed on purpose")


def scenario_crash(out: str) -> dict:
    x, y, _, _ = data()
    model = build("plain")
    start = time.monotonic()
    try:
        model.fit(x, y, batch_size=4, epochs=2, verbose=0, callbacks=[_FailOnRank1()])
    except Exception as e:
        record = {"error": type(e).__name__, "message": str(e), "seconds": time.monotonic() - start}
        with open(os.path.join(out, f"crash{distribution.rank()}.json"), "w") as f:
            json.dump(record, f)
        if distribution.rank() == 1:  # stays alive (as in a notebook): rank 0 must time out
            time.sleep(float(os.environ.get("WORKER_LINGER", "0")))
        os._exit(3)
    return {}


def _save(out: str, results: dict) -> None:
    arrays, plain = {}, {}

    def split(prefix, value):
        if isinstance(value, np.ndarray):
            arrays[prefix] = value
        elif isinstance(value, dict):
            for k, v in value.items():
                split(f"{prefix}/{k}" if prefix else k, v)
        else:
            plain[prefix] = value

    split("", results)
    rank = distribution.rank()
    np.savez(os.path.join(out, f"rank{rank}.npz"), **arrays)
    with open(os.path.join(out, f"rank{rank}.json"), "w") as f:
        json.dump(plain, f)


if __name__ == "__main__":
    name, out_dir = sys.argv[1], sys.argv[2]
    outcome = globals()[f"scenario_{name}"](out_dir)
    _save(out_dir, outcome)
    distribution.barrier()
    # gloo's teardown in torch 2.13 aborts now and then ("terminate called without an active
    # exception", about 1 exit in 25 even after destroy_process_group): the results are written.
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(0)
