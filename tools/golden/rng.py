"""Golden values for ember's random ops: PyTorch's CPU generator streams, bit for bit.
Writes tests/golden/rng.json. (Not named random.py: that would shadow the standard library's
`random`, which torch imports, for every script in this folder.)

Each case seeds the global generator (and an explicit torch.Generator) and runs a list of steps;
tests/core/test_random.cpp replays the same steps in ember and compares every output bit for
bit, so the cases also check that each op consumes exactly PyTorch's number of words. Outputs
of more than 64 elements are stored as their first and last 8 values plus an FNV-1a hash of
all their bytes, to keep the fixture small.
"""
import torch

from common import tensor_json, write_fixture

DTYPES = {
    "bool": torch.bool, "uint8": torch.uint8, "int8": torch.int8, "int16": torch.int16,
    "int32": torch.int32, "int64": torch.int64, "float16": torch.float16,
    "bfloat16": torch.bfloat16, "float32": torch.float32, "float64": torch.float64,
}
FULL_LIMIT = 64


def fnv1a64(data):
    h = 0xcbf29ce484222325
    for b in data:
        h ^= b
        h = (h * 0x100000001b3) & 0xFFFFFFFFFFFFFFFF
    return "%016x" % h


def out_json(t):
    t = t.detach().contiguous()
    if t.numel() <= FULL_LIMIT:
        return {"full": tensor_json(t)}
    flat = t.reshape(-1)
    raw = bytes(flat.view(torch.uint8).tolist()) if t.dtype != torch.bool else \
        bytes(flat.to(torch.uint8).tolist())
    return {"dtype": tensor_json(flat[:1])["dtype"], "shape": list(t.shape),
            "head": tensor_json(flat[:8]), "tail": tensor_json(flat[-8:]), "fnv1a": fnv1a64(raw)}


def make_out(size, dtype, layout):
    """An uninitialised tensor of logical shape `size` in the given memory layout."""
    dt = DTYPES[dtype]
    if layout == "contig":
        return torch.empty(size, dtype=dt)
    if layout == "t":  # 2-D, transposed: storage order is column-major
        return torch.empty(size[::-1], dtype=dt).t()
    if layout == "step":  # every other row of a taller tensor
        return torch.empty([size[0] * 2] + size[1:], dtype=dt)[::2]
    if layout == "permute":  # 3-D, storage dims ordered (1, 2, 0)
        return torch.empty([size[1], size[2], size[0]], dtype=dt).permute(2, 0, 1)
    raise ValueError(layout)


def run_step(step, gens):
    g = gens[step.get("gen", "global")]
    op = step["op"]
    dt = DTYPES.get(step.get("dtype", "float32"))
    if op == "rand":
        return torch.rand(step["size"], dtype=dt, generator=g)
    if op == "randn":
        return torch.randn(step["size"], dtype=dt, generator=g)
    if op == "randint":
        return torch.randint(step["low"], step["high"], step["size"], dtype=dt, generator=g)
    if op == "randperm":
        return torch.randperm(step["n"], dtype=dt, generator=g)
    if op == "normal":
        return torch.normal(step["mean"], step["std"], step["size"], dtype=dt, generator=g)
    if op == "bernoulli_p_tensor":
        return torch.bernoulli(step["p_tensor"], generator=g)
    if op == "bernoulli_x_p":
        return torch.bernoulli(torch.zeros(step["size"], dtype=dt), step["p"], generator=g)
    out = make_out(step["size"], step.get("dtype", "float32"), step.get("layout", "contig"))
    if op == "uniform_":
        return out.uniform_(step["from"], step["to"], generator=g)
    if op == "normal_":
        return out.normal_(step["mean"], step["std"], generator=g)
    if op == "bernoulli_":
        return out.bernoulli_(step["p"], generator=g)
    if op == "bernoulli_tensor_":
        return out.bernoulli_(step["p_tensor"], generator=g)
    if op == "random_":
        if "from" in step:
            return out.random_(step["from"], step["to"], generator=g)
        if "to" in step:
            return out.random_(step["to"], generator=g)
        return out.random_(generator=g)
    raise ValueError(op)


