"""Golden values for the losses of ember/nn/loss.h: every loss with every reduction, their
options (weight, ignore_index, label_smoothing with both target kinds, pos_weight, log_target,
beta, delta), (N, C, d1, d2) and unbatched inputs, and the gradients of the summed loss with
respect to the input (and to the target where it is differentiable). Run with /usr/bin/python3;
writes tests/golden/nn_loss.json."""
import torch
import torch.nn.functional as F

from common import rounded, tensor_json, write_fixture

torch.manual_seed(0)
REDUCTIONS = ["none", "mean", "sum"]


def case(name, loss, inp, target, options=None, target_grad=False, **tensors):
    """Runs F.<loss>(inp, target, **options, **tensors) and records the value and the gradients
    of its sum; tensors (weight, pos_weight) are stored beside the options."""
    options = dict(options or {})
    x = inp.detach().clone().requires_grad_(True)
    t = target.detach().clone().requires_grad_(target_grad)
    out = getattr(F, loss)(x, t, **options, **tensors)
    out.sum().backward()
    result = {"name": name, "loss": loss, "options": options, "input": tensor_json(inp),
              "target": tensor_json(target), "out": tensor_json(out),
              "grad": tensor_json(x.grad), "grad_fn": out.grad_fn.name()}
    if target_grad:
        result["grad_target"] = tensor_json(t.grad)
    for key, value in tensors.items():
        result[key] = tensor_json(value)
    return result


cases = []

# Pointwise regression losses, with a broadcast target and values around the kinks.
x = rounded(torch.randn(3, 4))
y = rounded(torch.randn(3, 4))
y[0, 0] = x[0, 0]            # a tie: |x - y| = 0
y[1, 1] = x[1, 1] - 0.5      # exactly at beta/delta = 0.5 below
yb = rounded(torch.randn(4))
for r in REDUCTIONS:
    cases.append(case(f"mse {r}", "mse_loss", x, y, {"reduction": r}, target_grad=True))
    cases.append(case(f"l1 {r}", "l1_loss", x, y, {"reduction": r}, target_grad=True))
    cases.append(case(f"smooth_l1 {r}", "smooth_l1_loss", x, y, {"reduction": r},
                      target_grad=True))
    cases.append(case(f"huber {r}", "huber_loss", x, y, {"reduction": r}, target_grad=True))
for beta in [0.5, 0.0, 3.0]:
    cases.append(case(f"smooth_l1 beta {beta}", "smooth_l1_loss", x * 2, y,
                      {"reduction": "none", "beta": beta}))
for delta in [0.5, 3.0]:
    cases.append(case(f"huber delta {delta}", "huber_loss", x * 2, y,
                      {"reduction": "none", "delta": delta}))
cases.append(case("mse broadcast target", "mse_loss", x, yb, {"reduction": "none"}))
cases.append(case("l1 broadcast target mean", "l1_loss", x, yb, {"reduction": "mean"}))

# Cross entropy and nll with class indices.
logits = rounded(torch.randn(4, 5))
labels = torch.tensor([1, 0, 4, 2])
w5 = rounded(torch.rand(5) + 0.5)
ignored = torch.tensor([1, -100, 4, -100])
ignore_three = torch.tensor([3, 0, 3, 2])
logp = torch.log_softmax(logits, 1)
for r in REDUCTIONS:
    cases.append(case(f"ce {r}", "cross_entropy", logits, labels, {"reduction": r}))
    cases.append(case(f"ce weight {r}", "cross_entropy", logits, labels, {"reduction": r},
                      weight=w5))
    cases.append(case(f"ce ignore {r}", "cross_entropy", logits, ignored, {"reduction": r}))
    cases.append(case(f"ce smoothing {r}", "cross_entropy", logits, labels,
                      {"reduction": r, "label_smoothing": 0.1}))
    cases.append(case(f"ce weight ignore smoothing {r}", "cross_entropy", logits, ignored,
                      {"reduction": r, "label_smoothing": 0.2}, weight=w5))
    cases.append(case(f"ce ignore_index 3 weight {r}", "cross_entropy", logits, ignore_three,
                      {"reduction": r, "ignore_index": 3}, weight=w5))
    cases.append(case(f"nll {r}", "nll_loss", logp, labels, {"reduction": r}))
    cases.append(case(f"nll weight ignore {r}", "nll_loss", logp, ignored, {"reduction": r},
                      weight=w5))
cases.append(case("ce all ignored mean", "cross_entropy", logits,
                  torch.full((4,), -100, dtype=torch.long), {"reduction": "mean"}))
cases.append(case("ce all ignored sum", "cross_entropy", logits,
                  torch.full((4,), -100, dtype=torch.long), {"reduction": "sum"}))
