"""Golden gradients of the indexing, gather/scatter and overlapping-view ops (duplicate
indices accumulate, overwritten positions get no gradient) and of in-place ops on views
(CopySlices): tests/golden/autograd_shape.json.

Run with Debian's /usr/bin/python3 (python3-torch). Every case applies one op to fixed float64
inputs and back-propagates grad_output = 1, 2, 3, ... (row-major) so that each gradient entry
tells which outputs reached it. tests/autograd/test_index_grad.cpp rebuilds the same ops.
"""
import torch

from common import tensor_json, write_fixture

# Inputs with short exact decimals keep the fixture small (these gradients are linear in
# grad_output, only copy_slices_transposed reads an input value).
X = (torch.arange(12, dtype=torch.float64) - 5.5).reshape(3, 4) / 2
X3 = (torch.arange(24, dtype=torch.float64) - 11.5).reshape(2, 3, 4) / 4
SRC = (torch.arange(12, dtype=torch.float64) % 5 - 2).reshape(3, 4)
V = (torch.arange(8, dtype=torch.float64) - 3.5).reshape(2, 4)
L = torch.tensor
MASK = L([[True, False, True, False], [False, False, True, True], [True, True, False, False]])
IDX = L([[0, 1, 0, 0], [0, 2, 1, 0]])        # rows written twice along dim 0
GIDX = L([[0, 0, 3], [1, 1, 1], [2, 0, 2]])  # gather along dim 1 with repeats



def view_mul_(x):
    y = x * 2
    y[0].mul_(3)
    return y


def copy_into_plain(x):
    z = torch.zeros(2, 4, dtype=torch.float64)
    z[1].copy_(x)
    return z


def view_index_put_(x, v):
    y = x * 1
    y[1:].index_put_((L([0, 0]), L([1, 3])), v)
    return y


def transposed_view_mul_(x):
    y = x * 1
    y.t()[1].mul_(x[:, 2])
    return y


CASES = {
    "index_dup": ([X], lambda x: x[L([0, 2, 0])]),
    "index_2d_dup": ([X], lambda x: x[L([[0, 1], [0, 1]]), L([[1, 1], [3, 1]])]),
    "index_mask": ([X], lambda x: x[MASK]),
    "index_slice_then_tensor": ([X], lambda x: x[1:, L([0, 0, 3])]),
    "index_nonadjacent": ([X3], lambda x: x[L([0, 1, 1]), :, L([2, 2, 0])]),
    "gather_dup": ([X], lambda x: x.gather(1, GIDX)),
    "scatter_dup": ([X, SRC[:2]], lambda x, s: x.scatter(0, IDX, s)),
    "scatter_value": ([X], lambda x: x.scatter(0, IDX, 2.0)),
    "scatter_add_dup": ([X, SRC[:2]], lambda x, s: x.scatter_add(0, IDX, s)),
    "index_select_dup": ([X], lambda x: x.index_select(1, L([3, 0, 3]))),
    "masked_select_broadcast": ([X[:, :1]], lambda x: x.masked_select(MASK)),
    "index_put_dup": ([X, V], lambda x, v: (x * 1).index_put_((L([0, 0]),), v)),
    "index_put_broadcast": ([X, V[0]], lambda x, v: (x * 1).index_put_((L([2, 0]),), v)),
    "index_put_mask": ([X, V[0, :1]], lambda x, v: (x * 1).index_put_((MASK,), v)),
    "as_strided_overlap": ([X], lambda x: x.as_strided((3, 3), (1, 1))),
    "copy_slices_mul": ([X], view_mul_),
    "copy_slices_into_plain": ([X[0]], copy_into_plain),
    "copy_slices_index_put": ([X, V[0, :2]], view_index_put_),
    "copy_slices_transposed": ([X], transposed_view_mul_),
    "as_strided_expanded": ([X[:, :1].reshape(3)], lambda x: x.expand(2, 3).as_strided((2, 2), (1, 1))),
}


def run(inputs, fn):
    leaves = [t.clone().requires_grad_() for t in inputs]
    out = fn(*leaves)
    go = torch.arange(1, out.numel() + 1, dtype=torch.float64).reshape(out.shape)
    out.backward(go)
    return {
        "inputs": [tensor_json(t) for t in inputs],
        "grad_output": tensor_json(go),
        "grads": [tensor_json(t.grad) for t in leaves],
        "grad_fn": type(out.grad_fn).__name__,
    }


write_fixture("autograd_shape", __file__,
              {"cases": {name: run(inputs, fn) for name, (inputs, fn) in CASES.items()}})
