// ember::vision::datasets (torchvision.datasets): MNIST and its relatives (FashionMNIST, KMNIST,
// EMNIST, QMNIST), CIFAR-10/100 and ImageFolder, with torchvision's folder layouts, return
// values and downloads.
#pragma once

#include "ember/vision/datasets/cifar.h"
#include "ember/vision/datasets/folder.h"
#include "ember/vision/datasets/idx.h"
#include "ember/vision/datasets/mnist.h"
#include "ember/vision/datasets/vision_dataset.h"
