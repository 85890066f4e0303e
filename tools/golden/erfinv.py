"""Golden values for torch.erfinv (tests/ops/test_erfinv.cpp): values in float32, float64 and
bfloat16 (PyTorch 1.13 has no float16 erfinv on the CPU) over the whole domain (the central and tail branches, the points next to
+-1 and 0, +-1 itself and the out-of-domain NaNs), and float64 gradients.
Writes tests/golden/erfinv.json.
"""
import torch

from common import tensor_json, write_fixture

torch.manual_seed(0)
special = [0.0, -0.0, 1e-30, -1e-8, 0.1, -0.5, 0.7, -0.7, 0.70001, 0.9, -0.99, 0.999, 0.999999,
           -0.9999999, 1.0, -1.0, 1.0000001, -1.5, 2.0, float("inf"), float("nan")]
uniform = (torch.rand(48, dtype=torch.float64) * 2 - 1).tolist()
points = special + uniform

out = {"values": {}}
for name, dtype in [("float32", torch.float32), ("float64", torch.float64),
                    ("bfloat16", torch.bfloat16)]:
    x = torch.tensor(points, dtype=dtype)
    if dtype == torch.float32:
        # the largest floats below 1 and above -1, where erfinv is largest but finite
        x = torch.cat([x, torch.tensor([1 - 2 ** -24, -(1 - 2 ** -24)], dtype=dtype)])
    if dtype == torch.float64:
        x = torch.cat([x, torch.tensor([1 - 2 ** -53, -(1 - 2 ** -53)], dtype=dtype)])
    out["values"][name] = {"x": tensor_json(x), "y": tensor_json(torch.erfinv(x))}

x = torch.tensor([-0.95, -0.6, -0.2, 0.0, 0.3, 0.69, 0.75, 0.99], dtype=torch.float64,
                 requires_grad=True)
g = torch.linspace(-1, 2, 8, dtype=torch.float64)
y = torch.erfinv(x)
grad, = torch.autograd.grad(y, x, g)
out["grad"] = {"x": tensor_json(x), "grad_output": tensor_json(g), "grad": tensor_json(grad),
               "grad_fn": type(y.grad_fn).__name__}

write_fixture("erfinv", __file__, out)
