"""Golden values for ember/metrics/ranking.h and agreement.h from torchmetrics (pinned in
requirements.txt): AUROC and AveragePrecision (thresholds=None) for binary (probabilities,
logits, ties, ignore_index), multiclass (probabilities, logits, a class absent from the
targets, ignore_index; macro / weighted / none) and multilabel (micro / macro / weighted /
none, ignore_index), each functional and as a stateful metric fed two batches;
MatthewsCorrCoef and CohenKappa (weights none / linear / quadratic) including degenerate
confusion matrices. Run with the golden venv (build/golden-venv/bin/python); writes
tests/golden/metrics_ranking.json."""
import warnings

import torch
import torchmetrics
import torchmetrics.functional.classification as FC
from torchmetrics import classification as C

from common import rounded, tensor_json, write_fixture

warnings.simplefilter("ignore")
torch.manual_seed(0)


def load(j):
    return torch.tensor(j["data"], dtype=getattr(torch, j["dtype"])).reshape(j["shape"])


inputs = {}


def add_input(name, preds, target):
    # Cases read the inputs back from their JSON form, exactly what the C++ tests see.
    inputs[name] = {"preds": tensor_json(preds), "target": tensor_json(target)}


add_input("bin_prob", rounded(torch.rand(12)), torch.tensor([0, 1, 1, 0, 1, 0, 0, 1, 1, 0, 1, 0]))
add_input("bin_logit", rounded(torch.randn(12) * 2), torch.tensor([1, 1, 0, 0, 1, 0, 1, 1, 0, 0, 1, 0]))
add_input("bin_ties", torch.tensor([0.2, 0.2, 0.5, 0.5, 0.5, 0.9, 0.1, 0.9, 0.2, 0.5]),
          torch.tensor([0, 1, 1, 0, 1, 1, 0, 0, 0, 1]))
t = torch.tensor([0, 1, 1, 0, 1, 0, 0, 1, 1, 0, 1, 0])
t[[2, 9]] = -1
add_input("bin_ignore", rounded(torch.rand(12)), t)
add_input("bin_md", rounded(torch.rand(4, 3)), torch.tensor([[0, 1, 1], [1, 0, 0], [0, 0, 1], [1, 1, 0]]))
add_input("mc_prob", torch.softmax(rounded(torch.randn(12, 4)), 1),
          torch.tensor([0, 1, 2, 3, 0, 1, 2, 3, 0, 1, 2, 2]))
add_input("mc_logit", rounded(torch.randn(12, 4)), torch.tensor([0, 1, 2, 0, 0, 1, 2, 1, 0, 1, 2, 2]))
add_input("mc_ignore", rounded(torch.randn(12, 3)), torch.tensor([0, 1, 2, -1, 0, 1, 2, 1, -1, 1, 2, 0]))
add_input("mc_md", rounded(torch.randn(4, 3, 2)), torch.tensor([[0, 1], [2, 0], [1, 1], [2, 0]]))
add_input("ml_prob", rounded(torch.rand(10, 3)), torch.randint(0, 2, (10, 3)))
t = torch.randint(0, 2, (10, 3))
t[1, 0] = t[4, 2] = t[7, 1] = -1
add_input("ml_ignore", rounded(torch.randn(10, 3)), t)
loaded = {name: (load(v["preds"]), load(v["target"])) for name, v in inputs.items()}

cases = []
PREFIX = {"binary": "Binary", "multiclass": "Multiclass", "multilabel": "Multilabel"}
STEM = {"auroc": "AUROC", "average_precision": "AveragePrecision",
        "matthews_corrcoef": "MatthewsCorrCoef", "cohen_kappa": "CohenKappa"}


def case(kind, task, input_name, **args):
    preds, target = loaded[input_name]
    out = getattr(FC, task + "_" + kind)(preds, target, **args)
    module = getattr(C, PREFIX[task] + STEM[kind])(**args)
    half = preds.shape[0] // 2
    b1 = module(preds[:half], target[:half])
    b2 = module(preds[half:], target[half:])
    cases.append({"kind": kind, "task": task, "input": input_name, "args": args,
                  "out": tensor_json(out), "forward": [tensor_json(b1), tensor_json(b2)],
                  "compute": tensor_json(module.compute())})


for kind in ["auroc", "average_precision"]:
    for name in ["bin_prob", "bin_logit", "bin_ties", "bin_md"]:
        case(kind, "binary", name)
    case(kind, "binary", "bin_ignore", ignore_index=-1)
    for average in ["macro", "weighted", "none"]:
        case(kind, "multiclass", "mc_prob", num_classes=4, average=average)
        case(kind, "multiclass", "mc_logit", num_classes=4, average=average)
    case(kind, "multiclass", "mc_ignore", num_classes=3, ignore_index=-1)
    case(kind, "multiclass", "mc_md", num_classes=3)
    for average in ["micro", "macro", "weighted", "none"]:
        case(kind, "multilabel", "ml_prob", num_labels=3, average=average)
        case(kind, "multilabel", "ml_ignore", num_labels=3, average=average, ignore_index=-1)

for name in ["bin_prob", "bin_logit", "bin_md"]:
    case("matthews_corrcoef", "binary", name)
    case("cohen_kappa", "binary", name)
case("matthews_corrcoef", "binary", "bin_ignore", ignore_index=-1, threshold=0.3)
for name, n in [("mc_prob", 4), ("mc_logit", 4), ("mc_md", 3)]:
    case("matthews_corrcoef", "multiclass", name, num_classes=n)
    for weights in [None, "linear", "quadratic"]:
        case("cohen_kappa", "multiclass", name, num_classes=n, weights=weights)
case("matthews_corrcoef", "multiclass", "mc_ignore", num_classes=3, ignore_index=-1)
case("matthews_corrcoef", "multilabel", "ml_prob", num_labels=3)

# Degenerate binary confusion matrices: all correct, all wrong, one class only.
degenerate = []
for preds, target in [([1, 0, 1], [1, 0, 1]), ([1, 0, 1], [0, 1, 0]), ([1, 1, 1], [1, 1, 0]),
                      ([0, 0, 0], [0, 1, 0]), ([1, 1, 1], [1, 1, 1])]:
    p, t = torch.tensor(preds), torch.tensor(target)
    degenerate.append({"preds": tensor_json(p), "target": tensor_json(t),
                       "mcc": tensor_json(FC.binary_matthews_corrcoef(p, t))})

write_fixture("metrics_ranking", __file__,
              {"torchmetrics_version": torchmetrics.__version__, "inputs": inputs, "cases": cases,
               "degenerate": degenerate})
