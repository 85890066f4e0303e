"""Golden learning-rate schedules of torch.optim.lr_scheduler for tests/optim/test_lr_scheduler.cpp.

Each case builds an optimizer over one-element dummy parameters (SGD unless stated; one entry of
"groups" per param group), then its schedulers (nested specs for SequentialLR and
ChainedScheduler, built children first), and runs "actions": null is optimizer.step() followed
by step() on every top-level scheduler, a number is step(number) (deprecated closed form, or
CosineAnnealingWarmRestarts' fractional epoch). Recorded per group: the lr after construction and
after every action, and momentum / beta1 where a scheduler cycles it. ReduceLROnPlateau cases
step with "metrics". Also recorded: the warning texts and the errors for bad arguments.
"""
import warnings

import torch
from torch.optim import lr_scheduler as S

from common import write_fixture

# Callables are named in the fixture; tests/optim/test_lr_scheduler.cpp defines the same ones.
LAMBDAS = {
    "pow0.95": lambda e: 0.95 ** e,
    "inv": lambda e: 1.0 / (e + 1),
    "const0.9": lambda e: 0.9,
    "every3": lambda e: 0.5 if e % 3 == 0 else 1.0,
}
SCALE_FNS = {"harmonic": lambda x: 1.0 / (1.0 + 0.1 * x)}


def make_optimizer(spec):
    groups = [dict(g, params=[torch.zeros(1, requires_grad=True)]) for g in spec["groups"]]
    kind = spec.get("optimizer", "SGD")
    if kind == "SGD":
        return torch.optim.SGD(groups, lr=0.1, momentum=0.9)
    if kind == "Adam":
        return torch.optim.Adam(groups, lr=0.1)
    raise ValueError(kind)


def make_scheduler(opt, spec):
    kind = spec["type"]
    args = dict(spec.get("args", {}))
    if kind in ("SequentialLR", "ChainedScheduler"):
        children = [make_scheduler(opt, child) for child in spec["schedulers"]]
        if kind == "ChainedScheduler":
            return S.ChainedScheduler(children)
        return S.SequentialLR(opt, children, milestones=spec["milestones"], **args)
    if "lr_lambda" in args:
        names = args["lr_lambda"]
        args["lr_lambda"] = [LAMBDAS[n] for n in names] if isinstance(names, list) else LAMBDAS[names]
    if "scale_fn" in args:
        args["scale_fn"] = SCALE_FNS[args["scale_fn"]]
    return getattr(S, kind)(opt, **args)


def record(opt, out):
    for i, g in enumerate(opt.param_groups):
        out["lr"][i].append(g["lr"])
        if "momentum" in out:
            out["momentum"][i].append(g["momentum"] if "momentum" in g else g["betas"][0])


def run(case):
    opt = make_optimizer(case)
    n = len(opt.param_groups)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # SequentialLR's internal step(0) warns (a known defect)
        scheds = [make_scheduler(opt, s) for s in case["schedulers"]]
        out = {"lr": [[] for _ in range(n)]}
        if case.get("track_momentum"):
            out["momentum"] = [[] for _ in range(n)]
        record(opt, out)
        if "metrics" in case:
            for m in case["metrics"]:
                opt.step()
                for s in scheds:
                    s.step(m)
                record(opt, out)
        else:
            for a in case["actions"]:
                opt.step()
                for s in scheds:
                    s.step() if a is None else s.step(a)
                record(opt, out)
    # get_last_lr() of the last scheduler stepped agrees with the groups.
    assert scheds[-1]._last_lr == [g["lr"] for g in opt.param_groups], case["name"]
    case = dict(case)
    case.update(out)
    return case


def steps(n):
    return [None] * n


def sgd(*lrs):
    return [{"lr": lr} for lr in lrs]


def sched(kind, **args):
    return {"type": kind, "args": args}


