// Seed row 10: TorchVision's transforms.Compose([ToTensor(), Normalize((0.5,), (1.0,))]) and
// the MNIST training, validation and test sets, then one shuffled batch from a DataLoader.
// The seed downloads MNIST; the tests run offline, so this reads Fashion-MNIST (the same IDX
// format and sizes) from Debian's dataset-fashion-mnist package, linked into data/ in the
// working folder. Where a network is reachable, the seed's own call is
//     datasets::MNIST train_dataset(download_root, {.train = true, .transform = mnist_transform,
//                                                   .download = true});
//
//   build/release/examples/seed_10_transforms_mnist
//
// The output equals tools/golden/seed/10_transforms_mnist.py's under PyTorch and torchvision,
// shuffle included (CTest: Seed.10_transforms_mnist).
#include <ember/ember.h>

#include <exception>
#include <iostream>

#include "common/fashion_mnist_files.h"

using ember::Tensor;
namespace transforms = ember::vision::transforms;
namespace datasets = ember::vision::datasets;

int main() {
    try {
        examples::prepare_fashion_mnist("data");  // data/FashionMNIST/raw/*.gz

        // torch.manual_seed(0)
        ember::manual_seed(0);
        // mnist_transform = transforms.Compose([transforms.ToTensor(),
        //                                       transforms.Normalize((0.5,), (1.0,))])
        transforms::Compose mnist_transform({transforms::ToTensor(), transforms::Normalize({0.5}, {1.0})});
        std::cout << mnist_transform.repr() << "\n";

        // train_dataset = MNIST(download_root, transform=mnist_transform, train=True, download=True)
        // valid_dataset = MNIST(download_root, transform=mnist_transform, train=False, download=True)
        // test_dataset = MNIST(download_root, transform=mnist_transform, train=False, download=True)
        const char* download_root = "data";
        datasets::FashionMNIST train_dataset(download_root, {.train = true, .transform = mnist_transform});
        datasets::FashionMNIST valid_dataset(download_root, {.train = false, .transform = mnist_transform});
        datasets::FashionMNIST test_dataset(download_root, {.train = false, .transform = mnist_transform});
        std::cout << "train " << train_dataset.size() << " valid " << valid_dataset.size()
                  << " test " << test_dataset.size() << "\n";

        // image, label = train_dataset[0]: ToTensor scales to [0, 1], Normalize then subtracts 0.5
        auto [image, label] = train_dataset.get(0);
        std::cout << "first: " << image.sizes() << " " << image.dtype() << " label "
                  << label.item<int64_t>() << "\n";
        std::cout << "min " << image.min() << " max " << image.max() << " mean " << image.mean() << "\n";

        // loader = DataLoader(train_dataset, batch_size=64, shuffle=True)
        // images, labels = next(iter(loader))
        ember::data::DataLoader loader(train_dataset, {.batch_size = 64, .shuffle = true});
        auto& [images, labels] = *loader.begin();
        std::cout << "batch: " << images.sizes() << " " << images.dtype() << " " << labels.sizes()
                  << " " << labels.dtype() << "\n" << labels << "\n";
    } catch (const std::exception& e) {
        std::cerr << e.what() << "\n";
        return 1;
    }
    return 0;
}
