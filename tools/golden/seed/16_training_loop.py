"""Twin of examples/seed/16_training_loop.cpp (seed row 16): the seed's training loop (MSELoss,
SGD with momentum, LambdaLR, 100 epochs over a shuffled DataLoader) on a linear regression,
then the seed's point that gradients accumulate until they are zeroed."""
import torch
from torch import nn
from torch.utils.data import DataLoader, TensorDataset

torch.manual_seed(0)
# 1,000 points on y = 2x + 1 with a little noise.
x_all = torch.rand(1000, 1)
y_all = 2 * x_all + 1 + 0.1 * torch.randn(1000, 1)
dataloader = DataLoader(TensorDataset(x_all, y_all), batch_size=32, shuffle=True)
model = nn.Linear(1, 1)

criterion = torch.nn.MSELoss()
loss_fn = criterion
optimizer = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)
scheduler = torch.optim.lr_scheduler.LambdaLR(optimizer=optimizer, lr_lambda=lambda epoch: 0.95 ** epoch)
for epoch in range(1, 100 + 1):
    epoch_loss = 0.0
    for x, y in dataloader:
        optimizer.zero_grad()
        loss = loss_fn(model(x), y)  # the seed's loss_fn(model(x), y).backward(), loss kept
        loss.backward()
        optimizer.step()
        epoch_loss += loss.item()
    if epoch % 10 == 0:
        print(f"epoch {epoch}: loss {epoch_loss / len(dataloader):.6f}, "
              f"lr {scheduler.get_last_lr()[0]:.6g}")
    scheduler.step()
print("weight", model.weight.detach(), "bias", model.bias.detach())

# Gradients accumulate: a second backward adds to the first. A fresh model, whose gradients
# are far from zero (the trained one's are nearly zero).
torch.manual_seed(1)
fresh = nn.Linear(1, 1)
fresh_optimizer = torch.optim.SGD(fresh.parameters(), lr=0.01)
loss_fn(fresh(x_all), y_all).backward()
print("after one backward:", fresh.weight.grad, fresh.bias.grad)
loss_fn(fresh(x_all), y_all).backward()
print("after two backwards:", fresh.weight.grad, fresh.bias.grad)
# zero_grad() fills the gradients with zeros (PyTorch 1.13's default, set_to_none=False) ...
fresh_optimizer.zero_grad(set_to_none=False)
print("zero_grad(set_to_none=False):", fresh.weight.grad, fresh.bias.grad)
# ... or drops them (set_to_none=True, PyTorch 2's default and ember's).
fresh_optimizer.zero_grad(set_to_none=True)
print("zero_grad(set_to_none=True):", fresh.weight.grad is None, fresh.bias.grad is None)
