"""Golden values for ember/metrics/regression.h and aggregation.h from torchmetrics (pinned in
requirements.txt): MeanSquaredError (squared / RMSE, num_outputs), MeanAbsoluteError, R2Score
(multioutput, adjusted, constant target), PearsonCorrCoef (1-D and multi-output),
ExplainedVariance (multioutput), each as functional and as a stateful metric fed two batches
(forward values and compute); MeanMetric (weights), SumMetric, MinMetric, MaxMetric with NaN
handling, and RunningMean over a window. Run with the golden venv (build/golden-venv/bin/python);
writes tests/golden/metrics_regression.json."""
import warnings

import torch
import torchmetrics
import torchmetrics.functional as F
from torchmetrics import aggregation as A
from torchmetrics import regression as R

from common import rounded, tensor_json, write_fixture

warnings.simplefilter("ignore")
torch.manual_seed(0)

inputs = {
    "vec": (rounded(torch.randn(10)), rounded(torch.randn(10))),
    "vec_int": (torch.randint(0, 5, (10,)), torch.randint(0, 5, (10,))),
    "mat": (rounded(torch.randn(10, 3)), rounded(torch.randn(10, 3))),
}
p, t = inputs["vec"]
inputs["corr"] = (p, rounded(p * 0.7 + 0.3 * torch.randn(10)))  # strongly correlated
m = inputs["mat"][1].clone()
m[:, 1] = 2.0  # a constant target column: TSS = 0
inputs["mat_const"] = (inputs["mat"][0], m)


def stateful(metric, preds, target):
    half = preds.shape[0] // 2
    b1 = metric(preds[:half], target[:half])
    b2 = metric(preds[half:], target[half:])
    return [tensor_json(b1), tensor_json(b2)], tensor_json(metric.compute())


cases = []


def case(name, input_name, functional, module, args=None):
    preds, target = inputs[input_name]
    forward, total = stateful(module, preds, target)
    cases.append({"metric": name, "input": input_name, "args": args or {},
                  "out": tensor_json(functional(preds, target)), "forward": forward,
                  "compute": total})


for inp in ["vec", "vec_int", "mat"]:
    case("mse", inp, F.mean_squared_error, R.MeanSquaredError())
    case("rmse", inp, lambda p, t: F.mean_squared_error(p, t, squared=False),
         R.MeanSquaredError(squared=False), {"squared": False})
    case("mae", inp, F.mean_absolute_error, R.MeanAbsoluteError())
case("mse", "mat", lambda p, t: F.mean_squared_error(p, t, num_outputs=3),
     R.MeanSquaredError(num_outputs=3), {"num_outputs": 3})
for inp in ["vec", "corr"]:
    case("r2", inp, F.r2_score, R.R2Score())
    case("pearson", inp, F.pearson_corrcoef, R.PearsonCorrCoef())
    case("explained_variance", inp, F.explained_variance, R.ExplainedVariance())
case("r2", "vec", lambda p, t: F.r2_score(p, t, adjusted=2), R.R2Score(adjusted=2), {"adjusted": 2})
for mo in ["raw_values", "uniform_average", "variance_weighted"]:
    for inp in ["mat", "mat_const"]:
        case("r2", inp, lambda p, t, mo=mo: F.r2_score(p, t, multioutput=mo),
             R.R2Score(num_outputs=3, multioutput=mo), {"multioutput": mo, "num_outputs": 3})
        case("explained_variance", inp, lambda p, t, mo=mo: F.explained_variance(p, t, multioutput=mo),
             R.ExplainedVariance(multioutput=mo), {"multioutput": mo})
case("pearson", "mat", F.pearson_corrcoef, R.PearsonCorrCoef(num_outputs=3), {"num_outputs": 3})

# Aggregation: three updates each (a tensor, a number, a tensor with a NaN).
values = [rounded(torch.randn(2, 3)), torch.tensor(0.75), torch.tensor([1.5, float("nan"), -2.0])]
weights = [rounded(torch.rand(2, 3)), torch.tensor(2.0), torch.tensor([0.5, 1.0, 3.0])]
aggregation = {"values": [tensor_json(v) for v in values], "weights": [tensor_json(w) for w in weights]}
for name, cls in [("sum", A.SumMetric), ("min", A.MinMetric), ("max", A.MaxMetric), ("mean", A.MeanMetric)]:
    for strategy in ["ignore", 0.5]:
        metric = cls(nan_strategy=strategy)
        # Clones: a numeric nan_strategy overwrites the NaNs of its input in place. MeanMetric
        # gets explicit unit weights: with its default weight (a broadcast view of one
        # element) torchmetrics' in-place NaN fill would overwrite every weight (a defect).
        extra = (lambda v: (torch.ones_like(v),)) if cls is A.MeanMetric else (lambda v: ())
        forward = [tensor_json(metric(v.clone(), *extra(v))) for v in values]
        aggregation[f"{name}/{strategy}"] = {"forward": forward, "compute": tensor_json(metric.compute())}
weighted = A.MeanMetric(nan_strategy="ignore")
aggregation["mean_weighted"] = {
    "forward": [tensor_json(weighted(v.clone(), w.clone())) for v, w in zip(values, weights)],
    "compute": tensor_json(weighted.compute())}
stream = rounded(torch.randn(8))
running = A.RunningMean(window=3)
aggregation["running_mean"] = {
    "stream": tensor_json(stream), "window": 3,
    "forward": [tensor_json(running(x)) for x in stream],
    "compute": tensor_json(running.compute())}

write_fixture("metrics_regression", __file__,
              {"torchmetrics_version": torchmetrics.__version__,
               "inputs": {k: {"preds": tensor_json(p), "target": tensor_json(t)} for k, (p, t) in inputs.items()},
               "cases": cases, "aggregation": aggregation})
