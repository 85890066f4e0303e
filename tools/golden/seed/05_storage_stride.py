"""Python twin of examples/seed/05_storage_stride.cpp (seed row 5): storage, offset, stride,
contiguity; a matrix and its transpose share one storage. Run by tools/golden/seed_outputs.py."""
import torch


def describe(name, t):
    print(name, "storage", torch.tensor(t.storage().tolist()), "offset", t.storage_offset(),
          "stride", list(t.stride()), "contiguous", str(t.is_contiguous()).lower())


A = torch.tensor([[1, 2, 3], [4, 5, 6]])
print(A)
describe("A", A)

At = A.t()
print(At)
describe("A.t()", At)
print("same storage:", str(At.data_ptr() == A.data_ptr()).lower())

describe("A[1:]", A[1:])
print(A[:, 1])
describe("A[:, 1]", A[:, 1])

Ac = At.contiguous()
describe("A.t().contiguous()", Ac)
print("same storage:", str(Ac.data_ptr() == A.data_ptr()).lower())

try:
    At.view(6)
except RuntimeError as e:
    print("error:", str(e).replace("\n", " "))
print(At.reshape(6))

v = A.view(3, 2)
v[0, 0] = 100
At[2, 1] = -6
print(v)
print(A)
