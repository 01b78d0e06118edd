"""Benchmark: `fit` / `evaluate` / `predict` throughput against a hand-written torch loop and Keras 3.

Each (framework, workload) runs in its own process; frameworks are interleaved over several rounds;
the first epoch is a warm-up (and holds any compile time); figures are medians over rounds, and the
table prints each as a ratio to the `torch` reference from the same run.

    python scripts/bench_fit.py --device cpu --workloads tiny,mlp --frameworks torch,tkl,keras
    python scripts/bench_fit.py --json results.json

Frameworks: torch (hand-written loop), torch-compile (the same loop, torch.compile'd model),
tkl (torchkeras_lite, eager), tkl-compile (jit_compile=True), keras (Keras 3, KERAS_BACKEND=torch).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time

WORKLOADS = {
    # name: (samples on cpu, samples on cuda, batch size)
    "tiny": (4096, 32768, 32),
    "mlp": (8192, 65536, 128),
    "cnn": (1024, 16384, 64),
    "lstm": (512, 8192, 64),
    "transformer": (256, 4096, 32),
}
FRAMEWORKS = ["torch", "torch-compile", "tkl", "tkl-compile", "keras"]


# ----------------------------------------------------------------------------------------------
# Data (seeded, identical across frameworks).
def make_data(workload: str, n: int):
    import numpy as np

    rng = np.random.default_rng(0)
    if workload == "tiny":
        x = rng.normal(size=(n, 32)).astype("float32")
        return x, (x[:, :1] * 0.5).astype("float32")
    if workload == "mlp":
        return rng.normal(size=(n, 784)).astype("float32"), rng.integers(0, 10, size=(n,)).astype(
            "int64"
        )
    if workload == "cnn":
        return rng.normal(size=(n, 32, 32, 3)).astype("float32"), rng.integers(
            0, 10, size=(n,)
        ).astype("int64")
    if workload == "lstm":
        return rng.integers(1, 10000, size=(n, 100)).astype("int64"), rng.integers(
            0, 2, size=(n, 1)
        ).astype("float32")
    if workload == "transformer":
        return rng.normal(size=(n, 128, 128)).astype("float32"), rng.integers(
            0, 10, size=(n,)
        ).astype("int64")
    raise ValueError(workload)


LOSS = {
    "tiny": ("mse", None),
    "mlp": ("sparse_categorical_crossentropy", "accuracy"),
    "cnn": ("sparse_categorical_crossentropy", "accuracy"),
    "lstm": ("binary_crossentropy", "accuracy"),
    "transformer": ("sparse_categorical_crossentropy", "accuracy"),
}


# ----------------------------------------------------------------------------------------------
# Keras-API models (torchkeras_lite and Keras 3 share this code).
def keras_model(k, workload: str):
    L = k.layers
    if workload == "tiny":
        return k.Sequential([k.Input((32,)), L.Dense(32, activation="relu"), L.Dense(1)])
    if workload == "mlp":
        return k.Sequential(
            [
                k.Input((784,)),
                L.Dense(256, activation="relu"),
                L.Dense(256, activation="relu"),
                L.Dense(10, activation="softmax"),
            ]
        )
    if workload == "cnn":
        return k.Sequential(
            [
                k.Input((32, 32, 3)),
                L.Conv2D(32, 3, activation="relu"),
                L.MaxPooling2D(),
                L.Conv2D(64, 3, activation="relu"),
                L.MaxPooling2D(),
                L.Flatten(),
                L.Dense(10, activation="softmax"),
            ]
        )
    if workload == "lstm":
        return k.Sequential(
            [
                k.Input((100,), dtype="int64"),
                L.Embedding(10000, 64),
                L.LSTM(64),
                L.Dense(1, activation="sigmoid"),
            ]
        )
    if workload == "transformer":
        inputs = k.Input((128, 128))
        x = inputs
        for _ in range(2):
            attn = L.MultiHeadAttention(num_heads=4, key_dim=32)(x, x)
            x = L.LayerNormalization()(x + attn)
            ff = L.Dense(128)(L.Dense(256, activation="relu")(x))
            x = L.LayerNormalization()(x + ff)
        x = L.GlobalAveragePooling1D()(x)
        return k.Model(inputs, L.Dense(10, activation="softmax")(x))
    raise ValueError(workload)


# ----------------------------------------------------------------------------------------------
# The hand-written torch reference.
def torch_model(workload: str):
    import torch
    from torch import nn

    if workload == "tiny":
        return nn.Sequential(nn.Linear(32, 32), nn.ReLU(), nn.Linear(32, 1))
    if workload == "mlp":
        return nn.Sequential(
            nn.Linear(784, 256), nn.ReLU(), nn.Linear(256, 256), nn.ReLU(), nn.Linear(256, 10)
        )
    if workload == "cnn":

        class CNN(nn.Module):
            def __init__(self):
                super().__init__()
                self.c1, self.c2 = nn.Conv2d(3, 32, 3), nn.Conv2d(32, 64, 3)
                self.fc = nn.Linear(64 * 6 * 6, 10)

            def forward(self, x):  # x: (B, H, W, C), as the Keras models get it
                x = x.permute(0, 3, 1, 2)
                x = torch.max_pool2d(torch.relu(self.c1(x)), 2)
                x = torch.max_pool2d(torch.relu(self.c2(x)), 2)
                return self.fc(x.permute(0, 2, 3, 1).flatten(1))

        return CNN()
    if workload == "lstm":

        class LSTMNet(nn.Module):
            def __init__(self):
                super().__init__()
                self.emb, self.lstm, self.fc = (
                    nn.Embedding(10000, 64),
                    nn.LSTM(64, 64, batch_first=True),
                    nn.Linear(64, 1),
                )

            def forward(self, x):
                _, (h, _) = self.lstm(self.emb(x))
                return self.fc(h[-1])

        return LSTMNet()
    if workload == "transformer":

        class Block(nn.Module):
            def __init__(self):
                super().__init__()
                self.attn = nn.MultiheadAttention(128, 4, batch_first=True)
                self.n1, self.n2 = nn.LayerNorm(128, eps=1e-3), nn.LayerNorm(128, eps=1e-3)
                self.ff = nn.Sequential(nn.Linear(128, 256), nn.ReLU(), nn.Linear(256, 128))

            def forward(self, x):
                x = self.n1(x + self.attn(x, x, x, need_weights=False)[0])
                return self.n2(x + self.ff(x))

        class Transformer(nn.Module):
            def __init__(self):
                super().__init__()
                self.blocks, self.fc = nn.Sequential(Block(), Block()), nn.Linear(128, 10)

            def forward(self, x):
                return self.fc(self.blocks(x).mean(dim=1))

        return Transformer()
    raise ValueError(workload)


def run_torch(workload, x, y, batch_size, epochs, device, compile_model):
    import torch
    import torch.nn.functional as F

    torch.manual_seed(0)
    model = torch_model(workload).to(device)
    opt = torch.optim.Adam(model.parameters(), lr=1e-3, eps=1e-7)
    step_model = torch.compile(model) if compile_model else model
    xt, yt = torch.from_numpy(x).to(device), torch.from_numpy(y).to(device)
    n = xt.shape[0]
    gen = torch.Generator(device="cpu").manual_seed(0)

    def loss_fn(out, target):
        if workload == "tiny":
            return F.mse_loss(out, target)
        if workload == "lstm":
            return F.binary_cross_entropy_with_logits(out, target)
        return F.cross_entropy(out, target)

    def correct(out, target):
        if workload == "lstm":
            return ((out > 0).float() == target).sum()
        return (out.argmax(-1) == target).sum()

    epoch_times = []
    for _ in range(epochs):
        start = time.perf_counter()
        model.train()
        perm = torch.randperm(n, generator=gen).to(device)
        xs, ys = xt[perm], yt[perm]
        total_loss = torch.zeros((), device=device)
        total_correct = torch.zeros((), device=device)
        for i in range(0, n, batch_size):
            xb, yb = xs[i : i + batch_size], ys[i : i + batch_size]
            opt.zero_grad(set_to_none=True)
            out = step_model(xb)
            loss = loss_fn(out, yb)
            loss.backward()
            opt.step()
            total_loss += loss.detach() * xb.shape[0]
            if workload != "tiny":
                total_correct += correct(out.detach(), yb)
        float(total_loss / n)
        sync(device)
        epoch_times.append(time.perf_counter() - start)

    def evaluate():
        model.eval()
        with torch.no_grad():
            tl = torch.zeros((), device=device)
            for i in range(0, n, batch_size):
                out = step_model(xt[i : i + batch_size])
                tl += loss_fn(out, yt[i : i + batch_size]) * out.shape[0]
            return float(tl / n)

    def predict():
        model.eval()
        with torch.no_grad():
            return (
                torch.cat([step_model(xt[i : i + batch_size]) for i in range(0, n, batch_size)])
                .cpu()
                .numpy()
            )

    return epoch_times, evaluate, predict


def run_keras_api(framework, workload, x, y, batch_size, epochs, device):
    if framework == "keras":
        os.environ["KERAS_BACKEND"] = "torch"
        import keras as k
    else:
        import torchkeras_lite as k
    import torch

    torch.manual_seed(0)
    model = keras_model(k, workload)
    loss, metric = LOSS[workload]
    kwargs = (
        {"jit_compile": framework == "tkl-compile"}
        if framework != "keras"
        else {"jit_compile": False}
    )
    model.compile(
        optimizer=k.optimizers.Adam(1e-3), loss=loss, metrics=[metric] if metric else None, **kwargs
    )
    if framework != "keras":
        model.to(device)

    class Timer(k.callbacks.Callback):
        def __init__(self):
            super().__init__()
            self.times = []

        def on_epoch_begin(self, epoch, logs=None):
            self.start = time.perf_counter()

        def on_epoch_end(self, epoch, logs=None):
            sync(device)
            self.times.append(time.perf_counter() - self.start)

    timer = Timer()
    model.fit(x, y, batch_size=batch_size, epochs=epochs, verbose=0, callbacks=[timer])
    return (
        timer.times,
        lambda: model.evaluate(x, y, batch_size=batch_size, verbose=0),
        lambda: model.predict(x, batch_size=batch_size, verbose=0),
    )


def sync(device):
    import torch

    if str(device).startswith("cuda"):
        torch.cuda.synchronize()


def worker(args) -> None:
    import resource

    import torch

    torch.set_num_threads(args.threads) if args.threads else None
    n_cpu, n_cuda, batch_size = WORKLOADS[args.workload]
    n = n_cuda if args.device.startswith("cuda") else n_cpu
    x, y = make_data(args.workload, n)
    if args.framework in ("torch", "torch-compile"):
        times, evaluate, predict = run_torch(
            args.workload,
            x,
            y,
            batch_size,
            args.epochs,
            args.device,
            args.framework == "torch-compile",
        )
    else:
        times, evaluate, predict = run_keras_api(
            args.framework, args.workload, x, y, batch_size, args.epochs, args.device
        )
    steady = statistics.median(times[1:]) if len(times) > 1 else times[0]
    evaluate()  # warm-up
    t = time.perf_counter()
    evaluate()
    sync(args.device)
    eval_s = time.perf_counter() - t
    predict()
    t = time.perf_counter()
    predict()
    pred_s = time.perf_counter() - t
    peak = (
        torch.cuda.max_memory_allocated() / 2**20
        if args.device.startswith("cuda")
        else resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    )
    print(
        json.dumps(
            {
                "fit": n / steady,
                "evaluate": n / eval_s,
                "predict": n / pred_s,
                "first_epoch_extra_s": max(times[0] - steady, 0.0),
                "peak_mb": peak,
                "epoch_times": times,
            }
        )
    )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--device", default="cpu")
    parser.add_argument("--workloads", default=",".join(WORKLOADS))
    parser.add_argument("--frameworks", default="torch,tkl,keras")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--epochs", type=int, default=3)
    parser.add_argument("--threads", type=int, default=0)
    parser.add_argument("--json", default=None)
    parser.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--framework", help=argparse.SUPPRESS)
    parser.add_argument("--workload", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        worker(args)
        return
    workloads, frameworks = args.workloads.split(","), args.frameworks.split(",")
    results: dict = {w: {f: [] for f in frameworks} for w in workloads}
    for rnd in range(args.rounds):
        for w in workloads:
            for f in frameworks:
                cmd = [
                    sys.executable,
                    __file__,
                    "--worker",
                    "--framework",
                    f,
                    "--workload",
                    w,
                    "--device",
                    args.device,
                    "--epochs",
                    str(args.epochs),
                    "--threads",
                    str(args.threads),
                ]
                env = dict(os.environ, KERAS_BACKEND="torch")
                proc = subprocess.run(cmd, capture_output=True, text=True, env=env)
                if proc.returncode != 0:
                    print(f"[round {rnd}] {f}/{w} failed:\n{proc.stderr[-1500:]}", file=sys.stderr)
                    continue
                results[w][f].append(json.loads(proc.stdout.strip().splitlines()[-1]))
                print(
                    f"[round {rnd}] {w:12s} {f:14s} fit {results[w][f][-1]['fit']:10.0f} samples/s",
                    file=sys.stderr,
                )
    table = summarize(results)
    print(table)
    if args.json:
        with open(args.json, "w") as fh:
            json.dump({"device": args.device, "results": results}, fh, indent=1)


def summarize(results: dict) -> str:
    lines = [
        "| workload | framework | fit samples/s | fit vs torch | evaluate vs torch | predict vs torch | first-epoch extra (s) | peak MB |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for w, per_fw in results.items():
        ref = per_fw.get("torch") or []
        for f, runs in per_fw.items():
            if not runs:
                continue
            med = {
                k: statistics.median(r[k] for r in runs)
                for k in ("fit", "evaluate", "predict", "first_epoch_extra_s", "peak_mb")
            }
            ratios = []
            for key in ("fit", "evaluate", "predict"):
                if ref:
                    # median of per-round ratios, each against the same round's torch figure
                    per_round = [r[key] / t[key] for r, t in zip(runs, ref)]
                    ratios.append(f"{statistics.median(per_round):.2f}x")
                else:
                    ratios.append("-")
            lines.append(
                f"| {w} | {f} | {med['fit']:.0f} | {ratios[0]} | {ratios[1]} | {ratios[2]} | {med['first_epoch_extra_s']:.2f} | {med['peak_mb']:.0f} |"
            )
    return "\n".join(lines)


if __name__ == "__main__":
    main()
