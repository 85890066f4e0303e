"""Golden gradients of elementwise ops at their conventions (kinks, ties, bounds, zeros).

Run with Debian's /usr/bin/python3 (python3-torch); writes tests/golden/autograd_elementwise.json,
read by tests/autograd/test_elementwise_grad.cpp. Each case holds its inputs, the gradients of
out.sum() with respect to them (in input order), and the grad_fn name PyTorch gives.
"""
import math

import torch

from common import tensor_json, write_fixture

F = torch.float64


def t(values, dtype=F):
    return torch.tensor(values, dtype=dtype)


def case(fn, *inputs):
    leaves = [x.clone().requires_grad_(x.is_floating_point()) for x in inputs]
    out = fn(*leaves)
    diff = [x for x in leaves if x.requires_grad]
    grads = torch.autograd.grad(out.sum(), diff, allow_unused=True)
    return {"inputs": [tensor_json(x) for x in inputs],
            "grads": [tensor_json(g) if g is not None else None for g in grads],
            "grad_fn": type(out.grad_fn).__name__ if out.grad_fn is not None else None}


def inplace_case(fn, *inputs):
    """fn(y, *rest) modifies y = inputs[0] * 1 in place; gradients of y.sum()."""
    leaves = [x.clone().requires_grad_() for x in inputs]
    y = leaves[0] * 1
    fn(y, *leaves[1:])
    grads = torch.autograd.grad(y.sum(), leaves, allow_unused=True)
    return {"inputs": [tensor_json(x) for x in inputs],
            "grads": [tensor_json(g) if g is not None else None for g in grads],
            "grad_fn": type(y.grad_fn).__name__}