CASES = [
    # name, groups, schedulers (top level, stepped in order), actions or metrics
    dict(name="StepLR", groups=sgd(0.1), schedulers=[sched("StepLR", step_size=3, gamma=0.5)], actions=steps(30)),
    dict(name="StepLR_default_gamma_2groups", groups=sgd(0.1, 0.02), schedulers=[sched("StepLR", step_size=7)], actions=steps(30)),
    dict(name="MultiStepLR_repeated", groups=sgd(0.1, 0.5), schedulers=[sched("MultiStepLR", milestones=[5, 12, 12, 20], gamma=0.5)], actions=steps(30)),
    dict(name="MultiStepLR_default", groups=sgd(0.1), schedulers=[sched("MultiStepLR", milestones=[10, 25])], actions=steps(30)),
    dict(name="LambdaLR", groups=sgd(0.01), schedulers=[sched("LambdaLR", lr_lambda="pow0.95")], actions=steps(30)),
    dict(name="LambdaLR_per_group", groups=sgd(0.1, 0.05), schedulers=[sched("LambdaLR", lr_lambda=["pow0.95", "inv"])], actions=steps(30)),
    dict(name="MultiplicativeLR", groups=sgd(0.1), schedulers=[sched("MultiplicativeLR", lr_lambda="const0.9")], actions=steps(30)),
    dict(name="MultiplicativeLR_per_group", groups=sgd(0.1, 0.2), schedulers=[sched("MultiplicativeLR", lr_lambda=["every3", "const0.9"])], actions=steps(30)),
    dict(name="ExponentialLR", groups=sgd(0.1, 1.0), schedulers=[sched("ExponentialLR", gamma=0.9)], actions=steps(30)),
    dict(name="LinearLR_default", groups=sgd(0.1), schedulers=[sched("LinearLR")], actions=steps(30)),
    dict(name="LinearLR", groups=sgd(0.1, 0.3), schedulers=[sched("LinearLR", start_factor=0.25, end_factor=0.75, total_iters=10)], actions=steps(30)),
    dict(name="ConstantLR_default", groups=sgd(0.1), schedulers=[sched("ConstantLR")], actions=steps(30)),
    dict(name="ConstantLR", groups=sgd(0.1, 0.2), schedulers=[sched("ConstantLR", factor=0.5, total_iters=8)], actions=steps(30)),
    dict(name="PolynomialLR", groups=sgd(0.1), schedulers=[sched("PolynomialLR", total_iters=20, power=2.0)], actions=steps(30)),
    dict(name="PolynomialLR_default", groups=sgd(0.1), schedulers=[sched("PolynomialLR")], actions=steps(30)),
    dict(name="CosineAnnealingLR", groups=sgd(0.1), schedulers=[sched("CosineAnnealingLR", T_max=10)], actions=steps(35)),
    dict(name="CosineAnnealingLR_eta_min", groups=sgd(0.1, 0.05), schedulers=[sched("CosineAnnealingLR", T_max=7, eta_min=0.001)], actions=steps(30)),
    dict(name="CosineAnnealingWarmRestarts", groups=sgd(0.1), schedulers=[sched("CosineAnnealingWarmRestarts", T_0=5)], actions=steps(30)),
    dict(name="CosineAnnealingWarmRestarts_T_mult", groups=sgd(0.1, 0.2), schedulers=[sched("CosineAnnealingWarmRestarts", T_0=3, T_mult=2, eta_min=0.01)], actions=steps(40)),
    # step(epoch + i / iters) inside each epoch, then an interleaved jump and plain steps.
    dict(name="CosineAnnealingWarmRestarts_fractional", groups=sgd(0.1), schedulers=[sched("CosineAnnealingWarmRestarts", T_0=2, T_mult=2, eta_min=0.001)],
         actions=[e + i / 4 for e in range(8) for i in range(4)] + [26, None, None, 3.5, None]),
    dict(name="CyclicLR_triangular", groups=sgd(0.1, 0.1), track_momentum=True,
         schedulers=[sched("CyclicLR", base_lr=[0.01, 0.02], max_lr=0.1, step_size_up=4)], actions=steps(30)),
    dict(name="CyclicLR_triangular2", groups=sgd(0.1), schedulers=[sched("CyclicLR", base_lr=0.001, max_lr=0.01, step_size_up=3, step_size_down=5, mode="triangular2", cycle_momentum=False)], actions=steps(35)),
    dict(name="CyclicLR_exp_range", groups=sgd(0.1), track_momentum=True,
         schedulers=[sched("CyclicLR", base_lr=0.01, max_lr=0.1, step_size_up=5, mode="exp_range", gamma=0.9, base_momentum=0.7, max_momentum=[0.95])], actions=steps(30)),
    dict(name="CyclicLR_scale_fn_cycle", groups=sgd(0.1), track_momentum=True,
         schedulers=[sched("CyclicLR", base_lr=0.01, max_lr=0.1, step_size_up=2, step_size_down=3, scale_fn="harmonic")], actions=steps(30)),
    dict(name="CyclicLR_scale_fn_iterations", groups=sgd(0.1), schedulers=[sched("CyclicLR", base_lr=0.01, max_lr=0.1, step_size_up=3, scale_fn="harmonic", scale_mode="iterations", cycle_momentum=False)], actions=steps(30)),
    dict(name="OneCycleLR", groups=sgd(0.1), track_momentum=True, schedulers=[sched("OneCycleLR", max_lr=1.0, total_steps=30)], actions=steps(30)),
    dict(name="OneCycleLR_linear_three_phase", groups=sgd(0.1, 0.1), track_momentum=True,
         schedulers=[sched("OneCycleLR", max_lr=[1.0, 0.5], epochs=5, steps_per_epoch=6, anneal_strategy="linear", three_phase=True, base_momentum=[0.8, 0.85], max_momentum=0.9)], actions=steps(30)),
    dict(name="OneCycleLR_no_momentum", groups=sgd(0.1), schedulers=[sched("OneCycleLR", max_lr=0.5, total_steps=31, pct_start=0.5, div_factor=10.0, final_div_factor=100.0, cycle_momentum=False)], actions=steps(31)),
    dict(name="OneCycleLR_cos_three_phase", groups=sgd(0.1), track_momentum=True, schedulers=[sched("OneCycleLR", max_lr=0.2, total_steps=32, three_phase=True, pct_start=0.25)], actions=steps(32)),
    dict(name="OneCycleLR_Adam_betas", optimizer="Adam", groups=sgd(0.1), track_momentum=True, schedulers=[sched("OneCycleLR", max_lr=0.01, total_steps=30)], actions=steps(30)),
    # Deprecated step(epoch): the closed form.
    dict(name="StepLR_step_epoch", groups=sgd(0.1), schedulers=[sched("StepLR", step_size=3, gamma=0.5)], actions=[None, 7, None, None, 2, None]),
    dict(name="MultiStepLR_step_epoch", groups=sgd(0.1), schedulers=[sched("MultiStepLR", milestones=[2, 2, 5])], actions=[None, 6, None, 1, None]),
    dict(name="CosineAnnealingLR_step_epoch", groups=sgd(0.1), schedulers=[sched("CosineAnnealingLR", T_max=6, eta_min=0.01)], actions=[None, 4, None, None, 13, None]),
    dict(name="LinearLR_step_epoch", groups=sgd(0.1), schedulers=[sched("LinearLR", start_factor=0.5, total_iters=4)], actions=[3, None, 7, None]),
    dict(name="LambdaLR_step_epoch", groups=sgd(0.1), schedulers=[sched("LambdaLR", lr_lambda="inv")], actions=[None, 9, None]),
    # Resuming with last_epoch: the groups carry initial_lr.
    dict(name="StepLR_last_epoch", groups=[{"lr": 0.05, "initial_lr": 0.1}], schedulers=[sched("StepLR", step_size=3, gamma=0.5, last_epoch=2)], actions=steps(30)),
    dict(name="CosineAnnealingLR_last_epoch", groups=[{"lr": 0.05, "initial_lr": 0.1}], schedulers=[sched("CosineAnnealingLR", T_max=4, last_epoch=1)], actions=steps(30)),
    # Several schedulers on one optimizer.
    dict(name="two_schedulers", groups=sgd(1.0), schedulers=[sched("ExponentialLR", gamma=0.9), sched("StepLR", step_size=2, gamma=0.1)], actions=steps(30)),
    dict(name="ChainedScheduler", groups=sgd(1.0, 0.5),
         schedulers=[{"type": "ChainedScheduler", "schedulers": [sched("ConstantLR", factor=0.1, total_iters=2), sched("ExponentialLR", gamma=0.9)]}], actions=steps(30)),
    dict(name="SequentialLR", groups=sgd(1.0), schedulers=[{"type": "SequentialLR", "milestones": [2],
         "schedulers": [sched("ConstantLR", factor=0.1, total_iters=2), sched("ExponentialLR", gamma=0.9)]}], actions=steps(30)),
    dict(name="SequentialLR_warmup_cosine", groups=sgd(0.1, 0.01), schedulers=[{"type": "SequentialLR", "milestones": [5],
         "schedulers": [sched("LinearLR", start_factor=0.1, total_iters=5), sched("CosineAnnealingLR", T_max=20)]}], actions=steps(30)),
    dict(name="SequentialLR_three", groups=sgd(0.1), schedulers=[{"type": "SequentialLR", "milestones": [4, 12],
         "schedulers": [sched("LinearLR", start_factor=0.5, total_iters=4), sched("ExponentialLR", gamma=0.9), sched("StepLR", step_size=3, gamma=0.5)]}], actions=steps(30)),
    dict(name="SequentialLR_warm_restarts", groups=sgd(0.1), schedulers=[{"type": "SequentialLR", "milestones": [3],
         "schedulers": [sched("ConstantLR", factor=0.5, total_iters=3), sched("CosineAnnealingWarmRestarts", T_0=4)]}], actions=steps(30)),
    # ReduceLROnPlateau with fixed metric sequences.
    dict(name="Plateau_patience", groups=sgd(0.1), schedulers=[sched("ReduceLROnPlateau", patience=2)],
         metrics=[1.0, 0.9, 0.9, 0.9, 0.9, 0.95, 0.5, 0.5, 0.5, 0.5] * 3),
    dict(name="Plateau_cooldown_min_lr", groups=sgd(0.1), schedulers=[sched("ReduceLROnPlateau", patience=0, cooldown=1, min_lr=0.002)], metrics=[1.0] * 30),
    dict(name="Plateau_max_abs", groups=sgd(0.1), schedulers=[sched("ReduceLROnPlateau", mode="max", threshold=0.1, threshold_mode="abs", patience=1)],
         metrics=[1.0, 1.05, 1.2, 1.25, 1.3, 1.31, 1.5, 1.55, 1.56, 1.57] * 3),
    dict(name="Plateau_per_group_min_lr", groups=sgd(0.1, 0.02), schedulers=[sched("ReduceLROnPlateau", factor=0.5, patience=1, min_lr=[0.01, 0.001], threshold=0.05)],
         metrics=[5.0 - 0.1 * i if i % 4 else 5.0 for i in range(30)]),
    dict(name="Plateau_max_rel_eps", groups=sgd(1e-7), schedulers=[sched("ReduceLROnPlateau", mode="max", factor=0.5, patience=0, eps=1e-8, cooldown=2)],
         metrics=[0.1 * (i % 5) for i in range(30)]),
]


