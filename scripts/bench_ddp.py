"""Benchmark: `fit` throughput with 1, 2, ... processes (DDP) and the scaling efficiency.

Each configuration runs in fresh processes: one plain process for 1, `torchrun
--nproc_per_node=N` for N > 1 (gloo on CPU, NCCL with one GPU per process). `batch_size` is the
per-process batch (weak scaling, as with PyTorch DDP); on the CPU every process gets `cores / N`
threads (N processes share the machine one process had), or `--threads` each. The first epoch is a warm-up;
throughput is global samples per second over the other epochs (median of `--rounds` runs).

    python scripts/bench_ddp.py                       # mlp and cnn, 1 and 2 processes
    python scripts/bench_ddp.py --threads 1           # one core per process (shared machines)
    python scripts/bench_ddp.py --procs 1,2,4,8 --device cuda --json ddp.json

Efficiency = (samples/s with N processes) / (N x samples/s with 1 process).
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import statistics
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import bench_fit  # noqa: E402  (the shared workloads: data, models, losses)

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SAMPLES = {"mlp": (8192, 262144), "cnn": (1024, 65536)}  # per process: (cpu, cuda)
BATCH = {"mlp": 128, "cnn": 64}


def worker(args: argparse.Namespace) -> None:
    """One process of a run: trains, and rank 0 prints one JSON line with its timings."""
    import torch

    import torchkeras_lite as keras
    from torchkeras_lite import distribution

    torch.set_num_threads(args.threads)
    world = int(os.environ.get("WORLD_SIZE", 1))
    per_process = SAMPLES[args.workload][args.device == "cuda"]
    x, y = bench_fit.make_data(args.workload, per_process * world)
    keras.utils.set_random_seed(0)
    model = bench_fit.keras_model(keras, args.workload)
    loss, metric = bench_fit.LOSS[args.workload]
    model.compile(optimizer="adam", loss=loss, metrics=[metric] if metric else None)
    times: list[float] = []

    class Timer(keras.callbacks.Callback):
        def on_epoch_begin(self, epoch, logs=None):
            self.start = time.perf_counter()

        def on_epoch_end(self, epoch, logs=None):
            if args.device == "cuda":
                torch.cuda.synchronize()
            times.append(time.perf_counter() - self.start)

    model.fit(
        x, y, batch_size=BATCH[args.workload], epochs=args.epochs, verbose=0, callbacks=[Timer()]
    )
    if distribution.is_chief():
        timed = sum(times[1:])
        print(json.dumps({"samples_per_s": (args.epochs - 1) * len(x) / timed, "samples": len(x)}))


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def run(workload: str, procs: int, args: argparse.Namespace) -> dict:
    threads = args.threads or max(1, (os.cpu_count() or 1) // procs)
    script = [os.path.abspath(__file__), "--worker", "--workload", workload]
    script += ["--epochs", str(args.epochs), "--device", args.device, "--threads", str(threads)]
    if procs == 1:
        cmd = [sys.executable, *script]
    else:
        cmd = [sys.executable, "-m", "torch.distributed.run", f"--nproc_per_node={procs}"]
        cmd += ["--master_addr=127.0.0.1", f"--master_port={_free_port()}", *script]
    env = dict(os.environ, OMP_NUM_THREADS=str(threads), PYTHONPATH=ROOT)
    env["TORCHKERAS_LITE_DEVICE"] = args.device
    proc = subprocess.run(cmd, env=env, capture_output=True, text=True)
    lines = [ln for ln in proc.stdout.splitlines() if ln.startswith("{")]
    if proc.returncode != 0 or not lines:
        raise RuntimeError(f"{workload} x{procs} failed:\n{proc.stdout}\n{proc.stderr[-3000:]}")
    return json.loads(lines[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workloads", default="mlp,cnn")
    parser.add_argument("--procs", default="1,2")
    parser.add_argument("--device", default="cpu", choices=["cpu", "cuda"])
    parser.add_argument("--epochs", type=int, default=3)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--json", default=None)
    parser.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--workload", default="mlp", help=argparse.SUPPRESS)
    parser.add_argument("--threads", type=int, default=0, help="threads per process (0: auto)")
    args = parser.parse_args()
    if args.worker:
        worker(args)
        return
    procs = [int(p) for p in args.procs.split(",")]
    results = []
    for workload in args.workloads.split(","):
        rates: dict[int, list[float]] = {p: [] for p in procs}
        for _ in range(args.rounds):  # interleaved, so that machine noise hits all alike
            for p in procs:
                rates[p].append(run(workload, p, args)["samples_per_s"])
        base = statistics.median(rates[procs[0]]) / procs[0]
        for p in procs:
            rate = statistics.median(rates[p])
            results.append(
                {
                    "workload": workload,
                    "procs": p,
                    "batch_per_process": BATCH[workload],
                    "samples_per_s": rate,
                    "speedup": rate / base,
                    "efficiency": rate / (base * p),
                }
            )
    import torch

    threads = args.threads or "cores / procs"
    print(
        f"device: {args.device}, cores: {os.cpu_count()}, threads per process: {threads}, ", end=""
    )
    print(f"torch {torch.__version__}")
    header = f"{'workload':<9} {'procs':>5} {'batch/proc':>10} {'samples/s':>11} {'speedup':>8} {'efficiency':>10}"
    print(header)
    print("-" * len(header))
    for r in results:
        print(
            f"{r['workload']:<9} {r['procs']:>5} {r['batch_per_process']:>10} "
            f"{r['samples_per_s']:>11.0f} {r['speedup']:>8.2f} {r['efficiency']:>10.0%}"
        )
    if args.json:
        with open(args.json, "w") as f:
            json.dump(results, f, indent=2)


if __name__ == "__main__":
    main()
