"""Python twin of examples/seed/02_autograd.cpp (seed row 2): a computation graph recorded as
ops run, backward(), gradient-descent updates under no_grad. Run by tools/golden/seed_outputs.py."""
import torch

torch.manual_seed(0)


def show_graph(fn, depth=0):
    print("  " * depth + type(fn).__name__)
    for next_fn, _ in fn.next_functions:
        if next_fn is not None:
            show_graph(next_fn, depth + 1)


x = torch.tensor([1., 2., 3., 4.])
y = torch.tensor([3., 5., 7., 9.])
w = torch.randn(1, requires_grad=True)
b = torch.zeros(1, requires_grad=True)

pred = w * x + b
loss = ((pred - y) ** 2).mean()
print(pred)
print(loss)
show_graph(loss.grad_fn)
print("leaves:", *(str(t.is_leaf).lower() for t in (w, b, pred)))  # as C++ prints bools

loss.backward()
print("w.grad", w.grad, "b.grad", b.grad)

lr = 0.05
with torch.no_grad():
    w -= lr * w.grad
    b -= lr * b.grad
print("after one step: w", w, "b", b)

for step in range(1, 6):
    w.grad.zero_()
    b.grad.zero_()
    loss = ((w * x + b - y) ** 2).mean()
    loss.backward()
    with torch.no_grad():
        w -= lr * w.grad
        b -= lr * b.grad
    print("step", step, "loss", loss)
print("w", w.detach(), "b", b.detach())