cases.append(case("ce smoothing 1.0", "cross_entropy", logits, labels, {"label_smoothing": 1.0}))
cases.append(case("ce uint8 target", "cross_entropy", logits, labels.to(torch.uint8), {}))
cases.append(case("ce unbatched", "cross_entropy", logits[0], torch.tensor(3), {}))
cases.append(case("ce unbatched weight smoothing none", "cross_entropy", logits[0],
                  torch.tensor(3), {"reduction": "none", "label_smoothing": 0.3}, weight=w5))
cases.append(case("nll unbatched", "nll_loss", logp[1], torch.tensor(2), {}))

# Spatial inputs (N, C, d1, d2) and (N, C, d1).
spatial = rounded(torch.randn(2, 3, 2, 4))
spatial_t = torch.randint(0, 3, (2, 2, 4))
spatial_t[0, 1, 2] = -100
spatial_t[1, 0, 0] = -100
w3 = torch.tensor([0.5, 2.0, 1.5])
for r in REDUCTIONS:
    cases.append(case(f"ce 4d weight ignore {r}", "cross_entropy", spatial, spatial_t,
                      {"reduction": r}, weight=w3))
    cases.append(case(f"ce 4d smoothing {r}", "cross_entropy", spatial, spatial_t,
                      {"reduction": r, "label_smoothing": 0.15}, weight=w3))
    cases.append(case(f"nll 4d {r}", "nll_loss", torch.log_softmax(spatial, 1), spatial_t,
                      {"reduction": r}, weight=w3))
cases.append(case("ce 3d mean", "cross_entropy", spatial[:, :, 0], spatial_t[:, 0],
                  {"reduction": "mean"}))

# Cross entropy with class probabilities.
probs = torch.softmax(torch.randn(4, 5), 1)
probs_4d = torch.softmax(torch.randn(2, 3, 2, 4), 1)
for r in REDUCTIONS:
    cases.append(case(f"ce probs {r}", "cross_entropy", logits, probs, {"reduction": r},
                      target_grad=True))
    cases.append(case(f"ce probs weight smoothing {r}", "cross_entropy", logits, probs,
                      {"reduction": r, "label_smoothing": 0.1}, target_grad=True, weight=w5))
    cases.append(case(f"ce probs 4d weight {r}", "cross_entropy", spatial, probs_4d,
                      {"reduction": r}, weight=w3))
cases.append(case("ce probs unbatched", "cross_entropy", logits[0], probs[0], {}))

# Binary cross entropy (probabilities, with 0 and 1 among them) and with logits.
p = rounded(torch.rand(3, 4) * 0.9 + 0.05)
p[0, 0] = 0.0
p[2, 3] = 1.0
bt = rounded(torch.rand(3, 4))
bt[0, 0] = 1.0
bt[2, 3] = 0.0
bt[1, :] = torch.tensor([0.0, 1.0, 0.0, 1.0])
bw = rounded(torch.rand(4) + 0.5)
for r in REDUCTIONS:
    cases.append(case(f"bce {r}", "binary_cross_entropy", p, bt, {"reduction": r},
                      target_grad=True))
    cases.append(case(f"bce weight {r}", "binary_cross_entropy", p, bt, {"reduction": r},
                      weight=bw))
z = rounded(torch.randn(3, 4) * 3)
z[0, 0] = 0.0
z[1, 2] = 60.0
z[2, 1] = -60.0
pw = torch.tensor([1.0, 2.0, 0.5, 3.0])
for r in REDUCTIONS:
    cases.append(case(f"bce logits {r}", "binary_cross_entropy_with_logits", z, bt,
                      {"reduction": r}, target_grad=True))
    cases.append(case(f"bce logits weight pos_weight {r}", "binary_cross_entropy_with_logits",
                      z, bt, {"reduction": r}, target_grad=True, weight=bw, pos_weight=pw))
cases.append(case("bce logits pos_weight only", "binary_cross_entropy_with_logits", z, bt,
                  {"reduction": "none"}, pos_weight=pw))

# KL divergence: log-probability input, probabilities (with a zero) or log-probabilities.
kl_in = torch.log_softmax(torch.randn(3, 4), 1)
kl_t = torch.softmax(torch.randn(3, 4), 1)
kl_t[1, 2] = 0.0
kl_logt = torch.log_softmax(torch.randn(3, 4), 1)
for r in REDUCTIONS + ["batchmean"]:
    cases.append(case(f"kl {r}", "kl_div", kl_in, kl_t, {"reduction": r}, target_grad=True))
    cases.append(case(f"kl log_target {r}", "kl_div", kl_in, kl_logt,
                      {"reduction": r, "log_target": True}, target_grad=True))

write_fixture("nn_loss", __file__, {"cases": cases})
