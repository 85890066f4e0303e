// The MNIST family against torchvision on tiny fixtures (raw and .gz files), the real
// Fashion-MNIST from Debian's dataset-fashion-mnist package, and the error paths.
#include "ember/vision/datasets/mnist.h"

#include <filesystem>

#include "ember/data/dataloader.h"
#include "support/golden.h"
#include "vision/datasets/fixtures.h"

namespace ember::test {
namespace {

namespace vd = vision::datasets;

// Everything torchvision recorded for one dataset: sizes, targets, classes, all pixels, items.
void expect_matches(const vd::MNIST& ds, const json& g) {
    ASSERT_EQ(ds.size(), g["len"].get<int64_t>());
    EXPECT_EQ(ds.data().sizes(), g["shape"].get<std::vector<int64_t>>());
    EXPECT_EQ(ds.data().dtype(), DType::UInt8);
    EXPECT_EQ(ds.targets().dtype(), DType::Int64);
    EXPECT_EQ(tensor_md5(ds.data()), g["data_md5"].get<std::string>());
    const auto targets = g["targets"].get<std::vector<int64_t>>();
    for (int64_t i = 0; i < ds.size(); ++i) EXPECT_EQ(ds.targets()[i].item<int64_t>(), targets[size_t(i)]);
    EXPECT_EQ(ds.classes(), g["classes"].get<std::vector<std::string>>());
    for (const auto& item : g["items"]) {
        const int64_t i = item["index"];
        auto [image, target] = ds.item(i);
        EXPECT_EQ(target, item["target"].get<int64_t>());
        EXPECT_STREQ(image.mode(), item["mode"].get<std::string>().c_str());
        EXPECT_EQ(image.width(), item["size"][0].get<int64_t>());
        EXPECT_EQ(image.height(), item["size"][1].get<int64_t>());
        EXPECT_EQ(image_md5(image), item["md5"].get<std::string>());
    }
}

TEST(MNIST, MatchesTorchvisionOnTinyFiles) {
    const json golden = load_golden("vision_datasets");
    const std::string root = vision_data("mnist");
    for (bool train : {true, false}) {
        const std::string split = train ? "train" : "test";
        SCOPED_TRACE(split);
        expect_matches(vd::MNIST(root, {.train = train}), golden["mnist"]["MNIST_" + split]);
        expect_matches(vd::KMNIST(root, {.train = train}), golden["mnist"]["KMNIST_" + split]);
        // FashionMNIST's fixture folder holds the .gz archives only.
        expect_matches(vd::FashionMNIST(root, {.train = train}),
                       golden["mnist"]["FashionMNIST_" + split]);
        for (const std::string emnist_split : {"letters", "balanced"}) {
            SCOPED_TRACE(emnist_split);
            vd::EMNIST ds(root, emnist_split, {.train = train});
            EXPECT_EQ(ds.split(), emnist_split);
            expect_matches(ds, golden["mnist"]["EMNIST_" + emnist_split + "_" + split]);
        }
    }
}

TEST(MNIST, FolderNamesAndClasses) {
    const json golden = load_golden("vision_datasets");
    const std::string root = vision_data("mnist");
    vd::FashionMNIST fashion(root);
    EXPECT_EQ(fashion.name(), "FashionMNIST");
    EXPECT_EQ(fashion.raw_folder(), (std::filesystem::path(root) / "FashionMNIST" / "raw").string());
    EXPECT_EQ(fashion.class_to_idx().at("Ankle boot"), 9);
    EXPECT_TRUE(fashion.train());
    EXPECT_EQ(vd::MNIST(root).class_to_idx().at("3 - three"), 3);
    const json emnist_classes = golden["emnist_classes"];
    for (const auto& [split, classes] : emnist_classes.items()) {
        SCOPED_TRACE(split);
        EXPECT_EQ(vd::EMNIST::split_classes(split), classes.get<std::vector<std::string>>());
    }
    EXPECT_EQ(vd::EMNIST(root, "letters").classes(), vd::EMNIST::split_classes("letters"));
    EXPECT_EMBER_ERROR(vd::EMNIST(root, "digits"), "EMNIST", "dataset not found",
                       "emnist-digits-train-images-idx3-ubyte", "gzip.zip");
}

TEST(MNIST, ItemsViewTheDataAndGetAppliesTheTransforms) {
    vd::MNIST plain(vision_data("mnist"));
    auto [image, target] = plain.item(1);
    EXPECT_EQ(image.tensor().data_ptr(), plain.data()[1].data_ptr());  // no copy
    auto [x, y] = plain.get(1);
    EXPECT_EQ(x.sizes(), (std::vector<int64_t>{1, 6, 5}));  // uint8 [C, H, W]
    EXPECT_TENSOR_EQ(x[0], plain.data()[1]);
    EXPECT_EQ(y.dim(), 0);
    EXPECT_EQ(y.dtype(), DType::Int64);
    EXPECT_EQ(y.item<int64_t>(), target);

    vd::MNIST transformed(vision_data("mnist"),
                          {.transform = [](vision::transforms::ImageOrTensor in) {
                               return vision::transforms::as_tensor(std::move(in)).to(DType::Float32);
                           },
                           .target_transform = [](Tensor t) { return t + 100; }});
    auto [fx, fy] = transformed.get(1);
    EXPECT_EQ(fx.dtype(), DType::Float32);
    EXPECT_EQ(fy.item<int64_t>(), target + 100);

    EXPECT_EMBER_ERROR(plain.item(4), "MNIST", "4");
    EXPECT_EMBER_ERROR(plain.get(-1), "MNIST");
}

TEST(MNIST, BatchesThroughTheDataLoader) {
    vd::MNIST ds(vision_data("mnist"));
    data::DataLoader loader(ds, {.batch_size = 3});
    int64_t seen = 0;
    for (const auto& [x, y] : loader) {
        EXPECT_EQ(x.size(1), 1);
        EXPECT_EQ(x.size(0), y.size(0));
        seen += x.size(0);
    }
    EXPECT_EQ(seen, 4);
}

TEST(MNIST, ErrorsNameTheFiles) {
    EXPECT_EMBER_ERROR(vd::MNIST(vision_data("mnist_mismatch")), "MNIST",
                       "train-images-idx3-ubyte holds 4 images", "train-labels-idx1-ubyte holds 3 labels");
    EXPECT_EMBER_ERROR(vd::MNIST(vision_data("mnist_mismatch"), {.train = false}), "MNIST",
                       "t10k-labels-idx1-ubyte must hold uint8 labels", "int16");
    EXPECT_EMBER_ERROR(vd::MNIST(vision_data("no_such_root")), "MNIST: dataset not found",
                       "train-images-idx3-ubyte (or train-images-idx3-ubyte.gz)",
                       "download = true", "f68b3c2dcbeaaa9fbdd348bbdeb94873");
    EXPECT_EMBER_ERROR(vd::EMNIST(vision_data("mnist"), "bogus"), "EMNIST",
                       "unknown split \"bogus\"", "byclass, bymerge, balanced");
    // Images that are not [N, H, W] uint8.
    ScratchDir dir("mnist_images_shape");
    std::filesystem::create_directories(dir / "MNIST/raw");
    std::filesystem::copy_file(vision_data("mnist/MNIST/raw/train-labels-idx1-ubyte"),
                               dir / "MNIST/raw/train-images-idx3-ubyte");
    std::filesystem::copy_file(vision_data("mnist/MNIST/raw/train-labels-idx1-ubyte"),
                               dir / "MNIST/raw/train-labels-idx1-ubyte");
    EXPECT_EMBER_ERROR(vd::MNIST(dir.path()), "MNIST", "train-images-idx3-ubyte",
                       "must hold uint8 images [N, H, W]");
}

// The real data: Debian's dataset-fashion-mnist installs the four .gz archives, which a root
// whose FashionMNIST/raw links to that folder reads directly.
TEST(FashionMNIST, RealDataMatchesTorchvision) {
    const std::string debian = "/usr/share/datasets/fashion-mnist";
    ASSERT_TRUE(std::filesystem::exists(debian + "/train-images-idx3-ubyte.gz"))
        << debian << " is missing: run scripts/install-deps (it installs Debian's "
        << "dataset-fashion-mnist package)";
    ScratchDir root("fashion_real");
    std::filesystem::create_directories(root / "FashionMNIST");
    std::filesystem::create_directory_symlink(debian, root / "FashionMNIST/raw");
    const json golden = load_golden("vision_datasets");
    for (bool train : {true, false}) {
        const json& g = golden["fashion_mnist"][train ? "train" : "test"];
        SCOPED_TRACE(train ? "train" : "test");
        vd::FashionMNIST ds(root.path(), {.train = train});
        ASSERT_EQ(ds.size(), g["len"].get<int64_t>());
        EXPECT_EQ(ds.data().sizes(), (std::vector<int64_t>{ds.size(), 28, 28}));
        EXPECT_EQ(ds.classes(), g["classes"].get<std::vector<std::string>>());
        for (size_t i = 0; i < 5; ++i) {
            auto [image, target] = ds.item(int64_t(i));
            EXPECT_EQ(target, g["first"][i]["target"].get<int64_t>());
            EXPECT_EQ(image.tensor().to(DType::Int64).sum().item<int64_t>(),
                      g["first"][i]["pixel_sum"].get<int64_t>());
        }
        EXPECT_EQ(ds.targets().sum().item<int64_t>(), g["target_sum"].get<int64_t>());
        EXPECT_EQ(ds.data().to(DType::Int64).sum().item<int64_t>(), g["pixel_sum"].get<int64_t>());
    }
}

}  // namespace
}  // namespace ember::test