def run_case(name, seed, steps, gen_seed=None):
    torch.manual_seed(seed)
    gens = {"global": None}
    if gen_seed is not None:
        gens["g"] = torch.Generator().manual_seed(gen_seed)
    recorded = []
    for step in steps:
        out = run_step(step, gens)
        rec = {k: v for k, v in step.items() if k != "p_tensor"}
        if "p_tensor" in step:
            rec["p_tensor"] = tensor_json(step["p_tensor"])
            rec["p_layout"] = "t" if not step["p_tensor"].is_contiguous() else "contig"
        rec["out"] = out_json(out)
        recorded.append(rec)
    return {"name": name, "seed": seed, "gen_seed": gen_seed, "steps": recorded}


def probabilities(n, dtype, seed):
    g = torch.Generator().manual_seed(seed)
    p = torch.rand(n, generator=g, dtype=torch.float64)
    p[0], p[-1] = 0.0, 1.0  # the ends of the range are valid probabilities
    return p.to(DTYPES[dtype])


def main():
    cases = []
    float_types = ["float32", "float64", "float16", "bfloat16"]

    # rand for every floating dtype and several sizes, one stream per seed.
    for seed in (0, 1, 2**32 + 7):
        cases.append(run_case("rand_seed%d" % seed, seed, [
            {"op": "rand", "dtype": dt, "size": [n]} for dt in float_types for n in (1, 5, 17, 100)
        ]))

    # uniform_ with odd ranges, contiguous and strided outputs.
    ranges = [(-3.7, 11.25), (1e-3, 1.0001e-3), (-1e30, 1e30), (2.5, 2.5), (-7, -6.999),
              (123456.789, 987654.321)]
    steps = []
    for dt in ("float32", "float64"):
        for a, b in ranges:
            steps.append({"op": "uniform_", "dtype": dt, "size": [9], "from": a, "to": b})
    for dt in ("float16", "bfloat16"):
        steps.append({"op": "uniform_", "dtype": dt, "size": [20], "from": -3.5, "to": 7.25})
    steps.append({"op": "uniform_", "dtype": "float32", "size": [3, 5], "from": -2, "to": 3,
                  "layout": "t"})
    steps.append({"op": "uniform_", "dtype": "float64", "size": [3, 4], "from": 0, "to": 1,
                  "layout": "step"})
    steps.append({"op": "uniform_", "dtype": "float32", "size": [2, 3, 4], "from": 0, "to": 1,
                  "layout": "permute"})
    cases.append(run_case("uniform", 7, steps))

    # randint: ranges below and above 2^32, several dtypes, random_ variants.
    steps = []
    for dt in ("int64", "int32", "int16", "uint8", "int8", "float32", "float64", "bool",
               "float16", "bfloat16"):
        lo, hi = {"uint8": (3, 200), "int8": (-100, 100), "bool": (0, 2),
                  "float16": (-1000, 1000)}.get(dt, (-5, 1000))
        steps.append({"op": "randint", "dtype": dt, "low": lo, "high": hi, "size": [40]})
    steps.append({"op": "randint", "dtype": "int64", "low": 0, "high": 2**32, "size": [10]})
    steps.append({"op": "randint", "dtype": "int64", "low": -2**40, "high": 2**41, "size": [10]})
    steps.append({"op": "randint", "dtype": "float64", "low": 0, "high": 2**41, "size": [10]})
    steps.append({"op": "randint", "dtype": "int64", "low": -2**63, "high": 2**63 - 1, "size": [6]})
    steps.append({"op": "randint", "dtype": "int64", "low": 0, "high": 2**32 - 1, "size": [6]})
    steps.append({"op": "randint", "dtype": "int32", "low": -2**31, "high": 2**31 - 1,
                  "size": [6]})
    steps.append({"op": "random_", "dtype": "int64", "from": 10, "to": 20, "size": [4, 5],
                  "layout": "t"})
    steps.append({"op": "random_", "dtype": "float32", "from": 2**24 + 1, "to": 2**24 + 9,
                  "size": [8]})
    steps.append({"op": "random_", "dtype": "int16", "to": 300, "size": [8]})
    # Bounds the dtype cannot hold are moved inward (PyTorch's update_from / update_to).
    steps.append({"op": "random_", "dtype": "float32", "from": 2**25 + 1, "to": 2**25 + 15,
                  "size": [8]})
    steps.append({"op": "random_", "dtype": "bfloat16", "from": 513, "to": 1000, "size": [8]})
    # Ranges of 2^32 and more take two words for float32 and bfloat16 too.
    steps.append({"op": "randint", "dtype": "float32", "low": 0, "high": 2**40, "size": [6]})
    steps.append({"op": "randint", "dtype": "bfloat16", "low": -2**40, "high": 2**40,
                  "size": [6]})
    steps.append({"op": "random_", "dtype": "float64", "from": -2**62, "to": 3, "size": [6]})
    for dt in DTYPES:
        steps.append({"op": "random_", "dtype": dt, "size": [12]})
    cases.append(run_case("randint", 123, steps))

    # randperm, including the sizes where nothing is drawn.
    steps = [{"op": "randperm", "dtype": "int64", "n": n} for n in (0, 1, 10, 1000)]
    steps += [{"op": "randperm", "dtype": dt, "n": 50} for dt in ("int32", "float32", "float16",
                                                                  "bfloat16", "uint8")]
    cases.append(run_case("randperm_seed0", 0, steps))
    cases.append(run_case("randperm_seed5", 5, [{"op": "randperm", "dtype": "int64", "n": 1000}]))

    # randn: every path (Box-Muller with cache below 16, blocks from 16, the redrawn tail).
    for dt, seeds in (("float32", (0, 3)), ("float64", (0, 3)), ("float16", (0,)),
                      ("bfloat16", (0,))):
        for seed in seeds:
            cases.append(run_case("randn_%s_seed%d" % (dt, seed), seed, [
                {"op": "randn", "dtype": dt, "size": [n]}
                for n in (1, 3, 15, 16, 17, 32, 100, 2049)
            ]))
    cases.append(run_case("normal_strided", 11, [
        {"op": "normal_", "dtype": "float32", "size": [5, 7], "mean": 0, "std": 1, "layout": "t"},
        {"op": "normal_", "dtype": "float64", "size": [6, 4], "mean": -2, "std": 0.5,
         "layout": "t"},
        {"op": "normal_", "dtype": "float32", "size": [8, 3], "mean": 0, "std": 1,
         "layout": "step"},
        {"op": "normal_", "dtype": "float32", "size": [3, 4, 5], "mean": 0, "std": 1,
         "layout": "permute"},
        {"op": "randn", "dtype": "float32", "size": [3]},
    ]))
    # The cached second Box-Muller value: persists across calls, untouched by the block paths
    # and by rand, cleared by manual_seed (a new case).
    cases.append(run_case("normal_cache_twice", 0, [
        {"op": "randn", "dtype": "float32", "size": [1]},
        {"op": "randn", "dtype": "float32", "size": [1]},
        {"op": "randn", "dtype": "float32", "size": [1]},
    ]))
    cases.append(run_case("normal_cache_around_blocks", 0, [
        {"op": "randn", "dtype": "float32", "size": [1]},
        {"op": "randn", "dtype": "float32", "size": [16]},
        {"op": "randn", "dtype": "float32", "size": [1]},
        {"op": "randn", "dtype": "float64", "size": [1]},
        {"op": "rand", "dtype": "float32", "size": [2]},
        {"op": "randn", "dtype": "float64", "size": [1]},
        {"op": "randn", "dtype": "float64", "size": [20]},
        {"op": "randn", "dtype": "float32", "size": [2]},
    ]))
    cases.append(run_case("normal_mean_std", 4, [
        {"op": "normal_", "dtype": dt, "size": [n], "mean": 1.3, "std": 2.7}
        for dt in ("float32", "float64") for n in (5, 16, 37, 300)
    ] + [
        {"op": "normal", "dtype": "float32", "size": [2, 9], "mean": -4.0, "std": 0.25},
        {"op": "normal", "dtype": "float64", "size": [7], "mean": 10.0, "std": 3.0},
        {"op": "normal_", "dtype": "float32", "size": [20], "mean": 2.0, "std": 0.0},
    ] + [
        {"op": "normal_", "dtype": dt, "size": [n], "mean": 1.3, "std": 2.7}
        for dt in ("float16", "bfloat16") for n in (5, 16, 40)
    ] + [
        # Enough 16-bit values for the rounding details of the block path to show.
        {"op": "normal_", "dtype": dt, "size": [200000], "mean": 1.3, "std": 2.7}
        for dt in ("float16", "bfloat16")
    ]))

    # bernoulli: float p (53-bit draws) and probability tensors (float32: 24-bit, float64: 53).
    p32 = probabilities(30, "float32", 99)
    p64 = probabilities(30, "float64", 98)
    pbf = probabilities(12, "bfloat16", 97)
    p2d = probabilities(12, "float32", 96).reshape(4, 3).t()  # strided probabilities
    cases.append(run_case("bernoulli", 21, [
        {"op": "bernoulli_", "dtype": "float32", "size": [50], "p": 0.3},
        {"op": "bernoulli_", "dtype": "bool", "size": [50], "p": 0.3},
        {"op": "bernoulli_", "dtype": "int64", "size": [4, 6], "p": 0.75, "layout": "t"},
        {"op": "bernoulli_", "dtype": "float64", "size": [10], "p": 0.0},
        {"op": "bernoulli_", "dtype": "float64", "size": [10], "p": 1.0},
        {"op": "bernoulli_x_p", "dtype": "float32", "size": [17], "p": 0.5},
        {"op": "bernoulli_p_tensor", "p_tensor": p32},
        {"op": "bernoulli_p_tensor", "p_tensor": p64},
        {"op": "bernoulli_p_tensor", "p_tensor": pbf},
        {"op": "bernoulli_p_tensor", "p_tensor": p2d},
        {"op": "bernoulli_tensor_", "dtype": "bool", "size": [30], "p_tensor": p32},
        {"op": "bernoulli_tensor_", "dtype": "float32", "size": [2, 30], "p_tensor": p64},
    ]))

    # An explicit generator interleaved with the global one: the streams are independent.
    cases.append(run_case("explicit_generator", 0, [
        {"op": "rand", "dtype": "float32", "size": [4]},
        {"op": "rand", "dtype": "float32", "size": [4], "gen": "g"},
        {"op": "randn", "dtype": "float32", "size": [1], "gen": "g"},
        {"op": "randn", "dtype": "float32", "size": [1]},
        {"op": "randperm", "dtype": "int64", "n": 10, "gen": "g"},
        {"op": "randn", "dtype": "float32", "size": [1], "gen": "g"},
        {"op": "randn", "dtype": "float32", "size": [1]},
        {"op": "randint", "dtype": "int64", "low": 0, "high": 100, "size": [5], "gen": "g"},
    ], gen_seed=2024))

    # States: PyTorch's byte layout after some draws (with a cached normal value), and the
    # values that follow from it.
    torch.manual_seed(31)
    torch.rand(5)
    torch.randn(1)
    state = torch.get_rng_state()
    after_state = torch.randn(3)
    after_state2 = torch.rand(700)
    torch.manual_seed(2**40 + 5)
    fresh_state = torch.get_rng_state()

    torch.manual_seed(0)
    reference = {
        "rand4": tensor_json(torch.rand(4)),
    }
    torch.manual_seed(0)
    reference["randperm10"] = tensor_json(torch.randperm(10))
    torch.manual_seed(0)
    reference["randn16"] = tensor_json(torch.randn(16))

    write_fixture("rng", __file__, {
        "cases": cases,
        "state": {
            "after_rand5_randn1": bytes(state.tolist()).hex(),
            "next_randn3": tensor_json(after_state),
            "next_rand700": out_json(after_state2),
            "fresh_seed": 2**40 + 5,
            "fresh_fnv1a": fnv1a64(bytes(fresh_state.tolist())),
        },
        "default_generator_seed": torch.Generator().initial_seed(),
        "default_generator_rand5": tensor_json(torch.rand(5, generator=torch.Generator())),
        "manual_seed0": reference,
    })


if __name__ == "__main__":
    main()
