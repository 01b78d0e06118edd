"""The collectives the training loops need: metric state, decisions, seeds, predictions, weights.

Each runs once per epoch (metrics, the stop decision), once per `fit` (the shuffle seed, the
initial weights) or once per save: never per step. Tensors of one dtype travel as one flat buffer.
"""

from __future__ import annotations

import sys
from typing import Any

import torch
import torch.distributed as dist

from torchkeras_lite.distribution.process_group import collective_device, world_size


def _is_dtensor(t: Any) -> bool:
    """Whether `t` is a sharded DTensor; without importing `torch.distributed.tensor` (~0.8 s):
    when nothing has imported it yet, no DTensor can exist."""
    module = sys.modules.get("torch.distributed.tensor") or sys.modules.get(
        "torch.distributed._tensor"
    )
    return module is not None and isinstance(t, module.DTensor)


def _groups(tensors: list[torch.Tensor]) -> dict[tuple, list[torch.Tensor]]:
    groups: dict[tuple, list[torch.Tensor]] = {}
    for t in tensors:
        groups.setdefault((t.device, t.dtype), []).append(t)
    return groups


def _flat_collective(tensors: list[torch.Tensor], op: Any) -> None:
    """Runs `op(flat)` on one flat buffer per (device, dtype) and copies the result back in place."""
    target = collective_device()
    with torch.no_grad():
        for (device, _), group in _groups(tensors).items():
            flat = torch.cat([t.detach().reshape(-1) for t in group]).to(target)
            op(flat)
            flat = flat.to(device)
            offset = 0
            for t in group:
                n = t.numel()
                t.copy_(flat[offset : offset + n].view_as(t))
                offset += n


def all_reduce_sum_(tensors: list[torch.Tensor]) -> None:
    """Sums `tensors` over all processes, in place (one collective per dtype)."""
    _flat_collective(tensors, dist.all_reduce)


def broadcast_(tensors: list[torch.Tensor], src: int = 0) -> None:
    """Copies rank `src`'s values of `tensors` to every process, in place."""
    _flat_collective(tensors, lambda flat: dist.broadcast(flat, src))


def metric_objects(model: Any) -> list[Any]:
    """The metrics whose state makes up the model's logs: loss trackers and compiled metrics."""
    items = list(getattr(model, "metrics", ()))
    items += list(model.__dict__.get("_extra_loss_trackers", {}).values())
    out, seen = [], set()
    for item in items:
        inner = getattr(item, "metrics", None)  # `CompileMetrics` holds a list of metrics
        for metric in inner if isinstance(inner, list) else [item]:
            if id(metric) not in seen:
                seen.add(id(metric))
                out.append(metric)
    return out


def sync_metrics(model: Any) -> None:
    """Sums every metric's state over the processes, so each computes the global result.

    Metric states are sums (totals, counts, confusion matrices), so the summed state is what one
    process would hold after seeing every process' batches. Call it once, before reading results.
    """
    tensors: list[torch.Tensor] = []
    for metric in metric_objects(model):
        fold = getattr(metric, "_fold", None)  # the loss tracker keeps its count in Python
        if callable(fold):
            fold()
        tensors.extend(v for v in getattr(metric, "variables", ()) if isinstance(v, torch.Tensor))
    if tensors:
        all_reduce_sum_(tensors)


def summed_states(metrics: list[Any]) -> list[dict[str, torch.Tensor]]:
    """Copies of the metrics' `state_dict()`s summed over all processes (the metrics are unchanged)."""
    states = []
    for metric in metrics:
        fold = getattr(metric, "_fold", None)
        if callable(fold):
            fold()
        states.append({k: v.detach().clone() for k, v in metric.state_dict().items()})
    all_reduce_sum_([t for state in states for t in state.values()])
    return states


def any_rank(flag: bool) -> bool:
    """True on every process when `flag` is true on at least one."""
    t = torch.tensor([1 if flag else 0], device=collective_device())
    dist.all_reduce(t)
    return bool(t.item())


def from_chief(value: int) -> int:
    """Rank 0's `value` (an int), on every process."""
    t = torch.tensor([int(value)], dtype=torch.int64, device=collective_device())
    dist.broadcast(t, 0)
    return int(t.item())


def shared_seed() -> int:
    """A seed drawn from rank 0's global torch generator (every process draws, keeping them aligned)."""
    return from_chief(int(torch.randint(0, 2**62, ()).item()))


def broadcast_module_states(model: torch.nn.Module) -> None:
    """Gives every process rank 0's parameters and buffers (what DDP does when it wraps a module)."""
    tensors = [t for t in (*model.parameters(), *model.buffers()) if not _is_dtensor(t)]
    if tensors:
        broadcast_([t.data for t in tensors])


def full_tensors(tensors: dict[str, Any]) -> dict[str, Any]:
    """`tensors` with every sharded `DTensor` gathered into a full tensor (all processes must call)."""
    if not any(_is_dtensor(t) for t in tensors.values()):
        return tensors
    return {k: t.full_tensor() if _is_dtensor(t) else t for k, t in tensors.items()}


def gather_rows(leaves: list[torch.Tensor], layout: str, total: int | None) -> list[torch.Tensor]:
    """Each process' rows of `leaves`, gathered on every process in the original sample order.

    Args:
        leaves: this process' outputs, one tensor per output, all with the same number of rows.
        layout: `"blocks"` (rank r holds the r-th contiguous block) or `"strided"` (rank r holds
            samples r, r + world_size, ..., as `DistributedSampler` deals them).
        total: the number of samples (`"strided"` drops the padding beyond it).
    """
    device = collective_device()
    rows = leaves[0].shape[0] if leaves else 0
    n = torch.tensor([rows], dtype=torch.int64, device=device)
    sizes_t = [torch.zeros_like(n) for _ in range(world_size())]
    dist.all_gather(sizes_t, n)
    sizes = [int(s.item()) for s in sizes_t]
    longest = max(sizes)
    out = []
    for leaf in leaves:
        t = leaf.detach().to(device)
        as_bool = t.dtype == torch.bool
        if as_bool:
            t = t.to(torch.uint8)
        if t.shape[0] < longest:
            t = torch.cat([t, t.new_zeros((longest - t.shape[0], *t.shape[1:]))])
        parts = [torch.empty_like(t) for _ in sizes]
        dist.all_gather(parts, t.contiguous())
        parts = [p[:s] for p, s in zip(parts, sizes)]
        if layout == "strided":
            joined = torch.stack(parts, dim=1).reshape(-1, *t.shape[1:])
            joined = joined if total is None else joined[:total]
        else:
            joined = torch.cat(parts)
        out.append(joined.to(torch.bool) if as_bool else joined)
    return out