kink = t([-1., 0., 1.])
a_tie, b_tie = t([1., 3., 3., 2.]), t([3., 3., 1., 5.])
cases = {
    # unary kinks and zeros
    "relu": case(torch.relu, kink),
    "abs": case(torch.abs, kink),
    "sign": case(torch.sign, kink),
    "sqrt": case(torch.sqrt, t([0., 4.])),
    "rsqrt": case(torch.rsqrt, t([0., 4.])),
    "log": case(torch.log, t([0., 2.])),
    "reciprocal": case(torch.reciprocal, t([0., 2.])),
    "square": case(torch.square, t([0., -2.])),
    "round": case(torch.round, t([0.5, 1.5, -2.5])),
    # pow at base 0 and exponent 0
    "pow_scalar_2": case(lambda x: x ** 2, t([0., 1., -2.])),
    "pow_scalar_0": case(lambda x: x ** 0, t([0., 1., -2.])),
    "pow_scalar_half": case(lambda x: x ** 0.5, t([0., 4.])),
    "pow_tensor": case(torch.pow, t([0., 0., 2., 0., 3.]), t([2., 0., 1.5, -1., 0.])),
    "pow_scalar_base_0": case(lambda e: torch.pow(0., e), t([0., 1., -1., 2.])),
    "pow_scalar_base_2": case(lambda e: torch.pow(2., e), t([0., 1., -1.5])),
    # ties and bounds
    "maximum": case(torch.maximum, a_tie, b_tie),
    "minimum": case(torch.minimum, a_tie, b_tie),
    "clamp": case(lambda x: x.clamp(0, 1), t([-1., 0., 0.5, 1., 2.])),
    "clamp_min": case(lambda x: x.clamp(min=0), kink),
    "clamp_max": case(lambda x: x.clamp(max=0), kink),
    "clamp_tensor": case(lambda x, lo, hi: x.clamp(lo, hi), t([-1., 0., 0.5, 1., 2., 0.5]),
                         t([0., 0., 0., 0., 0., 1.]), t([1., 1., 1., 1., 1., 0.])),
    "clamp_tensor_min": case(lambda x, lo: x.clamp(min=lo), kink, t([0., 0., 0.])),
    "clamp_tensor_max": case(lambda x, hi: x.clamp(max=hi), kink, t([0., 0., 0.])),
    # piecewise: remainder/fmod/atan2 and rounded division
    "remainder": case(torch.remainder, t([5.5, -5.5, 3., 7.]), t([2., 2., -2., 2.5])),
    "fmod": case(torch.fmod, t([5.5, -5.5, 3., 7.]), t([2., 2., -2., 2.5])),
    "atan2": case(torch.atan2, t([1., 0., -1.]), t([0., 1., -2.])),
    "div_floor": case(lambda x, y: torch.div(x, y, rounding_mode="floor"), t([5., -5.]),
                      t([2., 2.])),
    "rdiv": case(lambda x: 2. / x, t([0.5, -4.])),
    # where / masked_fill, with broadcasting
    "where": case(lambda x, y: torch.where(t([[True, False, True], [False, False, True]],
                                             torch.bool), x, y),
                  t([[1., 2., 3.], [4., 5., 6.]]), t([7., 8., 9.])),
    "masked_fill": case(lambda x: x.masked_fill(t([True, False, True], torch.bool), 0.),
                        t([[1., 2., 3.], [4., 5., 6.]])),
    "masked_fill_tensor": case(lambda x, v: x.masked_fill(t([True, False, True], torch.bool), v),
                               t([[1., 2., 3.], [4., 5., 6.]]), t(7.)),
    # conversions
    "to_float32": case(lambda x: x.to(torch.float32), t([1.5, -2.])),
    # in-place forms on a non-leaf (y = x * 1)
    "relu_": inplace_case(torch.relu_, t([-1., 2.])),
    "sigmoid_": inplace_case(torch.sigmoid_, t([-1., 2.])),
    "pow_": inplace_case(lambda y: y.pow_(2), t([-1., 0., 2.])),
    "clamp_": inplace_case(lambda y: y.clamp_(0, 1), t([-1., 0., 0.5, 1., 2.])),
    "masked_fill_": inplace_case(lambda y: y.masked_fill_(t([True, False], torch.bool), 5.),
                                 t([-1., 2.])),
    "zero_": inplace_case(lambda y: y.zero_(), t([-1., 2.])),
    "fill_": inplace_case(lambda y: y.fill_(3.), t([-1., 2.])),
    "fill_tensor": inplace_case(lambda y, v: y.fill_(v), t([-1., 2.]), t(3.)),
    "copy_": inplace_case(lambda y, s: y.copy_(s), t([[-1., 2.], [3., 4.]]), t([5., 6.])),
}

# copy_ into a float32 tensor outside the graph from a broadcast float64 source.
src = t([1., 2., 3.]).requires_grad_()
dst = torch.zeros(2, 3)
dst.copy_(src)
(dst * t([[1., 2., 3.], [4., 5., 6.]], torch.float32)).sum().backward()
cases["copy_into_plain"] = {"inputs": [tensor_json(src)], "grads": [tensor_json(src.grad)],
                            "grad_fn": type(dst.grad_fn).__name__}

# grad_fn names of the unary math functions.
UNARY = ["neg", "abs", "sign", "reciprocal", "exp", "exp2", "log", "log2", "log10", "log1p", "expm1",
         "sqrt", "rsqrt", "square", "sin", "cos", "tan", "tanh", "sigmoid", "relu", "erf", "floor",
         "ceil", "round", "trunc"]
x = t([0.5, 2.]).requires_grad_()
unary_names = {name: type(getattr(torch, name)(x).grad_fn).__name__ for name in UNARY}

# scalar / tensor is tensor.reciprocal() * scalar in PyTorch, which shows in float32 roundings.
rdiv_in = t([3., 7., 11., 0.1], torch.float32)
rdiv = {"input": tensor_json(rdiv_in), "output": tensor_json(10. / rdiv_in)}

write_fixture("autograd_elementwise", __file__,
              {"cases": cases, "unary_names": unary_names, "rdiv_float32": rdiv})
