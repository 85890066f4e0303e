"""Golden gradients for the reduction family's conventions (ties, zeros, kinks): max/min,
amax/amin, max/min along a dim, prod and cumprod with zeros, std at zero variance, norms at
zero and at ties, sort/topk with ties. Run with /usr/bin/python3; writes
tests/golden/autograd_reduce.json."""
import torch

from common import tensor_json, write_fixture

F = torch.float64


def case(name, op, x, fn, grad_output=None):
    x = torch.tensor(x, dtype=F, requires_grad=True)
    y = fn(x)
    go = torch.ones_like(y) if grad_output is None else torch.tensor(grad_output, dtype=F)
    y.backward(go)
    return {"name": name, "op": op, "input": tensor_json(x), "grad_output": tensor_json(go),
            "grad": None if x.grad is None else tensor_json(x.grad),
            "grad_fn": y.grad_fn.name()}


cases = [
    case("max ties", "max", [1, 3, 3, 2], lambda x: x.max()),
    case("min all tied", "min", [1, 1, 1], lambda x: x.min()),
    case("max 2d ties", "max", [[4, 1], [4, 4]], lambda x: x.max()),
    case("max dim ties", "max_dim1", [[1, 3, 3, 2], [5, 5, 0, 5]], lambda x: x.max(1)[0],
         [2, 3]),
    case("min dim0 keepdim ties", "min_dim0_keepdim", [[1, 3, 0], [1, 2, 0]],
         lambda x: x.min(0, keepdim=True)[0], [[1, 2, 3]]),
    case("amax dim ties", "amax_dim1", [[1, 3, 3, 2], [5, 5, 0, 5]], lambda x: x.amax(1),
         [2, 3]),
    case("amax all ties", "amax", [[1, 3, 3], [3, 0, 1]], lambda x: x.amax()),
    case("amin dims (0, 2) keepdim", "amin_dims02_keepdim",
         [[[1, 0], [2, 2]], [[0, 3], [2, 4]]], lambda x: x.amin((0, 2), keepdim=True),
         [[[1], [2]]]),
    case("prod one zero", "prod", [2, 0, 3, 4], lambda x: x.prod()),
    case("prod two zeros", "prod", [0, 2, 0, 3], lambda x: x.prod()),
    case("prod no zero", "prod", [2, -1, 3, 0.5], lambda x: x.prod()),
    case("prod 2d one zero", "prod", [[2, 3], [0, 5]], lambda x: x.prod()),
    case("prod dim1 zeros", "prod_dim1", [[2, 0, 3], [1, 2, 3], [0, 0, 5]],
         lambda x: x.prod(1), [1, 2, 3]),
    case("prod dim0 keepdim zeros", "prod_dim0_keepdim", [[2, 0, 3], [0, 2, 3]],
         lambda x: x.prod(0, keepdim=True), [[1, 2, 3]]),
    case("cumprod one zero", "cumprod_dim0", [2, 0, 3, 4], lambda x: x.cumprod(0),
         [1, 2, 3, 4]),
    case("cumprod two zeros", "cumprod_dim0", [2, 0, 3, 0, 4], lambda x: x.cumprod(0),
         [1, 2, 3, 4, 5]),
    case("cumprod 2d zeros", "cumprod_dim1", [[0, 2, 3], [2, 3, 0]], lambda x: x.cumprod(1),
         [[1, 2, 3], [4, 5, 6]]),
    case("std zero variance", "std", [2, 2, 2], lambda x: x.std()),
    case("std dim one constant row", "std_dim1", [[1, 1], [1, 3]], lambda x: x.std(1)),
    case("norm2 at zero", "norm2", [0, 0], lambda x: x.norm()),
    case("norm2", "norm2", [3, 4], lambda x: x.norm()),
    case("norm2 dim1 zero row", "norm2_dim1", [[0, 0], [3, -4]], lambda x: x.norm(dim=1)),
    case("norm1 at zero", "norm1", [0, -2, 3], lambda x: x.norm(p=1)),
    case("norm3 at zero", "norm3", [0, 0, 0], lambda x: x.norm(p=3)),
    case("norm3", "norm3", [1, -2, 0], lambda x: x.norm(p=3)),
    case("norm1.5 at zero", "norm1.5", [0, 0], lambda x: x.norm(p=1.5)),
    case("norm0.5 with zero", "norm0.5", [0, 4, 1], lambda x: x.norm(p=0.5)),
    case("norm inf ties", "norminf", [-3, 1, 3, 2], lambda x: x.norm(p=float("inf"))),
    case("norm0 (no gradient)", "norm0", [0, 4, 1], lambda x: x.norm(p=0)),
    case("sort ties", "sort_dim1", [[2, 1, 2, 1], [0, 0, 0, 0]], lambda x: x.sort(1)[0],
         [[1, 2, 3, 4], [5, 6, 7, 8]]),
    case("sort descending ties", "sort_dim0_desc", [[1, 3], [1, 2], [2, 3]],
         lambda x: x.sort(0, descending=True)[0], [[1, 2], [3, 4], [5, 6]]),
    case("topk ties", "topk2_dim1", [[1, 3, 3, 2], [5, 5, 5, 0]], lambda x: x.topk(2, 1)[0],
         [[1, 2], [3, 4]]),
    case("topk smallest ties", "topk2_dim0_smallest", [[1, 3], [1, 2], [0, 3]],
         lambda x: x.topk(2, 0, largest=False)[0], [[1, 2], [3, 4]]),
]

write_fixture("autograd_reduce", __file__, {"cases": cases})
