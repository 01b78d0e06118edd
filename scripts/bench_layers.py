"""Layer benchmark: torchkeras_lite layers against the equivalent plain torch modules (and Keras 3).

For each case, times forward+backward (or forward only, `--forward-only`) of the torchkeras_lite
layer, the plain torch module doing the same math, and, with `--keras`, Keras 3's layer on its
torch backend. All implementations run in one process, interleaved round by round; the table shows
the median (or `--stat min`) milliseconds per step and each implementation's ratio to plain
torch.

    python scripts/bench_layers.py --device cpu --families conv,pooling,reshaping
    python scripts/bench_layers.py --device cuda --keras --json results.json

Extending: add `Case(...)` entries to `CASES` under your family's name. A case gives the layer
factory, the plain torch module factory and the input shape of each (torch modules take
channels-first inputs; our layers default to channels-last, which is the layout overhead the
"channels_first" cases isolate). `keras` names the Keras layer class and kwargs when it should be
built too (omit for cases Keras has no equivalent of).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

os.environ.setdefault("KERAS_BACKEND", "torch")
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))

import torch  # noqa: E402
from torch import nn  # noqa: E402

from torchkeras_lite import layers  # noqa: E402


@dataclass
class Case:
    """One benchmark case: the same computation in torchkeras_lite, plain torch and Keras."""

    name: str
    ours: Callable[[], nn.Module]
    torch: Callable[[], nn.Module]
    shape: tuple[int, ...]  # our layer's input shape
    torch_shape: tuple[int, ...] | None = None  # the torch module's input shape (default: same)
    keras: tuple[str, dict[str, Any]] | None = None  # Keras layer class name and kwargs
    cuda_scale: int = 4  # batch multiplier on CUDA (bigger problems)
    notes: dict[str, Any] = field(default_factory=dict)


def _cl(shape: tuple[int, ...]) -> tuple[int, ...]:
    """A channels-first shape as channels-last."""
    return (shape[0], *shape[2:], shape[1])


class _Lambda(nn.Module):
    def __init__(self, fn: Callable[[torch.Tensor], torch.Tensor]):
        super().__init__()
        self.fn = fn

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.fn(x)


def _conv_cases() -> list[Case]:
    L = layers
    cf4, cf3, cf5 = (16, 64, 32, 32), (32, 64, 256), (4, 32, 16, 16, 16)
    return [
        Case("Conv2D 3x3 same (channels_last)", lambda: L.Conv2D(64, 3, padding="same"),
             lambda: nn.Conv2d(64, 64, 3, padding=1), _cl(cf4), cf4,
             ("Conv2D", {"filters": 64, "kernel_size": 3, "padding": "same"})),
        Case("Conv2D 3x3 same (channels_first)",
             lambda: L.Conv2D(64, 3, padding="same", data_format="channels_first"),
             lambda: nn.Conv2d(64, 64, 3, padding=1), cf4, cf4,
             ("Conv2D", {"filters": 64, "kernel_size": 3, "padding": "same",
                         "data_format": "channels_first"})),
        Case("Conv2D 3x3 same, batch 1 8x8 (overhead)", lambda: L.Conv2D(64, 3, padding="same"),
             lambda: nn.Conv2d(64, 64, 3, padding=1), (1, 8, 8, 64), (1, 64, 8, 8),
             ("Conv2D", {"filters": 64, "kernel_size": 3, "padding": "same"}), cuda_scale=1),
        Case("Conv2D 3x3 stride 2 same", lambda: L.Conv2D(64, 3, 2, padding="same"),
             lambda: nn.Sequential(nn.ZeroPad2d((0, 1, 0, 1)), nn.Conv2d(64, 64, 3, 2)),
             _cl(cf4), cf4, ("Conv2D", {"filters": 64, "kernel_size": 3, "strides": 2,
                                        "padding": "same"})),
        Case("Conv1D k5 causal", lambda: L.Conv1D(64, 5, padding="causal"),
             lambda: nn.Sequential(nn.ConstantPad1d((4, 0), 0.0), nn.Conv1d(64, 64, 5)),
             _cl(cf3), cf3, ("Conv1D", {"filters": 64, "kernel_size": 5, "padding": "causal"})),
        Case("Conv1D k3 same (channels_first)",
             lambda: L.Conv1D(64, 3, padding="same", data_format="channels_first"),
             lambda: nn.Conv1d(64, 64, 3, padding=1), cf3, cf3,
             ("Conv1D", {"filters": 64, "kernel_size": 3, "padding": "same",
                         "data_format": "channels_first"})),
        Case("Conv3D 3x3x3 same", lambda: L.Conv3D(32, 3, padding="same"),
             lambda: nn.Conv3d(32, 32, 3, padding=1), _cl(cf5), cf5,
             ("Conv3D", {"filters": 32, "kernel_size": 3, "padding": "same"})),
        Case("Conv2DTranspose 3x3 s2 same", lambda: L.Conv2DTranspose(64, 3, 2, padding="same"),
             lambda: nn.ConvTranspose2d(64, 64, 3, 2, padding=1, output_padding=1),
             _cl(cf4), cf4, ("Conv2DTranspose", {"filters": 64, "kernel_size": 3, "strides": 2,
                                                 "padding": "same"})),
        Case("DepthwiseConv2D 3x3 same", lambda: L.DepthwiseConv2D(3, padding="same"),
             lambda: nn.Conv2d(64, 64, 3, padding=1, groups=64), _cl(cf4), cf4,
             ("DepthwiseConv2D", {"kernel_size": 3, "padding": "same"})),
        Case("SeparableConv2D 3x3 same", lambda: L.SeparableConv2D(64, 3, padding="same"),
             lambda: nn.Sequential(nn.Conv2d(64, 64, 3, padding=1, groups=64, bias=False),
                                   nn.Conv2d(64, 64, 1)),
             _cl(cf4), cf4, ("SeparableConv2D", {"filters": 64, "kernel_size": 3,
                                                 "padding": "same"})),
    ]  # fmt: skip


def _pooling_cases() -> list[Case]:
    L = layers
    cf4, cf3 = (16, 64, 32, 32), (32, 64, 256)
    return [
        Case("MaxPooling2D 2x2", lambda: L.MaxPooling2D(2), lambda: nn.MaxPool2d(2),
             _cl(cf4), cf4, ("MaxPooling2D", {"pool_size": 2})),
        Case("MaxPooling2D 2x2 (channels_first)",
             lambda: L.MaxPooling2D(2, data_format="channels_first"), lambda: nn.MaxPool2d(2),
             cf4, cf4, ("MaxPooling2D", {"pool_size": 2, "data_format": "channels_first"})),
        Case("AveragePooling2D 3x3 s2 same", lambda: L.AveragePooling2D(3, 2, "same"),
             lambda: nn.AvgPool2d(3, 2, padding=1, count_include_pad=False),
             _cl(cf4), cf4, ("AveragePooling2D", {"pool_size": 3, "strides": 2,
                                                  "padding": "same"})),
        Case("MaxPooling1D 2", lambda: L.MaxPooling1D(2), lambda: nn.MaxPool1d(2),
             _cl(cf3), cf3, ("MaxPooling1D", {"pool_size": 2})),
        Case("GlobalAveragePooling2D", lambda: L.GlobalAveragePooling2D(),
             lambda: nn.AdaptiveAvgPool2d(1), _cl(cf4), cf4, ("GlobalAveragePooling2D", {})),
        Case("GlobalMaxPooling1D", lambda: L.GlobalMaxPooling1D(),
             lambda: nn.AdaptiveMaxPool1d(1), _cl(cf3), cf3, ("GlobalMaxPooling1D", {})),
    ]  # fmt: skip


def _reshaping_cases() -> list[Case]:
    L = layers
    cf4 = (16, 64, 32, 32)
    return [
        Case("UpSampling2D nearest x2", lambda: L.UpSampling2D(2),
             lambda: nn.Upsample(scale_factor=2, mode="nearest"), _cl(cf4), cf4,
             ("UpSampling2D", {"size": 2})),
        Case("UpSampling2D bilinear x2", lambda: L.UpSampling2D(2, interpolation="bilinear"),
             lambda: nn.Upsample(scale_factor=2, mode="bilinear"), _cl(cf4), cf4,
             ("UpSampling2D", {"size": 2, "interpolation": "bilinear"})),
        Case("ZeroPadding2D 1", lambda: L.ZeroPadding2D(1), lambda: nn.ZeroPad2d(1),
             _cl(cf4), cf4, ("ZeroPadding2D", {"padding": 1})),
        Case("Cropping2D 2 (+x2 to have work)", lambda: _then_double(L.Cropping2D(2)),
             lambda: _Lambda(lambda x: x[:, :, 2:-2, 2:-2] * 2), _cl(cf4), cf4),
    ]  # fmt: skip


def _then_double(layer: nn.Module) -> nn.Module:
    return _Lambda(lambda x: layer(x) * 2)


class _RNNOutput(nn.Module):
    """A torch RNN module returning the last output (or the sequence), like a Keras RNN layer."""

    def __init__(self, rnn: nn.Module, sequences: bool = False, lengths: float = 0.0):
        super().__init__()
        self.rnn, self.sequences, self.lengths = rnn, sequences, lengths

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        if self.lengths:  # post-padded: every other row keeps `lengths` of its steps
            keep = torch.full((x.shape[0],), x.shape[1], dtype=torch.int64)
            keep[1::2] = int(x.shape[1] * self.lengths)
            packed = nn.utils.rnn.pack_padded_sequence(x, keep, True, enforce_sorted=False)
            out, _ = nn.utils.rnn.pad_packed_sequence(self.rnn(packed)[0], True)
            return out
        out = self.rnn(x)[0]
        return out if self.sequences else out[:, -1]


class _PostPadded(nn.Module):
    """Calls a layer with the post-padded mask `_RNNOutput(lengths=...)` uses."""

    def __init__(self, layer: nn.Module, lengths: float):
        super().__init__()
        self.layer, self.lengths = layer, lengths

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        steps = torch.arange(x.shape[1], device=x.device)
        keep = torch.full((x.shape[0], 1), x.shape[1], device=x.device)
        keep[1::2] = int(x.shape[1] * self.lengths)
        return self.layer(x, mask=steps < keep)


def _rnn_cases() -> list[Case]:
    L = layers
    shape = (64, 100, 32)  # batch 64, 100 steps, 32 features; 64 units
    lstm = ("LSTM", {"units": 64})
    return [
        Case("LSTM(64) fused kernel", lambda: L.LSTM(64), lambda: _RNNOutput(nn.LSTM(32, 64, batch_first=True)),
             shape, keras=lstm),
        Case("LSTM(64) step loop (use_cudnn=False)", lambda: L.LSTM(64, use_cudnn=False),
             lambda: _RNNOutput(nn.LSTM(32, 64, batch_first=True)), shape, keras=lstm),
        Case("LSTM(64) seq, post-padded mask (packed)",
             lambda: _PostPadded(L.LSTM(64, return_sequences=True), 0.5),
             lambda: _RNNOutput(nn.LSTM(32, 64, batch_first=True), True, 0.5), shape),
        Case("GRU(64) fused kernel", lambda: L.GRU(64), lambda: _RNNOutput(nn.GRU(32, 64, batch_first=True)),
             shape, keras=("GRU", {"units": 64})),
        Case("GRU(64) reset_after=False (loop)", lambda: L.GRU(64, reset_after=False),
             lambda: _RNNOutput(nn.GRU(32, 64, batch_first=True)), shape,
             keras=("GRU", {"units": 64, "reset_after": False})),
        Case("SimpleRNN(64) fused kernel", lambda: L.SimpleRNN(64),
             lambda: _RNNOutput(nn.RNN(32, 64, batch_first=True)), shape,
             keras=("SimpleRNN", {"units": 64})),
        Case("Bidirectional(LSTM(64)) sequences",
             lambda: L.Bidirectional(L.LSTM(64, return_sequences=True)),
             lambda: _RNNOutput(nn.LSTM(32, 64, batch_first=True, bidirectional=True), True), shape),
    ]  # fmt: skip


# Families: name -> a function returning its cases (other families add theirs here).
CASES: dict[str, Callable[[], list[Case]]] = {
    "conv": _conv_cases,
    "pooling": _pooling_cases,
    "reshaping": _reshaping_cases,
    "rnn": _rnn_cases,
}


# ----------------------------------------------------------------------------------------------
def _sync(device: str) -> None:
    if device == "cuda":
        torch.cuda.synchronize()


def _step_fn(module: Any, x: torch.Tensor, forward_only: bool) -> Callable[[], None]:
    def step() -> None:
        if forward_only:
            with torch.no_grad():
                module(x)
            return
        out = module(x)
        out = out[0] if isinstance(out, (tuple, list)) else out
        out.sum().backward()

    return step


def _keras_layer(spec: tuple[str, dict[str, Any]], x: torch.Tensor, device: str) -> Any:
    import keras  # noqa: PLC0415  (optional)

    layer = getattr(keras.layers, spec[0])(**spec[1])
    layer(x)  # build
    return layer


def run_case(case: Case, device: str, args: argparse.Namespace) -> dict[str, Any]:
    scale = case.cuda_scale if device == "cuda" else 1
    shape = (case.shape[0] * scale, *case.shape[1:])
    tshape = case.torch_shape or case.shape
    tshape = (tshape[0] * scale, *tshape[1:])
    # Inputs take gradients too (as inside a network), so weightless layers have a backward.
    grad = not args.forward_only
    x = torch.randn(shape, device=device, requires_grad=grad)
    tx = torch.randn(tshape, device=device, requires_grad=grad)
    impls: dict[str, Callable[[], None]] = {}
    impls["torch"] = _step_fn(case.torch().to(device), tx, args.forward_only)
    ours = case.ours()
    ours(x)  # build
    impls["tkl"] = _step_fn(ours.to(device), x, args.forward_only)
    if args.keras and case.keras is not None:
        impls["keras"] = _step_fn(_keras_layer(case.keras, x, device), x, args.forward_only)
    times: dict[str, list[float]] = {k: [] for k in impls}
    for fn in impls.values():  # warm-up
        for _ in range(2):
            fn()
    _sync(device)
    for _ in range(args.rounds):
        for name, fn in impls.items():
            _sync(device)
            start = time.perf_counter()
            for _ in range(args.iters):
                fn()
            _sync(device)
            times[name].append((time.perf_counter() - start) / args.iters * 1e3)
    reduce = min if args.stat == "min" else statistics.median
    med = {k: reduce(v) for k, v in times.items()}
    return {"case": case.name, "ms": med, "ratio": {k: v / med["torch"] for k, v in med.items()}}


def main(argv: list[str] | None = None) -> list[dict[str, Any]]:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--device", default="cpu", choices=["cpu", "cuda"])
    parser.add_argument("--families", default=",".join(CASES), help="comma-separated families")
    parser.add_argument("--keras", action="store_true", help="also time Keras 3's layers")
    parser.add_argument("--forward-only", action="store_true", help="time inference only")
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--iters", type=int, default=10)
    parser.add_argument("--filter", default="", help="only cases whose name contains this")
    parser.add_argument("--threads", type=int, default=0, help="torch.set_num_threads (0: keep)")
    parser.add_argument(
        "--stat", default="median", choices=["median", "min"], help="min: for noisy machines"
    )
    parser.add_argument("--json", default="", help="write the results to this file")
    args = parser.parse_args(argv)
    if args.threads:
        torch.set_num_threads(args.threads)
    torch.manual_seed(0)
    results = []
    mode = "forward" if args.forward_only else "forward+backward"
    print(f"{mode} on {args.device}, {args.stat} ms per step over {args.rounds} rounds")
    print(f"{'case':44s} {'torch':>9s} {'tkl':>9s} {'tkl/torch':>9s} {'keras':>9s} {'k/torch':>8s}")
    for family in args.families.split(","):
        if family not in CASES:
            raise SystemExit(f"unknown family {family!r}; known: {', '.join(CASES)}")
        for case in CASES[family]():
            if args.filter not in case.name:
                continue
            res = run_case(case, args.device, args)
            res["family"] = family
            results.append(res)
            ms, ratio = res["ms"], res["ratio"]
            k = f"{ms['keras']:9.3f} {ratio['keras']:8.2f}" if "keras" in ms else ""
            print(f"{case.name:44s} {ms['torch']:9.3f} {ms['tkl']:9.3f} {ratio['tkl']:9.2f} {k}")
    if args.json:
        with open(args.json, "w") as f:
            json.dump(results, f, indent=2)
    return results


if __name__ == "__main__":
    main()
