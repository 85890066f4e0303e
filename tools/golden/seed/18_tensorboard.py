"""Twin of examples/seed/18_tensorboard.cpp (seed row 18): the seed's SummaryWriter loop, logging
every batch's loss under "Loss" at its epoch, then what the event file holds."""
import glob
import shutil

import torch
from torch import nn
from torch.utils.data import DataLoader, TensorDataset
from torch.utils.tensorboard import SummaryWriter
from tensorboard.backend.event_processing.event_accumulator import EventAccumulator

torch.manual_seed(0)
device = torch.device("cpu")  # the seed's device; "cuda" where there is one
# float64 features and targets: the loop's .float() turns them into float32.
x_all = torch.randn(64, 3, dtype=torch.float64)
y_all = x_all @ torch.tensor([[1.0], [-1.0], [0.5]], dtype=torch.float64) + 0.2
dataloader = DataLoader(TensorDataset(x_all, y_all), batch_size=16, shuffle=True)
model = nn.Linear(3, 1).to(device)
criterion = nn.MSELoss()
optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
num_epochs = 5

shutil.rmtree("tensorboard", ignore_errors=True)  # this run's records only
writer = SummaryWriter("tensorboard")
for epoch in range(num_epochs):
    model.train()
    logged = []
    for i, (x, y) in enumerate(dataloader):
        x, y = x.to(device).float(), y.to(device).float()
        outputs = model(x)
        loss = criterion(outputs, y)
        writer.add_scalar("Loss", loss, epoch)
        logged.append(loss.item())
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    print(f"epoch {epoch}: logged", " ".join(f"{v:.6f}" for v in logged))
writer.close()

files = glob.glob("tensorboard/events.out.tfevents.*")
print("event files:", len(files))
events = EventAccumulator("tensorboard")
events.Reload()
print("scalar records:", len(events.Scalars("Loss")))
