"""Golden trajectories of torch.optim.Adagrad, RMSprop, Rprop and Adadelta
(tests/optim/test_{adagrad,rmsprop,rprop,adadelta}.cpp) over the harness of optim_common.py:
10 steps per case, a float64 case, a case with two parameter groups, and the state PyTorch
keeps after the "all" case (key names, order and values).

To keep the fixture small, a step is stored as [w values, b values] (flat, row-major; the
shapes and dtype are the problem's; the tests rebuild the tensors), float32 values in
tensor_json()'s shortest exact form, float64 values rounded to 10 significant digits (far
below the tests' tolerance, rtol 1e-6)."""
import torch

from common import tensor_json, write_fixture
from optim_common import problem_json, trajectory

OPTIMIZERS = {
    "adagrad": (torch.optim.Adagrad, [
        ("default", dict()),
        ("lr_decay", dict(lr=0.1, lr_decay=0.5)),
        ("initial_accumulator_eps", dict(lr=0.1, initial_accumulator_value=0.1, eps=0.1)),
        ("maximize", dict(lr=0.05, maximize=True)),
        ("all", dict(lr=0.1, lr_decay=0.2, weight_decay=0.05, initial_accumulator_value=0.5,
                     eps=1e-3, maximize=True)),
    ]),
    "rmsprop": (torch.optim.RMSprop, [
        ("default", dict()),
        ("alpha_eps", dict(lr=0.01, alpha=0.9, eps=1e-3)),
        ("centered", dict(lr=0.01, centered=True)),
        ("momentum", dict(lr=0.01, momentum=0.9)),
        ("maximize", dict(lr=0.01, maximize=True)),
        ("all", dict(lr=0.01, alpha=0.95, eps=1e-4, weight_decay=0.05, momentum=0.5,
                     centered=True, maximize=True)),
    ]),
    "rprop": (torch.optim.Rprop, [
        ("default", dict()),
        ("etas_step_sizes", dict(lr=0.05, etas=(0.3, 1.5), step_sizes=(0.01, 0.12))),
        ("all", dict(lr=0.02, etas=(0.4, 1.3), step_sizes=(1e-3, 0.05), maximize=True)),
    ]),
    "adadelta": (torch.optim.Adadelta, [
        ("default", dict()),
        ("rho_eps", dict(lr=1.0, rho=0.5, eps=1e-4)),
        ("maximize", dict(lr=1.0, maximize=True)),
        ("all", dict(lr=2.0, rho=0.8, eps=1e-5, weight_decay=0.05, maximize=True)),
    ]),
}

# Two groups: w with the defaults, b with its own options.
GROUPS = {
    "adagrad": (dict(lr=0.1, lr_decay=0.1), dict(lr=0.3, lr_decay=0.0, eps=1e-3)),
    "rmsprop": (dict(lr=0.01, momentum=0.9), dict(lr=0.03, momentum=0.5, centered=True)),
    "rprop": (dict(lr=0.01), dict(lr=0.05, etas=(0.3, 1.5))),
    "adadelta": (dict(lr=1.0), dict(lr=0.5, rho=0.5, weight_decay=0.1)),
}

FLOAT64 = {
    "adagrad": dict(lr=0.1, lr_decay=0.1, weight_decay=0.01, initial_accumulator_value=0.1),
    "rmsprop": dict(lr=0.01, momentum=0.9, centered=True, weight_decay=0.01),
    "rprop": dict(lr=0.02, etas=(0.4, 1.3), step_sizes=(1e-3, 0.05)),
    "adadelta": dict(lr=1.0, rho=0.8, weight_decay=0.01),
}


def values_of(t):
    """A tensor's flat values (a tensor or its tensor_json()), written as described above."""
    j = t if isinstance(t, dict) else tensor_json(t)
    if j["dtype"] == "float64":
        return [float("%.10g" % v) for v in j["data"]]
    return j["data"]


def steps_of(make, dtype=torch.float32):
    """trajectory() with each step stored as [w values, b values], and the optimizer."""
    holder = {}

    def keep(p):
        holder["opt"] = make(p)
        return holder["opt"]

    steps = trajectory(keep, dtype=dtype)
    return [[values_of(t) for t in step] for step in steps], holder["opt"]


def state_of_b(opt):
    """The state of parameter b (the second), in PyTorch's key order: [name, values or number]."""
    state = opt.state[opt.param_groups[-1]["params"][-1]]
    return [[k, values_of(v) if torch.is_tensor(v) and v.dim() > 0 else float(v)]
            for k, v in state.items()]


payload = {"problem": problem_json(), "problem_float64": problem_json(torch.float64)}
for name, (cls, cases) in OPTIMIZERS.items():
    entry = {"cases": []}
    for case, kw in cases:
        steps, opt = steps_of(lambda p, kw=kw: cls(p, **kw))
        entry["cases"].append({"name": case, "kwargs": kw, "steps": steps})
    # The state after the last case ("all"), which sets every flag.
    entry["final_state"] = state_of_b(opt)
    defaults, own = GROUPS[name]
    entry["groups"] = {"name": "groups", "defaults": defaults, "group1": own,
                       "steps": steps_of(lambda p: cls(
                           [{"params": [p[0]]}, dict(own, params=[p[1]])], **defaults))[0]}
    entry["float64"] = {"name": "float64", "kwargs": FLOAT64[name],
                        "steps": steps_of(lambda p: cls(p, **FLOAT64[name]),
                                          dtype=torch.float64)[0]}
    payload[name] = entry

# Adagrad fills "sum" with the constructor's initial_accumulator_value for every group, even a
# group that sets its own (1.13 reads the argument, not the group's option).
payload["adagrad"]["group_initial_accumulator"] = {
    "name": "group_initial_accumulator",
    "steps": steps_of(lambda p: torch.optim.Adagrad(
        [{"params": [p[0]]}, {"params": [p[1]], "initial_accumulator_value": 2.0}],
        lr=0.1, initial_accumulator_value=0.2))[0],
}

# Rprop's rule on one coordinate per case, with gradients set by hand: the same sign grows the
# step (up to the maximum), a flip shrinks it and moves nothing, a zero gradient keeps it.
p = torch.zeros(3, requires_grad=True)
opt = torch.optim.Rprop([p], lr=0.1, etas=(0.5, 2.0), step_sizes=(0.01, 0.3))
rule = {"grads": [[1.0, 1.0, 1.0], [1.0, -1.0, 0.0], [1.0, -1.0, 1.0]], "steps": []}
for g in rule["grads"]:
    p.grad = torch.tensor(g)
    opt.step()
    state = opt.state[p]
    rule["steps"].append({"p": values_of(p), "step_size": values_of(state["step_size"]),
                          "prev": values_of(state["prev"])})
payload["rprop"]["rule"] = rule

write_fixture("optim_adagrad", __file__, payload)
