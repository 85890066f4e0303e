// The seed's torchvision section in C++: Fashion-MNIST (from Debian's dataset-fashion-mnist
// package) through transforms.Compose([ToTensor(), Normalize((0.5,), (1.0,))]) and a shuffled
// DataLoader, printing the batch shapes as the seed prints batch.size().
//
//   make example-vision             (or: build/release/examples/fashion_mnist_batches [DATA_DIR])
//
// The datasets read <DATA_DIR>/FashionMNIST/raw/ (default DATA_DIR: data), as torchvision does;
// when that folder lacks the files, the Debian package's archives are linked into it
// (examples/common/fashion_mnist_files.h).
#include <ember/ember.h>

#include <exception>
#include <filesystem>
#include <iostream>

#include "common/fashion_mnist_files.h"

namespace fs = std::filesystem;
namespace T = ember::vision::transforms;
namespace datasets = ember::vision::datasets;

int main(int argc, char** argv) {
    const fs::path root = argc > 1 ? argv[1] : "data";
    try {
        examples::prepare_fashion_mnist(root);
        // transform = transforms.Compose([transforms.ToTensor(), transforms.Normalize((0.5,), (1.0,))])
        T::Compose transform({T::ToTensor(), T::Normalize({0.5}, {1.0})});
        // trainset = FashionMNIST(root, transform=transform, train=True); testset: train=False
        datasets::FashionMNIST trainset(root.string(), {.train = true, .transform = transform});
        datasets::FashionMNIST testset(root.string(), {.train = false, .transform = transform});
        std::cout << "train: " << trainset.size() << " images, test: " << testset.size()
                  << " images, classes: " << trainset.classes().size() << "\n"
                  << transform.repr() << "\n";

        ember::manual_seed(0);
        ember::data::DataLoader loader(trainset, {.batch_size = 64, .shuffle = true, .num_workers = 2});
        int64_t batches = 0, images = 0;
        for (auto& [x, y] : loader) {
            if (batches < 3)
                std::cout << "batch " << batches << ": images " << x.sizes() << " " << x.dtype()
                          << ", labels " << y.sizes() << " " << y.dtype() << "\n";
            ++batches;
            images += x.size(0);
        }
        std::cout << "...\n" << batches << " batches, " << images << " images; the last batch has "
                  << trainset.size() % 64 << "\n";
    } catch (const std::exception& e) {
        std::cerr << e.what() << "\n";
        return 1;
    }
    return 0;
}