def error_of(fn):
    try:
        fn()
    except (ValueError, KeyError) as e:
        return e.args[0]
    raise AssertionError("no error")


def errors():
    def opt(n=1, kind="SGD", **kw):
        params = [{"params": [torch.zeros(1, requires_grad=True)]} for _ in range(n)]
        if kind == "SGD":
            return torch.optim.SGD(params, lr=0.1, momentum=0.9, **kw)
        if kind == "Adam":
            return torch.optim.Adam(params, lr=0.1)
        return torch.optim.Adagrad(params, lr=0.1)

    def resumed():
        o = opt()
        S.StepLR(o, 3, last_epoch=4)

    def seq_other_optimizer():
        a, b = opt(), opt()
        S.SequentialLR(a, [S.ExponentialLR(a, 0.9), S.ExponentialLR(b, 0.9)], milestones=[2])

    def seq_milestones():
        a = opt()
        S.SequentialLR(a, [S.ExponentialLR(a, 0.9), S.ExponentialLR(a, 0.9)], milestones=[2, 3])

    def chained_other_optimizer():
        a, b = opt(), opt()
        S.ChainedScheduler([S.ExponentialLR(a, 0.9), S.ExponentialLR(b, 0.9)])

    def one_cycle_too_many():
        o = opt()
        s = S.OneCycleLR(o, max_lr=1.0, total_steps=10)
        for _ in range(11):
            o.step()
            s.step()

    def warm_restarts_negative():
        S.CosineAnnealingWarmRestarts(opt(), T_0=3).step(-1)

    cases = {
        "resume_without_initial_lr": resumed,
        "LambdaLR_count": lambda: S.LambdaLR(opt(2), [LAMBDAS["inv"]]),
        "MultiplicativeLR_count": lambda: S.MultiplicativeLR(opt(1), [LAMBDAS["inv"]] * 3),
        "ConstantLR_factor": lambda: S.ConstantLR(opt(), factor=1.5),
        "LinearLR_start_factor": lambda: S.LinearLR(opt(), start_factor=1.5),
        "LinearLR_end_factor": lambda: S.LinearLR(opt(), end_factor=-0.1),
        "CosineAnnealingWarmRestarts_T_0": lambda: S.CosineAnnealingWarmRestarts(opt(), T_0=0),
        "CosineAnnealingWarmRestarts_T_mult": lambda: S.CosineAnnealingWarmRestarts(opt(), T_0=2, T_mult=0),
        "CosineAnnealingWarmRestarts_negative_epoch": warm_restarts_negative,
        "CyclicLR_mode": lambda: S.CyclicLR(opt(), 0.01, 0.1, mode="foo"),
        "CyclicLR_base_lr_count": lambda: S.CyclicLR(opt(2), [0.01], 0.1),
        "CyclicLR_no_momentum": lambda: S.CyclicLR(opt(kind="Adam"), 0.01, 0.1),
        "OneCycleLR_no_steps": lambda: S.OneCycleLR(opt(), 0.1),
        "OneCycleLR_total_steps": lambda: S.OneCycleLR(opt(), 0.1, total_steps=0),
        "OneCycleLR_epochs": lambda: S.OneCycleLR(opt(), 0.1, epochs=0, steps_per_epoch=3),
        "OneCycleLR_steps_per_epoch": lambda: S.OneCycleLR(opt(), 0.1, epochs=2, steps_per_epoch=-1),
        "OneCycleLR_pct_start": lambda: S.OneCycleLR(opt(), 0.1, total_steps=10, pct_start=1.5),
        "OneCycleLR_anneal_strategy": lambda: S.OneCycleLR(opt(), 0.1, total_steps=10, anneal_strategy="x"),
        "OneCycleLR_max_lr_count": lambda: S.OneCycleLR(opt(2), [0.1, 0.2, 0.3], total_steps=10),
        "OneCycleLR_no_momentum": lambda: S.OneCycleLR(opt(kind="Adagrad"), 0.1, total_steps=10),
        "OneCycleLR_too_many_steps": one_cycle_too_many,
        "ReduceLROnPlateau_factor": lambda: S.ReduceLROnPlateau(opt(), factor=1.0),
        "ReduceLROnPlateau_mode": lambda: S.ReduceLROnPlateau(opt(), mode="foo"),
        "ReduceLROnPlateau_threshold_mode": lambda: S.ReduceLROnPlateau(opt(), threshold_mode="foo"),
        "ReduceLROnPlateau_min_lr_count": lambda: S.ReduceLROnPlateau(opt(1), min_lr=[0.1, 0.2]),
        "SequentialLR_optimizer": seq_other_optimizer,
        "SequentialLR_milestones": seq_milestones,
        "ChainedScheduler_optimizer": chained_other_optimizer,
    }
    return {name: error_of(fn) for name, fn in cases.items()}


def warning_texts():
    out = {}
    o = torch.optim.SGD([torch.zeros(1, requires_grad=True)], lr=0.1)
    s = S.StepLR(o, 3)
    with warnings.catch_warnings(record=True) as w:
        warnings.simplefilter("always")
        s.step()  # before any optimizer.step()
        s.step()  # only the first step is checked
    out["step_before_optimizer"] = [str(x.message) for x in w]
    o = torch.optim.SGD([torch.zeros(1, requires_grad=True)], lr=0.1)
    s = S.StepLR(o, 3)
    with warnings.catch_warnings(record=True) as w:
        warnings.simplefilter("always")
        o.step()
        s.step()
        s.step(5)
    out["optimizer_first_then_epoch"] = [str(x.message) for x in w]
    return out


write_fixture("optim_lr_scheduler", __file__, {
    "cases": [run(c) for c in CASES],
    "errors": errors(),
    "warnings": warning_texts(),
})
