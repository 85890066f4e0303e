// The seed's torchvision section in C++: Fashion-MNIST (from Debian's dataset-fashion-mnist
// package) through transforms.Compose([ToTensor(), Normalize((0.5,), (1.0,))]) and a shuffled
// DataLoader, printing the batch shapes as the seed prints batch.size().
//
//   make example-vision             (or: build/release/examples/fashion_mnist_batches [DATA_DIR])
//
// The datasets read <DATA_DIR>/FashionMNIST/raw/ (default DATA_DIR: data), as torchvision does;
// when that folder lacks the files, the Debian package's archives are linked into it.
#include <ember/ember.h>

#include <cstdio>
#include <filesystem>
#include <iostream>
#include <string>

namespace fs = std::filesystem;
namespace T = ember::vision::transforms;
namespace datasets = ember::vision::datasets;

namespace {

constexpr const char* kDebianFolder = "/usr/share/datasets/fashion-mnist";

// Links the Debian archives into <root>/FashionMNIST/raw/ where no file of that name is present.
void link_debian_files(const fs::path& root) {
    const fs::path raw = root / "FashionMNIST" / "raw";
    fs::create_directories(raw);
    for (const char* name : {"train-images-idx3-ubyte", "train-labels-idx1-ubyte",
                             "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte"}) {
        const fs::path archive = fs::path(kDebianFolder) / (std::string(name) + ".gz");
        if (fs::exists(raw / name) || fs::exists(raw / archive.filename()) || !fs::exists(archive))
            continue;
        fs::create_symlink(archive, raw / archive.filename());
    }
}

}  // namespace

int main(int argc, char** argv) {
    const fs::path root = argc > 1 ? argv[1] : "data";
    try {
        link_debian_files(root);
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
    } catch (const ember::Error& e) {
        std::cerr << e.what() << "\n";
        return 1;
    }
    return 0;
}
