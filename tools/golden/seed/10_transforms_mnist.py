"""Python twin of examples/seed/10_transforms_mnist.cpp (seed row 10): transforms.Compose of
ToTensor and Normalize, the MNIST-format training, validation and test sets, one shuffled batch.
The seed downloads MNIST; offline, this reads Fashion-MNIST (same IDX format) from Debian's
dataset-fashion-mnist package. Run by tools/golden/seed_outputs.py."""
import gzip
import os
import shutil

import torch
import torchvision.transforms as transforms
from torch.utils.data import DataLoader
from torchvision.datasets import FashionMNIST

DEBIAN_FASHION_MNIST = "/usr/share/datasets/fashion-mnist"


def dtype(t):
    return str(t.dtype).removeprefix("torch.")


# The C++ program links the package's .gz archives into data/FashionMNIST/raw/ (ember reads
# them as they are); torchvision reads decompressed files only, so they are decompressed there.
raw = os.path.join("data", "FashionMNIST", "raw")
os.makedirs(raw, exist_ok=True)
for name in ("train-images-idx3-ubyte", "train-labels-idx1-ubyte",
             "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte"):
    with gzip.open(os.path.join(DEBIAN_FASHION_MNIST, name + ".gz")) as src, \
            open(os.path.join(raw, name), "wb") as dst:
        shutil.copyfileobj(src, dst)

torch.manual_seed(0)
# The seed writes Normalize((0.5,), (1.0,)); torchvision's repr echoes mean and std as they
# were given, and C++ braces ({0.5}) are lists, so the twin passes lists: the same transform,
# printed "Normalize(mean=[0.5], std=[1.0])" by both.
mnist_transform = transforms.Compose([
    transforms.ToTensor(),
    transforms.Normalize([0.5], [1.0]),
])
print(mnist_transform)

download_root = "data"
train_dataset = FashionMNIST(download_root, transform=mnist_transform, train=True, download=False)
valid_dataset = FashionMNIST(download_root, transform=mnist_transform, train=False, download=False)
test_dataset = FashionMNIST(download_root, transform=mnist_transform, train=False, download=False)
print("train", len(train_dataset), "valid", len(valid_dataset), "test", len(test_dataset))

image, label = train_dataset[0]
print("first:", list(image.shape), dtype(image), "label", label)
print("min", image.min(), "max", image.max(), "mean", image.mean())

loader = DataLoader(train_dataset, batch_size=64, shuffle=True)
images, labels = next(iter(loader))
print("batch:", list(images.shape), dtype(images), list(labels.shape), dtype(labels))
print(labels)
