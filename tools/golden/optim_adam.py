"""Golden trajectories of torch.optim.Adam, AdamW, Adamax, NAdam and RAdam
(tests/optim/test_adam.cpp, test_adamax.cpp, test_nadam.cpp, test_radam.cpp) over the harness of
optim_common.py: 10 steps per option set (every flag, alone and together), a shorter float64
run, a run with two parameter groups, and the state PyTorch keeps after the "all" case.

A step is stored as [w values, b values] (flat, row-major; the shapes and dtype are the
problem's), the layout tests/optim/compact_trajectory.h reads. float32 values are written with
the fewest digits that read back to the same float32, float64 ones in full: the values are
PyTorch's exactly (checked below).
"""
import numpy as np
import torch

from common import tensor_json, write_fixture
from optim_common import problem_json, trajectory

# name -> (class, option sets); the last set is "all".
OPTIMIZERS = {
    "Adam": (torch.optim.Adam, [
        ("plain", dict(lr=0.05)),
        ("betas_eps", dict(lr=0.1, betas=(0.5, 0.9), eps=1e-3)),
        ("weight_decay", dict(lr=0.05, weight_decay=0.1)),
        ("amsgrad", dict(lr=0.05, betas=(0.9, 0.5), amsgrad=True)),
        ("maximize", dict(lr=0.01, maximize=True)),
        ("all", dict(lr=0.05, betas=(0.8, 0.6), eps=1e-4, weight_decay=0.1, amsgrad=True,
                     maximize=True)),
    ]),
    "AdamW": (torch.optim.AdamW, [
        ("default_weight_decay", dict(lr=0.05)),
        ("amsgrad", dict(lr=0.05, betas=(0.9, 0.5), weight_decay=0.1, amsgrad=True)),
        ("all", dict(lr=0.05, betas=(0.8, 0.6), eps=1e-4, weight_decay=0.2, amsgrad=True,
                     maximize=True)),
    ]),
    "Adamax": (torch.optim.Adamax, [
        ("plain", dict(lr=0.05)),
        ("all", dict(lr=0.05, betas=(0.5, 0.8), eps=1e-2, weight_decay=0.1, maximize=True)),
    ]),
    "NAdam": (torch.optim.NAdam, [
        ("plain", dict(lr=0.05)),
        ("all", dict(lr=0.05, betas=(0.8, 0.9), eps=1e-3, weight_decay=0.1,
                     momentum_decay=0.1)),
    ]),
    # rho_t exceeds 5 from t = 6 with these betas: plain momentum steps first, then rectified.
    "RAdam": (torch.optim.RAdam, [
        ("plain", dict(lr=0.05)),
        ("all", dict(lr=0.05, betas=(0.8, 0.9), eps=1e-3, weight_decay=0.1)),
    ]),
}

# The float64 run of each (5 steps; RAdam 7, past its first rectified step): the option set
# that exercises the most.
FLOAT64_STEPS = {"RAdam": 7}
FLOAT64 = {
    "Adam": dict(lr=0.05, betas=(0.8, 0.6), weight_decay=0.1, amsgrad=True),
    "AdamW": dict(lr=0.05, weight_decay=0.1, maximize=True),
    "Adamax": dict(lr=0.05, weight_decay=0.1),
    "NAdam": dict(lr=0.05, weight_decay=0.1),  # mu_product stays a float32 tensor
    "RAdam": dict(lr=0.05, betas=(0.9, 0.9)),
}

# Two groups: w with the defaults (lr 0.05), b with its own lr and betas.
GROUP_DEFAULTS = dict(lr=0.05)
GROUP1 = dict(lr=0.2, betas=(0.5, 0.999))


def exact(j):
    """A tensor_json object's flat values; float32 ones as the shortest decimals that read back
    to them."""
    if j["dtype"] != "float32":
        return j["data"]
    out = []
    for v in j["data"]:
        y = float(repr(np.float32(v)))
        assert np.float32(y) == np.float32(v), v
        out.append(y)
    return out


def steps_of(make, steps=10, dtype=torch.float32):
    """trajectory() with each step stored as [w values, b values], and the optimizer."""
    holder = {}

    def keep(p):
        holder["opt"] = make(p)
        return holder["opt"]

    values = [[exact(t) for t in step] for step in trajectory(keep, steps, dtype)]
    return values, holder["opt"]


def state_of_b(opt):
    """The state of parameter b (the second), in PyTorch's key order: [name, values or number]
    (0-dim tensors, step and NAdam's mu_product, as numbers)."""
    state = opt.state[opt.param_groups[-1]["params"][-1]]
    return [[k, exact(tensor_json(v)) if v.dim() > 0 else float(v)] for k, v in state.items()]


payload = {"problem": problem_json(), "problem_float64": problem_json(torch.float64)}
for name, (cls, cases) in OPTIMIZERS.items():
    entry = {"cases": []}
    for case, kw in cases:
        steps, opt = steps_of(lambda p, kw=kw: cls(p, **kw))
        entry["cases"].append({"name": f"{name} {case}", "kwargs": kw, "steps": steps})
    entry["final_state"] = state_of_b(opt)
    entry["groups"] = {"name": f"{name} groups",
                       "steps": steps_of(lambda p: cls([{"params": [p[0]]},
                                                        dict(GROUP1, params=[p[1]])],
                                                       **GROUP_DEFAULTS))[0]}
    entry["float64"] = {"name": f"{name} float64", "kwargs": FLOAT64[name],
                        "steps": steps_of(lambda p: cls(p, **FLOAT64[name]),
                                          steps=FLOAT64_STEPS.get(name, 5),
                                          dtype=torch.float64)[0]}
    payload[name] = entry

write_fixture("optim_adam", __file__, payload)
