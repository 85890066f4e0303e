"""Golden values for ember/metrics/classification.h from torchmetrics (pinned in
requirements.txt): Accuracy, Precision, Recall, F1Score, FBetaScore and Specificity for the
binary, multiclass and multilabel tasks with every average, multidim_average, top_k (with ties)
and ignore_index (inside and outside the class range), label / probability / logit preds, a
class absent from the targets and all-equal predictions; each case records the functional
value and (for two of the metrics) a stateful metric's forward values on two halves of the batch and its compute();
ConfusionMatrix with every normalize; the seed's two snippets. Run with the golden venv
(build/golden-venv/bin/python); writes tests/golden/metrics_classification.json."""
import warnings

import torch
import torchmetrics
import torchmetrics.functional.classification as FC
from torchmetrics import classification as C

from common import rounded, tensor_json, write_fixture

warnings.simplefilter("ignore")
torch.manual_seed(0)

inputs = {}


def add_input(name, preds, target):
    inputs[name] = {"preds": tensor_json(preds), "target": tensor_json(target)}
    return preds, target


add_input("bin_prob", rounded(torch.rand(10)), torch.randint(0, 2, (10,)))
add_input("bin_logit", rounded(torch.randn(10) * 2), torch.randint(0, 2, (10,)))
add_input("bin_label", torch.randint(0, 2, (10,)), torch.randint(0, 2, (10,)))
add_input("bin_md", rounded(torch.rand(4, 5)), torch.randint(0, 2, (4, 5)))
t = torch.randint(0, 2, (10,))
t[[1, 4, 7]] = -1
add_input("bin_ignore", rounded(torch.rand(10)), t)

# Class 3 never appears in the targets (and is predicted once).
t = torch.tensor([0, 1, 2, 0, 1, 2, 0, 1, 2, 0, 0, 1])
s = rounded(torch.randn(12, 4))
s[5, 3] = 5.0
add_input("mc_scores", s, t)
add_input("mc_labels", torch.tensor([0, 1, 1, 0, 2, 2, 3, 1, 0, 0, 2, 1]), t)
add_input("mc_md", rounded(torch.randn(4, 3, 5)), torch.randint(0, 3, (4, 5)))
# Ties: several equal scores per row, so top_k must pick the same ones as torch.topk.
ties = torch.tensor([[0.2, 0.2, 0.2, 0.4], [0.1, 0.3, 0.3, 0.3], [0.25, 0.25, 0.25, 0.25],
                     [0.5, 0.1, 0.1, 0.3], [0.0, 0.0, 0.5, 0.5], [0.3, 0.3, 0.2, 0.2]])
add_input("mc_ties", ties, torch.tensor([0, 2, 3, 1, 0, 1]))
t = torch.randint(0, 3, (12,))
t[[2, 5]] = -100
add_input("mc_ignore_out", rounded(torch.randn(12, 3)), t)
add_input("mc_ignore_in", rounded(torch.randn(12, 3)), torch.randint(0, 3, (12,)))
add_input("mc_alleq", torch.full((8,), 2), torch.randint(0, 4, (8,)))
add_input("ml_prob", rounded(torch.rand(8, 3)), torch.randint(0, 2, (8, 3)))
add_input("ml_logit", rounded(torch.randn(8, 3) * 2), torch.randint(0, 2, (8, 3)))
add_input("ml_md", rounded(torch.rand(4, 3, 5)), torch.randint(0, 2, (4, 3, 5)))
t = torch.randint(0, 2, (8, 3))
t[0, 1] = t[3, 2] = t[5, 0] = -1
add_input("ml_ignore", rounded(torch.rand(8, 3)), t)


def load(j):
    return torch.tensor(j["data"], dtype=getattr(torch, j["dtype"])).reshape(j["shape"])


# The cases read the inputs back from their JSON form, exactly what the C++ tests see.
loaded = {name: (load(v["preds"]), load(v["target"])) for name, v in inputs.items()}

KINDS = {
    "accuracy": ("Accuracy", {}),
    "precision": ("Precision", {}),
    "recall": ("Recall", {}),
    "f1_score": ("F1Score", {}),
    "fbeta_score": ("FBetaScore", {"beta": 2.0}),
    "specificity": ("Specificity", {}),
}
# The stateful classes share one code path; two statistics cover their forward/compute.
MODULE_KINDS = ("accuracy", "fbeta_score")
TASK_PREFIX = {"binary": "Binary", "multiclass": "Multiclass", "multilabel": "Multilabel"}

cases = []


def case(kind, task, input_name, **args):
    cls_stem, extra = KINDS[kind]
    preds, target = loaded[input_name]
    kwargs = dict(extra, **args)
    fn = getattr(FC, task + "_" + kind)
    out = fn(preds, target, **kwargs)
    record = {"kind": kind, "task": task, "input": input_name, "args": args, "out": tensor_json(out)}
    if kind in MODULE_KINDS:
        module = getattr(C, TASK_PREFIX[task] + cls_stem)(**kwargs)
        half = preds.shape[0] // 2
        b1 = module(preds[:half], target[:half])
        b2 = module(preds[half:], target[half:])
        record["forward"] = [tensor_json(b1), tensor_json(b2)]
        record["compute"] = tensor_json(module.compute())
    cases.append(record)


