// A Dataset of your own: images in a folder plus a labels.csv naming each file's class (the
// layout most data sets come in), read by a class that derives from ember::data::Dataset as
// the seed's CustomDataset derives from torch.utils.data.Dataset: the constructor loads the
// index, size() is __len__, get() is __getitem__. random_split makes a validation set, a
// DataLoader with worker threads reads the images, an MLP learns them with Adam.
//
//   custom_dataset [WORK_DIR] [DATA_DIR]
//
// To have a folder to read, it first writes 2,000 Fashion-MNIST test images as PNG files into
// WORK_DIR/images/ (default: custom_dataset) with WORK_DIR/labels.csv beside them.
#include <ember/ember.h>

#include <cstdio>
#include <exception>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <string>
#include <utility>
#include <vector>

#include "common/fashion_mnist_files.h"

namespace fs = std::filesystem;
namespace F = ember::nn::functional;
namespace T = ember::vision::transforms;
using ember::Tensor;

namespace {

// The seed's CustomDataset, for images: labels.csv has the columns filename and label.
class LabeledImageFolder : public ember::data::Dataset<std::pair<Tensor, Tensor>> {
public:
    // __init__: read the index once; the images are read when asked for.
    LabeledImageFolder(const fs::path& folder, T::AnyTransform transform)
        : folder_(folder), transform_(std::move(transform)) {
        const ember::io::CsvTable table = ember::io::read_csv((folder / "labels.csv").string());
        files_ = table.strings("filename");
        labels_ = table["label"];  // int64 [rows]
    }
    // __len__
    int64_t size() const override { return static_cast<int64_t>(files_.size()); }
    // __getitem__: called from several worker threads at once, so it only reads members.
    std::pair<Tensor, Tensor> get(int64_t index) const override {
        const ember::vision::Image image = ember::vision::load_image(
            (folder_ / "images" / files_[static_cast<size_t>(index)]).string(),
            ember::vision::ImageReadMode::Gray);
        return {T::as_tensor(transform_(image)), labels_[index]};
    }

private:
    fs::path folder_;
    T::AnyTransform transform_;
    std::vector<std::string> files_;
    Tensor labels_;
};

// Writes the first n Fashion-MNIST test images as PNG files plus labels.csv.
void write_image_folder(const fs::path& folder, const fs::path& data, int64_t n) {
    examples::prepare_fashion_mnist(data);
    const ember::vision::datasets::FashionMNIST source(data.string(), {.train = false});
    fs::create_directories(folder / "images");
    std::ofstream labels(folder / "labels.csv");
    labels << "filename,label\n";
    for (int64_t i = 0; i < n; ++i) {
        const auto [image, label] = source.item(i);
        const std::string name = "image_" + std::to_string(i) + ".png";
        ember::vision::save_png(image, (folder / "images" / name).string());
        labels << name << "," << label << "\n";
    }
}

int run(const fs::path& folder, const fs::path& data) {
    ember::manual_seed(0);
    write_image_folder(folder, data, 2000);

    T::Compose transform({T::RandomHorizontalFlip(), T::ToTensor(), T::Normalize({0.5}, {1.0})});
    LabeledImageFolder images(folder, transform);
    auto splits = ember::data::random_split(images, {0.8, 0.2});
    std::cout << "LabeledImageFolder: " << images.size() << " images; " << splits[0].size()
              << " to train, " << splits[1].size() << " to validate\n";
    ember::data::DataLoader train_loader(splits[0],
                                         {.batch_size = 32, .shuffle = true, .num_workers = 2});
    ember::data::DataLoader valid_loader(splits[1], {.batch_size = 200, .num_workers = 2});

    // Braces: the layers draw their initial weights in the written order, as in PyTorch.
    ember::nn::Sequential model{ember::nn::Flatten(), ember::nn::Linear(28 * 28, 128),
                                ember::nn::ReLU(), ember::nn::Linear(128, 10)};
    ember::optim::Adam optimizer(model.parameters(), {.lr = 1e-3});
    for (int epoch = 1; epoch <= 5; ++epoch) {
        model.train();
        ember::metrics::MeanMetric train_loss;
        for (auto& [x, y] : train_loader) {
            optimizer.zero_grad();
            Tensor loss = F::cross_entropy(model(x), y);
            loss.backward();
            optimizer.step();
            train_loss.update(loss.detach());
        }
        model.eval();
        ember::NoGradGuard no_grad;
        ember::metrics::Accuracy accuracy({.task = "multiclass", .num_classes = 10});
        for (auto& [x, y] : valid_loader) accuracy.update(model(x), y);
        std::printf("epoch %d: train loss %.4f, valid accuracy %.2f%%\n", epoch,
                    train_loss.compute().item<double>(), 100 * accuracy.compute().item<double>());
    }
    return 0;
}

}  // namespace

int main(int argc, char** argv) {
    try {
        return run(argc > 1 ? argv[1] : "custom_dataset", argc > 2 ? argv[2] : "data");
    } catch (const std::exception& e) {
        std::cerr << "error: " << e.what() << "\n";
        return 1;
    }
}
