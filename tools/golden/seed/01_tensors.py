"""Python twin of examples/seed/01_tensors.cpp (seed row 1): tensors from nested lists, dtype
inference, factories and a few ops. Run by tools/golden/seed_outputs.py."""
import torch

torch.manual_seed(0)


def dtype(t):
    return str(t.dtype).removeprefix("torch.")


x = torch.tensor([[1., -1.], [1., -1.]])
print(x)
print("shape", list(x.shape), "dtype", dtype(x))

print("1. ->", dtype(torch.tensor([1., 2.])))
print("1 ->", dtype(torch.tensor([1, 2])))
print("True ->", dtype(torch.tensor([True, False])))
print("1 and 2. ->", dtype(torch.tensor([1, 2.])))

print(torch.zeros(2, 3))
print(torch.ones(2, 2, dtype=torch.int64))
print(torch.arange(5))
print(torch.arange(0, 1, 0.25))
r = torch.randn(2, 3)
print(r)

print(x + 1)
print(x * x)
print(x.t() @ x)
print(r.sum(), r.mean(dim=1))
print(torch.tensor([1, 2]) / 2)
