"""Getting a model ready to train on several processes: DDP, gradient hooks, or FSDP sharding.

- The default `train_step` runs its forward pass through a `DistributedDataParallel` wrapper of
  the model, kept in `model.__dict__["_ddp_module"]` (not a submodule: the model and its
  `state_dict` are unchanged, and `model(x)` outside `train_step` is the plain model). DDP
  averages the gradients during the backward pass, overlapping communication with compute.
- A custom `train_step` (which calls `self(x)`) gets the same averaging from hooks: the first
  gradient accumulated in a backward pass schedules one all-reduce of all gradients at its end.
- `ModelParallel` shards the parameters with FSDP (`fully_shard`, else FSDP1), layer by layer.
"""

from __future__ import annotations

import contextlib
import re
import sys
from collections.abc import Iterator
from typing import Any

import torch
import torch.distributed as dist

from torchkeras_lite.distribution.collectives import all_reduce_sum_, broadcast_module_states


def _fsdp2() -> tuple[Any, Any]:
    """`(FSDPModule, fully_shard)`, or Nones before torch 2.6; imported when first needed (~1 s)."""
    try:
        from torch.distributed.fsdp import FSDPModule, fully_shard
    except ImportError:  # pragma: no cover - older torch
        return None, None
    return FSDPModule, fully_shard


def _uses_default_train_step(model: Any) -> bool:
    from torchkeras_lite.trainers.trainer import Trainer

    return getattr(type(model), "train_step", None) is Trainer.train_step


def _reset_compiled_train_step(model: Any) -> None:
    compiled = model.__dict__.get("_compiled_steps")
    if compiled is not None:
        compiled._fns.pop("train", None)


def prepare_data_parallel(model: Any, device: torch.device, options: dict[str, Any]) -> None:
    """Wraps `model` in DDP (or hooks its gradients) once per set of trainable weights."""
    d = model.__dict__
    params = [p for p in model.parameters() if p.requires_grad]
    key = tuple(id(p) for p in params)
    if d.get("_dist_key") == key:
        return
    for handle in d.pop("_grad_sync_handles", ()):
        handle.remove()
    d.pop("_ddp_module", None)
    if params and _uses_default_train_step(model):
        device_ids = [device.index] if device.type == "cuda" else None
        d["_ddp_module"] = torch.nn.parallel.DistributedDataParallel(
            model, device_ids=device_ids, **options
        )  # broadcasts rank 0's parameters and buffers
    else:
        broadcast_module_states(model)
        if params:
            d["_grad_sync_handles"] = _install_gradient_sync(params)
    _reset_compiled_train_step(model)
    d["_dist_key"] = key
    d["_dist_synced"] = True


def _install_gradient_sync(params: list[torch.Tensor]) -> list[Any]:
    """Averages `.grad` over the processes at the end of every backward pass that reaches `params`."""
    world = dist.get_world_size()
    queued = [False]

    def sync() -> None:
        queued[0] = False
        grads = [p.grad for p in params if p.grad is not None]
        if grads:
            all_reduce_sum_(grads)
            torch._foreach_div_(grads, float(world))

    def hook(_param: torch.Tensor) -> None:
        if not queued[0]:
            queued[0] = True
            torch.autograd.Variable._execution_engine.queue_callback(sync)

    return [p.register_post_accumulate_grad_hook(hook) for p in params]


def sync_for_inference(model: Any) -> None:
    """Gives every process rank 0's weights before a first `evaluate`/`predict` (once per model)."""
    if not model.__dict__.get("_dist_synced"):
        broadcast_module_states(model)
        model.__dict__["_dist_synced"] = True


