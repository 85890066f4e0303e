"""Golden trajectories of torch.optim.SGD (tests/optim/test_sgd.cpp) and of the Optimizer base
(param groups), over the harness of optim_common.py: 10 steps each."""
import torch

from common import write_fixture
from optim_common import problem_json, trajectory

CASES = [
    ("plain", dict(lr=0.1)),
    ("momentum", dict(lr=0.1, momentum=0.9)),
    ("dampening", dict(lr=0.1, momentum=0.9, dampening=0.5)),
    ("nesterov", dict(lr=0.05, momentum=0.9, nesterov=True)),
    ("weight_decay", dict(lr=0.1, momentum=0.9, weight_decay=0.01)),
    ("maximize", dict(lr=0.01, maximize=True)),
    ("all", dict(lr=0.05, momentum=0.8, weight_decay=0.1, nesterov=True, maximize=True)),
]

cases = [{"name": n, "kwargs": kw, "steps": trajectory(lambda p, kw=kw: torch.optim.SGD(p, **kw))}
         for n, kw in CASES]
# Two groups: w with the defaults, b with its own lr and momentum.
groups = trajectory(lambda p: torch.optim.SGD(
    [{"params": [p[0]]}, {"params": [p[1]], "lr": 0.3, "momentum": 0.5}], lr=0.1, momentum=0.9))
float64 = trajectory(lambda p: torch.optim.SGD(p, lr=0.1, momentum=0.9, nesterov=True),
                     dtype=torch.float64)

write_fixture("optim_sgd", __file__, {
    "problem": problem_json(),
    "problem_float64": problem_json(torch.float64),
    "cases": cases,
    "groups": {"name": "groups", "steps": groups},
    "float64": {"name": "float64", "steps": float64},
})
