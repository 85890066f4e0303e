"""The optimizer-trajectory harness shared by tools/golden/optim_*.py and
tests/optim/trajectory.h: a Linear(4, 3) model with fixed initial weights on fixed data
(6 samples), MSE loss; each step is zero_grad, forward, backward, optimizer.step().
trajectory() records the parameters after every step.
"""
import torch

from common import tensor_json


def problem(dtype=torch.float32):
    g = torch.Generator().manual_seed(1234)
    x = torch.randn(6, 4, generator=g, dtype=torch.float64).to(dtype)
    y = torch.randn(6, 3, generator=g, dtype=torch.float64).to(dtype)
    w = (0.5 * torch.randn(3, 4, generator=g, dtype=torch.float64)).to(dtype)
    b = (0.5 * torch.randn(3, generator=g, dtype=torch.float64)).to(dtype)
    return x, y, w, b


def problem_json(dtype=torch.float32):
    x, y, w, b = problem(dtype)
    return {"x": tensor_json(x), "y": tensor_json(y), "w": tensor_json(w), "b": tensor_json(b)}


def loss_of(w, b, x, y):
    return ((x @ w.t() + b - y) ** 2).mean()


def trajectory(make_optimizer, steps=10, dtype=torch.float32):
    """make_optimizer([w, b]) -> optimizer; returns the parameters after each step."""
    x, y, w0, b0 = problem(dtype)
    w = w0.clone().requires_grad_()
    b = b0.clone().requires_grad_()
    opt = make_optimizer([w, b])
    out = []
    for _ in range(steps):
        opt.zero_grad()
        loss_of(w, b, x, y).backward()
        opt.step()
        out.append([tensor_json(w), tensor_json(b)])
    return out
