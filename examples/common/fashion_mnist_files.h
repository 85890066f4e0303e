// Finds Fashion-MNIST for the examples: the files under <root>/FashionMNIST/raw/ as torchvision
// keeps them, or else Debian's dataset-fashion-mnist package, whose archives are linked there.
#pragma once

#include <filesystem>
#include <stdexcept>
#include <string>

namespace examples {

inline constexpr const char* kDebianFashionMnist = "/usr/share/datasets/fashion-mnist";

// Makes <root>/FashionMNIST/raw/ hold the four files (as they are, or as .gz archives), linking
// the Debian package's archives for those missing. Throws with what to install, or which files
// to place where, when a file can be found nowhere.
inline void prepare_fashion_mnist(const std::filesystem::path& root) {
    namespace fs = std::filesystem;
    const fs::path raw = root / "FashionMNIST" / "raw";
    fs::create_directories(raw);
    std::string missing;
    for (const char* name : {"train-images-idx3-ubyte", "train-labels-idx1-ubyte",
                             "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte"}) {
        const fs::path archive = fs::path(kDebianFashionMnist) / (std::string(name) + ".gz");
        if (fs::exists(raw / name) || fs::exists(raw / archive.filename())) continue;
        if (fs::exists(archive)) {
            fs::create_symlink(archive, raw / archive.filename());
        } else {
            missing += std::string(missing.empty() ? "" : ", ") + name + ".gz";
        }
    }
    if (!missing.empty())
        throw std::runtime_error(
            "Fashion-MNIST not found. Install Debian's package (as root: apt-get install "
            "dataset-fashion-mnist, which puts the files in " + std::string(kDebianFashionMnist) +
            "), or place " + missing + " (from https://github.com/zalandoresearch/fashion-mnist)"
            " in " + raw.string() + "/");
}

}  // namespace examples
