"""Golden values for tests/nn/test_bilinear.cpp: nn.Bilinear's default initialisation after
torch.manual_seed, its repr, F.bilinear's output and gradients (batched, with extra leading dims,
1-D, without bias) and torch.bilinear's error messages. Writes tests/golden/nn_bilinear.json.
"""
import torch
import torch.nn as nn
import torch.nn.functional as F

from common import tensor_json, write_fixture

out = {}

inits = []
for seed, (in1, in2, o, bias) in [(0, (3, 4, 2, True)), (5, (2, 1, 3, False)), (9, (5, 3, 4, True))]:
    torch.manual_seed(seed)
    m = nn.Bilinear(in1, in2, o, bias=bias)
    inits.append({"seed": seed, "in1": in1, "in2": in2, "out": o, "bias": bias,
                  "weight": tensor_json(m.weight),
                  "bias_value": tensor_json(m.bias) if bias else None,
                  "next_draws": tensor_json(torch.rand(2, dtype=torch.float64)),
                  "repr": repr(m)})
out["inits"] = inits

torch.manual_seed(1)
cases = []
for name, lead, (in1, in2, o), bias in [("batched", [5], (3, 4, 2), True),
                                         ("leading_dims", [2, 3], (4, 2, 3), True),
                                         ("vector", [], (3, 2, 4), True),
                                         ("no_bias", [4], (2, 3, 2), False)]:
    x1 = torch.randn(lead + [in1], dtype=torch.float64, requires_grad=True)
    x2 = torch.randn(lead + [in2], dtype=torch.float64, requires_grad=True)
    w = torch.randn(o, in1, in2, dtype=torch.float64, requires_grad=True)
    b = torch.randn(o, dtype=torch.float64, requires_grad=True) if bias else None
    y = F.bilinear(x1, x2, w, b)
    g = torch.randn_like(y)
    inputs = [x1, x2, w] + ([b] if bias else [])
    grads = torch.autograd.grad(y, inputs, g)
    case = {"name": name, "x1": tensor_json(x1), "x2": tensor_json(x2), "weight": tensor_json(w),
            "y": tensor_json(y), "grad_output": tensor_json(g),
            "grad_x1": tensor_json(grads[0]), "grad_x2": tensor_json(grads[1]),
            "grad_weight": tensor_json(grads[2])}
    if bias:
        case["bias"] = tensor_json(b)
        case["grad_bias"] = tensor_json(grads[3])
    cases.append(case)
out["cases"] = cases


def error_of(fn):
    try:
        fn()
    except RuntimeError as e:
        return str(e)
    raise AssertionError("no error")


w = torch.zeros(2, 3, 4)
out["errors"] = {
    "dims": error_of(lambda: F.bilinear(torch.zeros(5, 3), torch.zeros(1, 5, 4), w)),
    "batch": error_of(lambda: F.bilinear(torch.zeros(5, 3), torch.zeros(6, 4), w)),
    "input1": error_of(lambda: F.bilinear(torch.zeros(5, 2), torch.zeros(5, 4), w)),
    "input2": error_of(lambda: F.bilinear(torch.zeros(5, 3), torch.zeros(5, 5), w)),
    "bias": error_of(lambda: F.bilinear(torch.zeros(5, 3), torch.zeros(5, 4), w, torch.zeros(3))),
}

write_fixture("nn_bilinear", __file__, out)
