"""Golden gradients of the matmul family, for tests/autograd/test_linalg_grad.cpp: each case
gives float32 inputs, the weights w of the loss sum(w * out), and PyTorch's gradient of every
input (with the grad_fn name of out).
"""
import torch

from common import tensor_json, write_fixture

torch.manual_seed(3)
CASES = [
    ("mm", lambda a, b: a.mm(b), [(3, 4), (4, 2)]),
    ("bmm", lambda a, b: a.bmm(b), [(2, 3, 4), (2, 4, 5)]),
    ("dot", lambda a, b: a.dot(b), [(5,), (5,)]),
    ("mv", lambda a, b: a.mv(b), [(3, 4), (4,)]),
    ("matmul_1d_2d", lambda a, b: a.matmul(b), [(4,), (4, 3)]),
    ("matmul_broadcast", lambda a, b: a.matmul(b), [(2, 1, 3, 4), (3, 4, 2)]),
    ("matmul_3d_1d", lambda a, b: a.matmul(b), [(2, 3, 4), (4,)]),
    ("outer", lambda a, b: torch.outer(a, b), [(3,), (4,)]),
    ("addmm", lambda c, a, b: torch.addmm(c, a, b, beta=0.5, alpha=2.0), [(2,), (3, 4), (4, 2)]),
]

cases = []
for name, fn, shapes in CASES:
    inputs = [torch.randn(s).requires_grad_() for s in shapes]
    out = fn(*inputs)
    w = torch.randn(out.shape)
    (out * w).sum().backward()
    cases.append({
        "name": name, "grad_fn": type(out.grad_fn).__name__, "weights": tensor_json(w),
        "inputs": [tensor_json(t) for t in inputs], "grads": [tensor_json(t.grad) for t in inputs],
    })

write_fixture("autograd_linalg", __file__, {"cases": cases})
