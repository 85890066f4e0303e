"""Twin of examples/seed/14_losses_optimizers.cpp (seed rows 14-15): the usual losses on small
fixed tensors; the seed's seven optimizers, three steps each on the same problem; StepLR,
MultiStepLR and LambdaLR over eight epochs."""
import torch
from torch import nn
import torch.nn.functional as F

# Losses: the gap between prediction and truth.
pred = torch.tensor([2.5, 0.0, 2.0, 8.0])
truth = torch.tensor([3.0, -0.5, 2.0, 7.0])
print("MSELoss:", nn.MSELoss()(pred, truth))
print("L1Loss:", nn.L1Loss()(pred, truth))
print("SmoothL1Loss:", nn.SmoothL1Loss()(pred, truth))
logits = torch.tensor([[2.0, 1.0, 0.1], [0.5, 2.5, 0.3], [1.2, 0.2, 3.1]])
labels = torch.tensor([0, 1, 1])
print("CrossEntropyLoss:", nn.CrossEntropyLoss()(logits, labels))
print("NLLLoss:", nn.NLLLoss()(F.log_softmax(logits, dim=1), labels))
probs = torch.tensor([0.9, 0.2, 0.7])
targets = torch.tensor([1.0, 0.0, 0.0])
print("BCELoss:", nn.BCELoss()(probs, targets))
print("BCEWithLogitsLoss:", nn.BCEWithLogitsLoss()(torch.tensor([2.0, -1.0, 0.5]), targets))

# Optimizers: three steps of zero_grad / backward / step on the same regression problem.
torch.manual_seed(0)
x = torch.randn(8, 2)
y = x @ torch.tensor([[1.0], [-2.0]]) + 0.5
criterion = nn.MSELoss()


def hyperparameters(group):
    # PyTorch 1.13 also lists how the update runs (foreach, differentiable, capturable, fused);
    # ember has one implementation, so only the hyperparameters are shown, lowercase booleans.
    hidden = ("params", "foreach", "differentiable", "capturable", "fused")
    show = lambda v: str(v).lower() if isinstance(v, bool) else str(v)
    return " ".join(f"{k}={show(v)}" for k, v in group.items() if k not in hidden)


dense = [("SGD", lambda p: torch.optim.SGD(p, lr=0.1, momentum=0.9)),
         ("Adam", lambda p: torch.optim.Adam(p, lr=0.1)),
         ("Adamax", lambda p: torch.optim.Adamax(p, lr=0.1)),
         ("Adagrad", lambda p: torch.optim.Adagrad(p, lr=0.1)),
         ("RMSprop", lambda p: torch.optim.RMSprop(p, lr=0.01)),
         ("Rprop", lambda p: torch.optim.Rprop(p, lr=0.01))]
for name, make in dense:
    torch.manual_seed(1)
    model = nn.Linear(2, 1)
    optimizer = make(model.parameters())
    print(name, hyperparameters(optimizer.param_groups[0]))
    for step in range(3):
        optimizer.zero_grad()
        loss = criterion(model(x), y)
        loss.backward()
        optimizer.step()
    print("  weight", model.weight.detach(), "bias", model.bias.detach())

# SparseAdam: for sparse gradients (an Embedding with sparse=True); rows not looked up stay put.
torch.manual_seed(1)
embedding = nn.Embedding(5, 3, sparse=True)
optimizer = torch.optim.SparseAdam(embedding.parameters(), lr=0.1)
print("SparseAdam", hyperparameters(optimizer.param_groups[0]))
index = torch.tensor([0, 2, 2, 4])
for step in range(3):
    optimizer.zero_grad()
    loss = embedding(index).pow(2).mean()
    loss.backward()
    optimizer.step()
print(embedding.weight.detach())

# Learning-rate schedulers: the lr of each of eight epochs.
schedulers = [("StepLR", lambda o: torch.optim.lr_scheduler.StepLR(o, step_size=3, gamma=0.5)),
              ("MultiStepLR",
               lambda o: torch.optim.lr_scheduler.MultiStepLR(o, milestones=[2, 5], gamma=0.1)),
              ("LambdaLR",
               lambda o: torch.optim.lr_scheduler.LambdaLR(o, lr_lambda=lambda epoch: 0.95 ** epoch))]
for name, make in schedulers:
    optimizer = torch.optim.SGD([torch.zeros(1, requires_grad=True)], lr=0.1)
    scheduler = make(optimizer)
    lrs = []
    for epoch in range(8):
        optimizer.step()
        lrs.append(scheduler.get_last_lr()[0])
        scheduler.step()
    print(name, " ".join(f"{lr:.6g}" for lr in lrs))
