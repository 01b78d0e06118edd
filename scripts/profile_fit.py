"""Where does a step's time go? Profiles one epoch of `fit` and prints the top entries.

    python scripts/profile_fit.py --workload mlp              # torch.profiler (operators)
    python scripts/profile_fit.py --workload tiny --cprofile  # cProfile (Python functions)
"""

from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from bench_fit import LOSS, WORKLOADS, keras_model, make_data  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--workload", default="mlp", choices=sorted(WORKLOADS))
    parser.add_argument("--device", default="cpu")
    parser.add_argument("--cprofile", action="store_true", help="profile Python functions instead of operators")
    parser.add_argument("--top", type=int, default=25)
    args = parser.parse_args()

    import torch

    import torchkeras_lite as keras

    n, _, batch_size = WORKLOADS[args.workload]
    x, y = make_data(args.workload, n)
    model = keras_model(keras, args.workload)
    loss, metric = LOSS[args.workload]
    model.compile(optimizer=keras.optimizers.Adam(1e-3), loss=loss, metrics=[metric] if metric else None)
    model.to(args.device)
    model.fit(x, y, batch_size=batch_size, epochs=1, verbose=0)  # warm-up

    if args.cprofile:
        profiler = cProfile.Profile()
        profiler.enable()
        model.fit(x, y, batch_size=batch_size, epochs=1, verbose=0)
        profiler.disable()
        pstats.Stats(profiler).sort_stats("tottime").print_stats(args.top)
        return
    activities = [torch.profiler.ProfilerActivity.CPU]
    if args.device.startswith("cuda"):
        activities.append(torch.profiler.ProfilerActivity.CUDA)
    with torch.profiler.profile(activities=activities) as prof:
        model.fit(x, y, batch_size=batch_size, epochs=1, verbose=0)
    sort = "cuda_time_total" if args.device.startswith("cuda") else "self_cpu_time_total"
    print(prof.key_averages().table(sort_by=sort, row_limit=args.top))


if __name__ == "__main__":
    main()
