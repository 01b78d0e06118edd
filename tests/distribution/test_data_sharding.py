"""Which samples each process takes (no process group needed)."""

import torch
from torch.utils.data import DistributedSampler, TensorDataset

from torchkeras_lite.distribution import Shard
from torchkeras_lite.trainers.data_adapters import get_data_adapter


def test_training_deals_like_distributed_sampler_with_wrap_around_padding():
    dataset = TensorDataset(torch.arange(10.0))
    for rank in range(3):
        sampler = DistributedSampler(dataset, num_replicas=3, rank=rank, shuffle=False)
        assert Shard(rank, 3, pad=True).positions(10).tolist() == list(sampler)
    assert Shard(2, 3, pad=True).positions(10).tolist() == [2, 5, 8, 1]


def test_evaluation_takes_contiguous_blocks_without_repeats():
    blocks = [Shard(r, 3, pad=False).positions(10).tolist() for r in range(3)]
    assert blocks == [[0, 1, 2, 3], [4, 5, 6], [7, 8, 9]]
    assert Shard(0, 3, pad=False).positions(2) is None  # fewer samples than processes: all


def test_array_adapter_shards_the_same_seeded_permutation():
    x = torch.arange(16.0).reshape(16, 1)
    parts = []
    for rank in range(2):
        adapter = get_data_adapter(x, x, None, 4, True, shard=Shard(rank, 2, True, seed=5))
        assert adapter.num_batches == 2
        parts.append(torch.cat([b[0] for b in adapter.get_iterator()]).flatten())
    perm = torch.randperm(16, generator=torch.Generator().manual_seed(5)).float()
    assert parts[0].tolist() == perm[0::2].tolist()
    assert parts[1].tolist() == perm[1::2].tolist()


def test_dataset_gets_a_sampler_and_reshuffles_each_epoch():
    dataset = TensorDataset(torch.arange(8.0))
    adapter = get_data_adapter(dataset, batch_size=2, shuffle=True, shard=Shard(1, 2, True, 3))
    epochs = [torch.cat([b[0] for b in adapter.get_iterator()]).tolist() for _ in range(2)]
    for epoch, seen in enumerate(epochs):
        sampler = DistributedSampler(dataset, num_replicas=2, rank=1, shuffle=True, seed=3)
        sampler.set_epoch(epoch)
        assert seen == [float(i) for i in sampler]
    assert epochs[0] != epochs[1] and adapter.num_batches == 2


def test_users_distributed_sampler_is_kept():
    dataset = TensorDataset(torch.arange(6.0))
    sampler = DistributedSampler(dataset, num_replicas=2, rank=0, shuffle=False)
    loader = torch.utils.data.DataLoader(dataset, batch_size=2, sampler=sampler)
    adapter = get_data_adapter(loader, shard=Shard(0, 2, True, 0))
    assert adapter.shard_layout == "strided" and adapter.num_samples == 6
    assert torch.cat([b[0] for b in adapter.get_iterator()]).tolist() == [0.0, 2.0, 4.0]
