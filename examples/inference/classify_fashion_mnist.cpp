// Inference with the demo's checkpoint: rebuilds the seed's CNN, loads the weights `make demo`
// saved (model.safetensors), and classifies Fashion-MNIST test images in eval mode without
// recording gradients, printing the first few predictions and the accuracy over the test set.
//
//   classify_fashion_mnist [CHECKPOINT] [DATA_DIR] [COUNT]
//
// CHECKPOINT is a model.safetensors file or the demo's checkpoint folder (its newest epoch_N/ is
// used; default checkpoints/fashion_mnist_cnn); DATA_DIR holds FashionMNIST/raw/ (default data);
// COUNT images are shown one by one (default 10).
#include <ember/ember.h>

#include <chrono>
#include <cstdio>
#include <exception>
#include <filesystem>
#include <iostream>
#include <string>

#include "common/fashion_mnist_files.h"
#include "demo/checkpoint.h"
#include "demo/seed_cnn.h"

namespace fs = std::filesystem;
namespace T = ember::vision::transforms;
using ember::Tensor;

namespace {

// model.safetensors itself, or the one in the newest epoch folder of a checkpoint folder.
fs::path model_file(const fs::path& checkpoint) {
    if (!fs::is_directory(checkpoint)) return checkpoint;
    const auto latest = examples::latest_epoch(checkpoint);
    if (!latest)
        throw std::runtime_error("no epoch_N/ folder in " + checkpoint.string() +
                                 ": train first (make demo)");
    return examples::epoch_folder(checkpoint, *latest) / "model.safetensors";
}

int run(const fs::path& checkpoint, const fs::path& root, int64_t count) {
    const fs::path weights = model_file(checkpoint);
    const auto metadata = ember::load_metadata(weights.string());
    const auto exact = metadata.find("seed_exact");
    examples::SeedCNN model(exact != metadata.end() && exact->second == "true");
    model.load_state_dict(ember::load(weights.string()));
    model.eval();
    ember::NoGradGuard no_grad;
    const auto epoch = metadata.find("epoch");
    std::cout << "loaded " << weights.string() << " (trained "
              << (epoch != metadata.end() ? epoch->second : "?") << " epochs)\n";

    examples::prepare_fashion_mnist(root);
    T::Compose transform({T::ToTensor(), T::Normalize({0.5}, {1.0})});
    const ember::vision::datasets::FashionMNIST test(root.string(),
                                                     {.train = false, .transform = transform});
    const std::vector<std::string>& classes = test.classes();

    // One image at a time, as an application would: add the batch dimension, softmax the logits.
    for (int64_t i = 0; i < std::min(count, test.size()); ++i) {
        const auto [image, label] = test.get(i);
        const Tensor probabilities = ember::softmax(model(image.unsqueeze(0)), 1)[0];
        const int64_t predicted = probabilities.argmax().item<int64_t>();
        const int64_t truth = label.item<int64_t>();
        std::printf("image %lld: %-12s %5.1f%%   (true: %s)%s\n", static_cast<long long>(i),
                    classes[static_cast<size_t>(predicted)].c_str(),
                    100 * probabilities[predicted].item<double>(),
                    classes[static_cast<size_t>(truth)].c_str(), predicted == truth ? "" : "  <- wrong");
    }

    // The whole test set in batches.
    const auto start = std::chrono::steady_clock::now();
    ember::data::DataLoader loader(test, {.batch_size = 1000});
    ember::metrics::Accuracy accuracy({.task = "multiclass", .num_classes = 10});
    for (auto& [x, y] : loader) accuracy.update(model(x), y);
    const double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    std::printf("test accuracy %.2f%% on %lld images (%.0f images/s)\n",
                100 * accuracy.compute().item<double>(), static_cast<long long>(test.size()),
                static_cast<double>(test.size()) / seconds);
    return 0;
}

}  // namespace

int main(int argc, char** argv) {
    try {
        const fs::path checkpoint = argc > 1 ? argv[1] : "checkpoints/fashion_mnist_cnn";
        const fs::path root = argc > 2 ? argv[2] : "data";
        const int64_t count = argc > 3 ? std::stoll(argv[3]) : 10;
        return run(checkpoint, root, count);
    } catch (const std::exception& e) {
        std::cerr << "error: " << e.what() << "\n";
        return 1;
    }
}
