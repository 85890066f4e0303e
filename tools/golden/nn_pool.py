"""Golden values for the pooling of ember/nn/pooling.h: max_pool1d/2d (values, indices) and
avg_pool2d and adaptive_avg_pool2d over many window settings (stride, padding, dilation,
ceil_mode, count_include_pad, divisor_override, adaptive sizes that do not divide the input),
batched and unbatched inputs, ties and NaN; the input gradient for a random grad_output; the
grad_fn names; the gradient of the max-pool backward with respect to grad_output (double
backward); the module reprs. Run with /usr/bin/python3; writes tests/golden/nn_pool.json."""
import torch
import torch.nn as nn
import torch.nn.functional as F

from common import rounded, tensor_json, write_fixture

torch.manual_seed(0)


def randn(*shape):
    """Normal inputs with 3 decimals (ties stay as rare as with full floats)."""
    return rounded(torch.randn(*shape), 3)


def run(fn, x, options):
    """Runs fn(x, **options) and records the outputs, grad_fn and the gradient of
    sum(out * grad_output) for a random grad_output."""
    xr = x.detach().clone().requires_grad_(True)
    res = fn(xr, **options)
    out, indices = res if isinstance(res, tuple) else (res, None)
    go = randn(out.shape)
    (gi,) = torch.autograd.grad(out, xr, go)
    case = {"options": options, "input": tensor_json(x), "out": tensor_json(out),
            "grad_output": tensor_json(go), "grad": tensor_json(gi),
            "grad_fn": out.grad_fn.name()}
    if indices is not None:
        case["indices"] = tensor_json(indices)
    return case


max2d, max1d, avg2d, adaptive = [], [], [], []

# (input shape, kernel_size, stride, padding, dilation, ceil_mode)
MAX2D = [
    ((2, 2, 4, 6), 2, None, 0, 1, False),
    ((1, 2, 5, 7), 2, None, 0, 1, False),
    ((1, 2, 5, 7), 2, None, 0, 1, True),
    ((1, 2, 5, 5), 3, 2, 1, 1, False),
    ((1, 2, 5, 5), 3, 2, 1, 1, True),
    ((1, 1, 6, 6), 3, 2, 0, 1, True),
    ((1, 2, 5, 5), 2, 2, 1, 1, True),
    ((1, 1, 7, 7), 3, 2, 0, 2, False),
    ((1, 1, 9, 8), 3, 2, 1, 2, True),
    ((1, 1, 6, 7), [3, 2], [1, 2], [1, 0], [1, 2], False),
    ((1, 1, 6, 7), [2, 4], [3, 1], [0, 2], 1, True),
    ((2, 5, 5), 2, 1, 1, 1, False),       # unbatched, overlapping windows
    ((2, 5, 5), 3, 3, 1, 1, True),
    ((0, 2, 4, 4), 2, None, 0, 1, False),  # empty batch
]
for shape, k, s, p, d, ceil in MAX2D:
    opts = {"kernel_size": k, "stride": s, "padding": p, "dilation": d, "ceil_mode": ceil,
            "return_indices": True}
    max2d.append(run(F.max_pool2d, randn(shape), opts))
# Ties (small integers) and NaN.
ties = torch.randint(0, 3, (1, 2, 5, 5)).float()
max2d.append(run(F.max_pool2d, ties, {"kernel_size": 3, "stride": 1, "padding": 1,
                                      "dilation": 1, "ceil_mode": False, "return_indices": True}))
max2d.append(run(F.max_pool2d, ties, {"kernel_size": 2, "stride": 2, "padding": 0,
                                      "dilation": 1, "ceil_mode": False, "return_indices": True}))
nan_in = randn(1, 2, 4, 4)
nan_in[0, 0, 0, 1] = float("nan")
nan_in[0, 0, 1, 0] = float("nan")
nan_in[0, 1, 3, 3] = float("nan")
nan_in[0, 1, 2, 2] = float("inf")
max2d.append(run(F.max_pool2d, nan_in, {"kernel_size": 2, "stride": 2, "padding": 0,
                                        "dilation": 1, "ceil_mode": False, "return_indices": True}))
max2d.append(run(F.max_pool2d, nan_in, {"kernel_size": 3, "stride": 1, "padding": 1,
                                        "dilation": 1, "ceil_mode": False, "return_indices": True}))
neg_inf = torch.full((1, 1, 3, 3), float("-inf"))
neg_inf[0, 0, 2, 2] = 1.0
max2d.append(run(F.max_pool2d, neg_inf, {"kernel_size": 2, "stride": 1, "padding": 1,
                                         "dilation": 1, "ceil_mode": False,
                                         "return_indices": True}))

