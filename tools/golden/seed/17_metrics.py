"""Twin of examples/seed/17_metrics.cpp (seed row 17): torchmetrics' functional accuracy and the
stateful Accuracy, per batch and over all batches. Current torchmetrics needs the task (the
seed's Accuracy() is the old API); ember accepts both, multiclass micro by default."""
import torch
import torchmetrics

torch.manual_seed(0)
preds = torch.randn(10, 5).softmax(dim=-1)
target = torch.randint(5, (10,))
print(target)
acc = torchmetrics.functional.accuracy(preds, target, task="multiclass", num_classes=5)
print(acc)

metric = torchmetrics.Accuracy(task="multiclass", num_classes=5)
n_batches = 10
for i in range(n_batches):
    preds = torch.randn(10, 5).softmax(dim=-1)
    target = torch.randint(5, (10,))
    acc = metric(preds, target)
    print(f"Accuracy on batch {i}: {acc}")
acc = metric.compute()
print(f"Accuracy on all data: {acc}")