namespace ember::test {
namespace {

namespace vd = vision::datasets;

// QMNIST's int32 [N, 8] labels. Expected targets are the values written to the files: torchvision
// 0.14 misreads multi-byte IDX elements, so only its images are compared.
TEST(QMNIST, SubsetsImagesAndTargets) {
    const json golden = load_golden("vision_datasets");
    const std::string root = vision_data("mnist");
    for (const std::string what : {"train", "test", "test10k", "test50k", "nist"}) {
        SCOPED_TRACE(what);
        const json& g = golden["mnist"]["QMNIST_" + what];
        vd::QMNIST ds(root, {.what = what});
        EXPECT_EQ(ds.what(), what);
        ASSERT_EQ(ds.size(), g["len"].get<int64_t>());
        EXPECT_EQ(ds.data().sizes(), g["shape"].get<std::vector<int64_t>>());
        EXPECT_EQ(tensor_md5(ds.data()), g["data_md5"].get<std::string>());
        for (int64_t i = 0; i < ds.size(); ++i) {
            const auto row = g["targets"][size_t(i)].get<std::vector<int64_t>>();
            for (size_t k = 0; k < 8; ++k) EXPECT_EQ(ds.targets()[i][int64_t(k)].item<int64_t>(), row[k]);
            auto [image, target] = ds.item(i);
            EXPECT_EQ(target, row[0]);
            EXPECT_EQ(image_md5(image), g["items"][size_t(i)]["md5"].get<std::string>());
        }
    }
    vd::QMNIST train(root);  // what from train
    EXPECT_EQ(train.what(), "train");
    EXPECT_EQ(vd::QMNIST(root, {.train = false}).what(), "test");
    EXPECT_EQ(train.classes()[0], "0 - zero");
}

TEST(QMNIST, CompatTargets) {
    const std::string root = vision_data("mnist");
    vd::QMNIST compat(root);
    EXPECT_EQ(compat.get(1).second.dim(), 0);
    EXPECT_EQ(compat.get(1).second.item<int64_t>(), compat.targets()[1][0].item<int64_t>());
    vd::QMNIST full(root, {.compat = false, .target_transform = [](Tensor t) { return t * 2; }});
    const Tensor row = full.get(1).second;
    EXPECT_EQ(row.sizes(), (std::vector<int64_t>{8}));
    EXPECT_TENSOR_EQ(row, full.targets()[1] * 2);
}

TEST(QMNIST, Errors) {
    EXPECT_EMBER_ERROR(vd::QMNIST(vision_data("mnist"), {.what = "val"}), "QMNIST",
                       "unknown what \"val\"", "test10k");
    ScratchDir root("qmnist_nist_download");
    EXPECT_EMBER_ERROR(vd::QMNIST(root.path(), {.what = "nist", .download = true}), "QMNIST",
                       "cannot decompress", "xnist-images-idx3-ubyte (decompressed from "
                       "xnist-images-idx3-ubyte.xz)");
    // MNIST's uint8 label file where QMNIST expects int32 [N, 8].
    std::filesystem::create_directories(root / "QMNIST/raw");
    std::filesystem::copy_file(vision_data("mnist/MNIST/raw/train-images-idx3-ubyte"),
                               root / "QMNIST/raw/qmnist-train-images-idx3-ubyte");
    std::filesystem::copy_file(vision_data("mnist/MNIST/raw/train-labels-idx1-ubyte"),
                               root / "QMNIST/raw/qmnist-train-labels-idx2-int");
    EXPECT_EMBER_ERROR(vd::QMNIST(root.path()), "QMNIST", "qmnist-train-labels-idx2-int",
                       "must hold int32 labels [N, 8]");
}

}  // namespace
}  // namespace ember::test