MAX1D = [
    ((2, 2, 9), 2, None, 0, 1, False),
    ((2, 2, 9), 2, None, 0, 1, True),
    ((3, 10), 3, 2, 1, 1, True),
    ((2, 2, 11), 3, 1, 1, 2, False),
]
for shape, k, s, p, d, ceil in MAX1D:
    opts = {"kernel_size": k, "stride": s, "padding": p, "dilation": d, "ceil_mode": ceil,
            "return_indices": True}
    max1d.append(run(F.max_pool1d, randn(shape), opts))

# (input shape, kernel_size, stride, padding, ceil_mode, count_include_pad, divisor_override)
AVG2D = [
    ((2, 2, 4, 6), 2, None, 0, False, True, None),
    ((1, 2, 6, 8), 3, 2, 1, False, True, None),
    ((1, 2, 6, 8), 3, 2, 1, False, False, None),
    ((1, 2, 6, 8), 3, 2, 1, True, True, None),   # ceil_mode adds a last window
    ((1, 2, 6, 8), 3, 2, 1, True, False, None),
    ((1, 2, 5, 5), 2, 2, 1, True, True, None),
    ((1, 2, 6, 5), [3, 2], [2, 1], [1, 1], True, True, 5),
    ((1, 2, 6, 5), [3, 2], [2, 1], [1, 0], False, False, -2),
    ((2, 5, 6), 4, 3, 2, True, True, None),   # unbatched
    ((2, 5, 6), 4, 3, 2, True, False, None),
]
for shape, k, s, p, ceil, cip, div in AVG2D:
    opts = {"kernel_size": k, "stride": s, "padding": p, "ceil_mode": ceil,
            "count_include_pad": cip, "divisor_override": div}
    avg2d.append(run(F.avg_pool2d, randn(shape), opts))

ADAPTIVE = [
    ((1, 2, 7, 9), [3, 4]),
    ((1, 1, 8, 8), [4, 4]),
    ((1, 2, 5, 7), [7, 3]),   # larger than the input along H
    ((2, 1, 5, 5), [1, 1]),   # the mean
    ((2, 10, 6), [4, 5]),     # unbatched
    ((1, 2, 6, 6), [6, 6]),
]
for shape, size in ADAPTIVE:
    adaptive.append(run(F.adaptive_avg_pool2d, randn(shape), {"output_size": size}))

# Double backward of max pooling: d(sum(grad_input * v)) / d(grad_output).
x = randn(1, 2, 5, 5).requires_grad_()
out = F.max_pool2d(x, 3, 2, 1)
go = randn(out.shape).requires_grad_()
(gi,) = torch.autograd.grad(out, x, go, create_graph=True)
v = randn(gi.shape)
(ggo,) = torch.autograd.grad(gi, go, v)
double_backward = {"input": tensor_json(x), "grad_output": tensor_json(go.detach()),
                   "v": tensor_json(v), "grad_input": tensor_json(gi),
                   "grad_grad_output": tensor_json(ggo), "grad_fn": gi.grad_fn.name()}

reprs = {
    "MaxPool2d(2)": repr(nn.MaxPool2d(2)),
    "MaxPool2d(3, stride=2, padding=1, ceil_mode=True)":
        repr(nn.MaxPool2d(3, stride=2, padding=1, ceil_mode=True)),
    "MaxPool2d((3, 2), stride=(2, 1), dilation=(1, 2))":
        repr(nn.MaxPool2d((3, 2), stride=(2, 1), dilation=(1, 2))),
    "MaxPool1d(3)": repr(nn.MaxPool1d(3)),
    "MaxPool1d(4, stride=2, padding=1, dilation=2, ceil_mode=True)":
        repr(nn.MaxPool1d(4, stride=2, padding=1, dilation=2, ceil_mode=True)),
    "AvgPool2d(2)": repr(nn.AvgPool2d(2)),
    ("AvgPool2d((3, 2), stride=1, padding=(1, 0), ceil_mode=True, count_include_pad=False, "
     "divisor_override=3)"):
        repr(nn.AvgPool2d((3, 2), stride=1, padding=(1, 0), ceil_mode=True,
                          count_include_pad=False, divisor_override=3)),
    "AdaptiveAvgPool2d(1)": repr(nn.AdaptiveAvgPool2d(1)),
    "AdaptiveAvgPool2d((5, 7))": repr(nn.AdaptiveAvgPool2d((5, 7))),
}

write_fixture("nn_pool", __file__, {"max_pool2d": max2d, "max_pool1d": max1d,
                                    "avg_pool2d": avg2d, "adaptive_avg_pool2d": adaptive,
                                    "double_backward": double_backward, "reprs": reprs})