for kind in KINDS:
    case(kind, "binary", "bin_prob")
    case(kind, "binary", "bin_logit", threshold=0.3)
    case(kind, "binary", "bin_label")
    case(kind, "binary", "bin_md")
    case(kind, "binary", "bin_md", multidim_average="samplewise")
    case(kind, "binary", "bin_ignore", ignore_index=-1)
    for average in ["micro", "macro", "weighted", "none"]:
        case(kind, "multiclass", "mc_scores", num_classes=4, average=average)
        case(kind, "multilabel", "ml_prob", num_labels=3, average=average)
    case(kind, "multiclass", "mc_labels", num_classes=4, average="macro")
    case(kind, "multiclass", "mc_scores", num_classes=4, top_k=2, average="micro")
    case(kind, "multiclass", "mc_scores", num_classes=4, top_k=3, average="macro")
    case(kind, "multiclass", "mc_ties", num_classes=4, top_k=2, average="none")
    case(kind, "multiclass", "mc_md", num_classes=3, average="macro")
    case(kind, "multiclass", "mc_md", num_classes=3, average="micro", multidim_average="samplewise")
    case(kind, "multiclass", "mc_md", num_classes=3, average="none", multidim_average="samplewise")
    case(kind, "multiclass", "mc_ignore_out", num_classes=3, average="macro", ignore_index=-100)
    case(kind, "multiclass", "mc_ignore_in", num_classes=3, average="weighted", ignore_index=1)
    case(kind, "multiclass", "mc_ignore_in", num_classes=3, average="micro", ignore_index=1,
         top_k=2)
    case(kind, "multiclass", "mc_alleq", num_classes=4, average="macro")
    case(kind, "multilabel", "ml_logit", num_labels=3, average="micro")
    case(kind, "multilabel", "ml_md", num_labels=3, average="macro", multidim_average="samplewise")
    case(kind, "multilabel", "ml_md", num_labels=3, average="weighted")
    case(kind, "multilabel", "ml_ignore", num_labels=3, average="macro", ignore_index=-1)

# Task wrappers default to micro; the Multiclass*/Multilabel* classes to macro.
preds, target = loaded["mc_scores"]
defaults = {
    "wrapper_accuracy": tensor_json(torchmetrics.functional.accuracy(preds, target, task="multiclass",
                                                                   num_classes=4)),
    "wrapper_precision": tensor_json(torchmetrics.functional.precision(preds, target, task="multiclass",
                                                                     num_classes=4)),
    "class_accuracy": tensor_json(C.MulticlassAccuracy(num_classes=4)(preds, target)),
    "class_f1": tensor_json(C.MulticlassF1Score(num_classes=4)(preds, target)),
}

confmats = []
for name, task, args in [("bin_prob", "binary", {}), ("bin_ignore", "binary", {"ignore_index": -1}),
                         ("mc_scores", "multiclass", {"num_classes": 4}),
                         ("mc_labels", "multiclass", {"num_classes": 4}),
                         ("mc_ignore_out", "multiclass", {"num_classes": 3, "ignore_index": -100}),
                         ("mc_md", "multiclass", {"num_classes": 3}),
                         ("ml_prob", "multilabel", {"num_labels": 3})]:
    preds, target = loaded[name]
    for normalize in ["none", "true", "pred", "all"]:
        out = torchmetrics.functional.confusion_matrix(preds, target, task=task, normalize=normalize,
                                                       **args)
        m = torchmetrics.ConfusionMatrix(task=task, normalize=normalize, **args)
        half = preds.shape[0] // 2
        m.update(preds[:half], target[:half])
        m.update(preds[half:], target[half:])
        confmats.append({"input": name, "task": task, "args": args, "normalize": normalize,
                         "out": tensor_json(out), "compute": tensor_json(m.compute())})

# The seed: softmax outputs into functional accuracy; a stateful Accuracy over 10 batches.
logits = rounded(torch.randn(10, 8, 5))
labels = torch.randint(0, 5, (10, 8))
acc = torchmetrics.Accuracy(task="multiclass", num_classes=5)
batch_values = [acc(torch.softmax(logits[i], dim=1), labels[i]) for i in range(10)]
seed = {"logits": tensor_json(logits), "labels": tensor_json(labels),
        "functional": tensor_json(torchmetrics.functional.accuracy(
            torch.softmax(logits[0], dim=1), labels[0], task="multiclass", num_classes=5)),
        "batches": [tensor_json(v) for v in batch_values], "compute": tensor_json(acc.compute())}

write_fixture("metrics_classification", __file__,
              {"torchmetrics_version": torchmetrics.__version__, "inputs": inputs, "cases": cases,
               "defaults": defaults, "confusion_matrix": confmats, "seed": seed})
