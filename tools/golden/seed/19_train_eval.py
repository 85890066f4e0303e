"""Twin of examples/seed/19_train_eval.cpp (seed row 19): model.train() / model.eval() with
BatchNorm1d and Dropout, a few training epochs, then the seed's validation block under
torch.no_grad()."""
import torch
from torch import nn
import torch.nn.functional as F
from torch.utils.data import DataLoader, TensorDataset

torch.manual_seed(0)
# Three classes; labels as a float column of shape [N, 1] (as read from a CSV file), hence the
# seed's y.long().squeeze().
x_train, y_train = torch.randn(64, 4), torch.randint(3, (64, 1)).float()
x_valid, y_valid = torch.randn(32, 4), torch.randint(3, (32, 1)).float()
train_dataloader = DataLoader(TensorDataset(x_train, y_train), batch_size=16, shuffle=True)
valid_dataloader = DataLoader(TensorDataset(x_valid, y_valid), batch_size=16)

model = nn.Sequential(nn.Linear(4, 8), nn.BatchNorm1d(8), nn.ReLU(), nn.Dropout(0.2),
                      nn.Linear(8, 3))
print(model)
optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
for epoch in range(3):
    model.train()  # BatchNorm uses the batch's statistics and updates its running ones; Dropout drops
    train_loss = 0.0
    for x, y in train_dataloader:
        outputs = model(x)
        loss = F.cross_entropy(outputs, y.long().squeeze())
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        train_loss += float(loss)
    print(f"epoch {epoch}: train loss {train_loss / len(train_dataloader):.6f}")
print("running_mean", model[1].running_mean)

model.eval()  # BatchNorm uses its running statistics; Dropout keeps every node
with torch.no_grad():
    valid_loss = 0
    y_hat = []
    for x, y in valid_dataloader:
        outputs = model(x)
        loss = F.cross_entropy(outputs, y.long().squeeze())
        valid_loss += float(loss)
        y_hat += [outputs]
print(f"valid loss {valid_loss / len(valid_dataloader):.6f}")
print("outputs.requires_grad:", outputs.requires_grad, "batches:", len(y_hat))
print("predicted classes", torch.cat(y_hat).argmax(dim=1))

# The same input in the two modes.
x = x_valid[:4]
with torch.no_grad():
    model.eval()
    in_eval = model(x)
    model.train()
    in_train = model(x)
print("eval:", in_eval)
print("train:", in_train)
print("equal:", torch.equal(in_eval, in_train))
