"""Training on several processes and devices with torch.distributed (Keras 3's distribution API).

Under `torchrun --nproc_per_node=N train.py`, an unchanged Keras script trains data-parallel:
`fit`, `evaluate` and `predict` start the process group from torchrun's environment (gloo on the
CPU, NCCL on CUDA, one GPU per local rank), wrap the model in DDP for the training step, give
each process its part of the data (`batch_size` is per process), sum the metrics over the
processes once per epoch, gather `predict`'s outputs in order, and let only rank 0 print and
write files. `set_distribution(DataParallel())` says the same explicitly;
`set_distribution(ModelParallel())` shards the weights with FSDP.
"""

from torchkeras_lite.distribution.chief_io import decide_on_chief, run_on_chief
from torchkeras_lite.distribution.collectives import sync_metrics
from torchkeras_lite.distribution.data_sharding import Shard
from torchkeras_lite.distribution.distribution_lib import (
    DataParallel,
    Distribution,
    ModelParallel,
    active,
    distribution,
    set_distribution,
)
from torchkeras_lite.distribution.mesh import DeviceMesh, LayoutMap, list_devices
from torchkeras_lite.distribution.process_group import (
    DistributedError,
    barrier,
    initialize,
    is_chief,
    is_distributed,
    local_rank,
    rank,
    world_size,
)
from torchkeras_lite.distribution.sharded_checkpoint import (
    load_sharded_weights,
    save_sharded_weights,
)

__all__ = [
    "DataParallel",
    "DeviceMesh",
    "DistributedError",
    "Distribution",
    "LayoutMap",
    "ModelParallel",
    "Shard",
    "active",
    "barrier",
    "decide_on_chief",
    "distribution",
    "initialize",
    "is_chief",
    "is_distributed",
    "list_devices",
    "load_sharded_weights",
    "local_rank",
    "rank",
    "run_on_chief",
    "save_sharded_weights",
    "set_distribution",
    "sync_metrics",
    "world_size",
]
