"""Twin of examples/seed/13_cnn.cpp (seed row 13): the seed's CNN, its shapes layer by layer on
32x32 images, and the error a 28x28 batch raises."""
import torch
from torch import nn


class CNN(nn.Module):
    def __init__(self):
        super(CNN, self).__init__()
        self.layer1 = nn.Sequential(
            nn.Conv2d(in_channels=3, out_channels=64, kernel_size=5),
            nn.ReLU(inplace=True),
            nn.MaxPool2d(2)
        )
        self.layer2 = nn.Sequential(
            nn.Conv2d(in_channels=64, out_channels=30, kernel_size=5),
            nn.ReLU(inplace=True),
            nn.MaxPool2d(2)
        )
        self.layer3 = nn.Sequential(
            nn.Linear(in_features=30*5*5, out_features=10, bias=True),
            nn.ReLU(inplace=True)
        )

    def forward(self, x):
        x = self.layer1(x)
        x = self.layer2(x)
        x = x.view(x.shape[0], -1)  # Flatten
        x = self.layer3(x)
        return x


torch.manual_seed(0)
model = CNN()
print(model)
print("parameters:", sum(p.numel() for p in model.parameters()))

x = torch.randn(2, 3, 32, 32)
h1 = model.layer1(x)
print("after layer1:", list(h1.shape))
h2 = model.layer2(h1)
print("after layer2:", list(h2.shape))
flat = h2.view(h2.shape[0], -1)
print("flattened:", list(flat.shape), "= 30*5*5 =", 30 * 5 * 5)
print(model(x))

# 28x28 images leave 30x4x4 = 480 features, not the 750 layer3 expects.
try:
    model(torch.randn(2, 3, 28, 28))
except RuntimeError as e:
    print("error:", str(e).replace("\n", " "))
