"""The seed's full training loop (seed rows 11, 14-16) for tests/optim/test_seed_loop.cpp:
torch.manual_seed(0), then nn.Linear(1, 1) with its default initialisation, 100 samples
x ~ randn, y = 3x - 0.5 + 0.1 * randn, nn.MSELoss, SGD(lr=0.01, momentum=0.9) and
LambdaLR(0.95 ** epoch) stepped once per epoch; 100 epochs over minibatches of 10 in the order
of torch.randperm(100) drawn each epoch (what DataLoader(shuffle=True) does, drawn directly from
the global generator so that ember's draws line up). Everything comes from the one seed, in this
order: weight, bias, x, noise, then one permutation per epoch.
"""
import torch
import torch.nn as nn

from common import tensor_json, write_fixture

SEED = 0
torch.manual_seed(SEED)
model = nn.Linear(1, 1)
w0, b0 = model.weight.detach().clone(), model.bias.detach().clone()
x = torch.randn(100, 1)
y = 3 * x - 0.5 + 0.1 * torch.randn(100, 1)

criterion = nn.MSELoss()
optimizer = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)
scheduler = torch.optim.lr_scheduler.LambdaLR(optimizer, lr_lambda=lambda epoch: 0.95 ** epoch)

epoch_losses, first_perm = [], None
for epoch in range(100):
    perm = torch.randperm(100)
    if first_perm is None:
        first_perm = perm.clone()
    total = 0.0
    for i in range(0, 100, 10):
        idx = perm[i:i + 10]
        xb, yb = x[idx], y[idx]
        loss = criterion(model(xb), yb)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        total += loss.item()
    epoch_losses.append(total / 10)
    scheduler.step()

write_fixture("optim_seed_loop", __file__, {
    "seed": SEED,
    "w0": tensor_json(w0), "b0": tensor_json(b0),
    "x": tensor_json(x), "y": tensor_json(y),
    "first_perm": tensor_json(first_perm),
    "epoch_losses": tensor_json(torch.tensor(epoch_losses, dtype=torch.float64)),
    "final_lr": optimizer.param_groups[0]["lr"],
    "w": tensor_json(model.weight), "b": tensor_json(model.bias),
})