# -- FSDP ------------------------------------------------------------------------------------------
def _units(model: torch.nn.Module, layout_map: Any, shard_layers: Any) -> list[torch.nn.Module]:
    """The submodules that become FSDP units (each gathers its parameters only while it runs)."""
    if shard_layers is not None:
        if isinstance(shard_layers, (type, tuple)):
            pick = lambda m: isinstance(m, shard_layers)  # noqa: E731
        elif callable(shard_layers):
            pick = shard_layers
        else:
            raise ValueError(
                "`shard_layers` must be a layer class, a tuple of classes, or a callable "
                f"`layer -> bool`. Received: shard_layers={shard_layers!r}"
            )
        return [m for m in model.modules() if m is not model and pick(m)]
    if layout_map is not None:
        patterns = [re.compile(k) for k in layout_map.keys()]
        return [
            m
            for name, m in model.named_modules()
            if m is not model
            and any(
                p.search(f"{name}.{pname}" if name else pname)
                for pname, _ in m.named_parameters(recurse=False)
                for p in patterns
            )
        ]
    return [m for m in model.children() if any(True for _ in m.parameters())]


def prepare_fsdp(
    model: Any,
    device: torch.device,
    layout_map: Any,
    shard_layers: Any,
    options: dict[str, Any],
    use_fsdp1: bool = False,
) -> None:
    """Shards the model's parameters over the processes (once), keeping the optimizer's state."""
    d = model.__dict__
    if d.get("_fsdp_sharded"):
        return
    broadcast_module_states(model)  # every shard comes from the same initial weights
    before = dict(model.named_parameters())
    _, fully_shard = _fsdp2()
    if fully_shard is not None and not use_fsdp1:
        for unit in _units(model, layout_map, shard_layers):
            fully_shard(unit, **options)
        fully_shard(model, **options)
        after = dict(model.named_parameters())
        for name, new in after.items():
            old = before.get(name)
            for attr in ("regularizer", "constraint"):
                value = getattr(old, attr, None)
                if value is not None:
                    setattr(new, attr, value)
        _move_optimizer_state(model, before, after)
    else:
        from torch.distributed.fsdp import FullyShardedDataParallel

        binding = d.get("_binding")
        if binding is not None and binding.bound:
            raise ValueError(
                "FSDP1 must wrap the model before its optimizer is built; the optimizer was built "
                "already (by an earlier fit or a restored backup). Received: optimizer built=True"
            )
        d["_ddp_module"] = FullyShardedDataParallel(
            model,
            device_id=device if device.type == "cuda" else None,
            use_orig_params=True,
            **options,
        )
        _reset_compiled_train_step(model)
    from torchkeras_lite.layers import call_context

    call_context.bump_structure_version()  # cached weight lists now refer to the old tensors
    d["_fsdp_sharded"] = True
    d["_dist_synced"] = True


def _move_optimizer_state(model: Any, before: dict, after: dict) -> None:
    """Points an optimizer built before sharding at the sharded parameters, with sharded state."""
    binding = model.__dict__.get("_binding")
    optimizer = None if binding is None else binding.optimizer
    if optimizer is None or not getattr(binding, "bound", False):
        return
    from torch.distributed.tensor import distribute_tensor

    mapping = {id(before[name]): after[name] for name in before if name in after}
    for group in optimizer.param_groups:
        group["params"] = [mapping.get(id(p), p) for p in group["params"]]
    olds = {id(p): p for p in optimizer.state}
    for old_id, new in mapping.items():
        if old_id not in olds:
            continue
        state = optimizer.state.pop(olds[old_id])
        optimizer.state[new] = {
            k: distribute_tensor(v, new.device_mesh, new.placements)
            if isinstance(v, torch.Tensor) and v.shape == new.shape and v.ndim > 0
            else v
            for k, v in state.items()
        }
    binding._constrained = [mapping.get(id(p), p) for p in binding._constrained]


@contextlib.contextmanager
def original_classes(model: torch.nn.Module) -> Iterator[None]:
    """Inside the block, FSDP2's `FSDP<Layer>` classes are the layers' own again (for configs)."""
    swapped = []
    fsdp_loaded = "torch.distributed.fsdp" in sys.modules  # nothing is sharded before it is loaded
    FSDPModule = _fsdp2()[0] if fsdp_loaded else None  # noqa: N806
    if FSDPModule is not None:
        for module in model.modules():
            cls = type(module)
            if isinstance(module, FSDPModule) and FSDPModule in cls.__bases__:
                module.__class__ = next(b for b in cls.__bases__ if b is not FSDPModule)
                swapped.append((module, cls))
    try:
        yield
    finally:
        for module, cls in swapped:
            module.__class__ = cls
