"""Golden run of the seed's training loop (seed rows 14-16) on raw tensors, for
tests/autograd/test_training.cpp: a 1-in 1-out linear model, MSE loss, SGD(lr=0.01,
momentum=0.9), LambdaLR(0.95 ** epoch) stepped once per epoch, 100 epochs over 5 batches of 10
samples, zero_grad / backward / step each batch. Written with torch.optim, so the manual update
in the test is checked against PyTorch's own optimizer and scheduler.
"""
import torch

from common import tensor_json, write_fixture

torch.manual_seed(0)
x = torch.linspace(-2, 2, 50, dtype=torch.float32).reshape(50, 1)
y = 3 * x - 0.5 + 0.1 * torch.randn(50, 1)
w = torch.tensor([0.25], requires_grad=True)
b = torch.tensor([-0.1], requires_grad=True)
w0, b0 = w.detach().clone(), b.detach().clone()

opt = torch.optim.SGD([w, b], lr=0.01, momentum=0.9)
sched = torch.optim.lr_scheduler.LambdaLR(opt, lambda epoch: 0.95 ** epoch)
losses = []
for epoch in range(100):
    for i in range(0, 50, 10):
        xb, yb = x[i:i + 10], y[i:i + 10]
        yhat = xb * w + b
        loss = ((yhat - yb) ** 2).mean()
        opt.zero_grad()
        loss.backward()
        opt.step()
    losses.append(loss.item())
    sched.step()

write_fixture("autograd_training", __file__, {
    "x": tensor_json(x), "y": tensor_json(y), "w0": tensor_json(w0), "b0": tensor_json(b0),
    "w": tensor_json(w), "b": tensor_json(b),
    "epoch_losses": tensor_json(torch.tensor(losses)),
})
