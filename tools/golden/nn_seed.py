"""The seed's CNN (seed row 13) for tests/nn/test_seed_models.cpp: parameter names, state_dict
keys, repr, default initialisation after manual_seed(0), and the output and gradients for a
fixed batch of 32x32 images.
"""
import torch
import torch.nn as nn

from common import tensor_json, write_fixture


class CNN(nn.Module):
    def __init__(self):
        super().__init__()
        self.layer1 = nn.Sequential(nn.Conv2d(3, 64, 5), nn.ReLU(inplace=True), nn.MaxPool2d(2))
        self.layer2 = nn.Sequential(nn.Conv2d(64, 30, 5), nn.ReLU(inplace=True), nn.MaxPool2d(2))
        self.layer3 = nn.Sequential(nn.Linear(30 * 5 * 5, 10), nn.ReLU(inplace=True))

    def forward(self, x):
        x = self.layer1(x)
        x = self.layer2(x)
        x = x.view(x.shape[0], -1)
        x = self.layer3(x)
        return x


torch.manual_seed(0)
model = CNN()
# Every parameter's first 16 values and its float64 sum (the whole tensors would be 100s of KB).
init = {name: {"head": tensor_json(p.detach().reshape(-1)[:16]), "sum": p.double().sum().item()}
        for name, p in model.named_parameters()}
x = torch.randn(1, 3, 32, 32)
y = model(x)
y.sum().backward()
write_fixture("nn_seed", __file__, {
    "named_parameters": [n for n, _ in model.named_parameters()],
    "state_dict_keys": list(model.state_dict().keys()),
    "repr": repr(model),
    "init": init,
    "x": tensor_json(x),
    "y": tensor_json(y),
    "grads": {n: {"head": tensor_json(p.grad.reshape(-1)[:16]), "sum": p.grad.double().sum().item()}
              for n, p in model.named_parameters()},
})
