"""Sampler, DataLoader and random_split orders for fixed seeds: tests/golden/data_samplers.json.

Run with /usr/bin/python3 (Debian's python3-torch). Every order is what PyTorch yields, epoch
after epoch, plus the next torch.rand values so the tests can check how much of the
generator each epoch consumed.
"""
import torch
from torch.utils.data import (BatchSampler, DataLoader, RandomSampler, SubsetRandomSampler,
                              TensorDataset, WeightedRandomSampler, random_split)

from common import write_fixture


def loader_case(seed, n, batch_size, drop_last, use_generator, persistent=False):
    torch.manual_seed(seed)
    ds = TensorDataset(torch.arange(n), torch.arange(n))
    kwargs = {}
    if use_generator:
        kwargs["generator"] = torch.Generator().manual_seed(seed)
    if persistent:
        kwargs.update(num_workers=1, persistent_workers=True)
    loader = DataLoader(ds, batch_size=batch_size, shuffle=True, drop_last=drop_last, **kwargs)
    epochs = [[x.tolist() for x, _ in loader] for _ in range(2)]
    case = {"seed": seed, "n": n, "batch_size": batch_size, "drop_last": drop_last,
            "generator": use_generator, "persistent": persistent, "epochs": epochs,
            "global_after": torch.rand(2, dtype=torch.float64).tolist()}
    if use_generator:
        case["generator_after"] = torch.rand(
            2, dtype=torch.float64, generator=kwargs["generator"]).tolist()
    return case


def sampler_case(seed, make, use_generator):
    torch.manual_seed(seed)
    gen = torch.Generator().manual_seed(seed) if use_generator else None
    sampler = make(gen)
    return {"seed": seed, "generator": use_generator,
            "passes": [list(sampler), list(sampler)],
            "global_after": torch.rand(1, dtype=torch.float64).tolist()}


def main():
    loaders = []
    for seed in (0, 42):
        for use_generator in (False, True):
            loaders.append(loader_case(seed, 10, 4, False, use_generator))
            loaders.append(loader_case(seed, 7, 3, True, use_generator))
    loaders.append(loader_case(0, 10, 4, False, False, persistent=True))

    samplers = {}
    for seed in (0, 42):
        for g in (False, True):
            key = "_%d_%s" % (seed, "gen" if g else "global")
            samplers["random_replacement_40" + key] = sampler_case(
                seed, lambda gen: RandomSampler(range(10), True, 40, generator=gen), g)
            samplers["random_num_samples_7_of_3" + key] = sampler_case(
                seed, lambda gen: RandomSampler(range(3), False, 7, generator=gen), g)
            samplers["subset_random" + key] = sampler_case(
                seed, lambda gen: SubsetRandomSampler([10, 20, 30, 40, 50], generator=gen), g)
            weights = [0.1, 2.0, 0.0, 1.0, 0.5, 3.0]
            samplers["weighted_replacement" + key] = sampler_case(
                seed, lambda gen: WeightedRandomSampler(weights, 9, True, generator=gen), g)
            samplers["weighted_no_replacement" + key] = sampler_case(
                seed, lambda gen: WeightedRandomSampler(weights, 4, False, generator=gen), g)
            samplers["weighted_one" + key] = sampler_case(
                seed, lambda gen: WeightedRandomSampler(weights, 1, True, generator=gen), g)

    splits = []
    for seed, lengths in ((0, [5, 3, 2]), (42, [7, 3]), (0, [0.33, 0.33, 0.34]),
                          (42, [0.25, 0.25, 0.25, 0.25])):
        for g in (False, True):
            torch.manual_seed(seed)
            gen = torch.Generator().manual_seed(seed) if g else torch.default_generator
            parts = random_split(range(10), lengths, generator=gen)
            splits.append({"seed": seed, "generator": g, "lengths": lengths,
                           "splits": [list(p.indices) for p in parts]})

    write_fixture("data_samplers", __file__,
                  {"loaders": loaders, "samplers": samplers, "splits": splits})


if __name__ == "__main__":
    main()
