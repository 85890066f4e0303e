// CIFAR-10/100 against torchvision on pickles written as the real ones (Python 2 protocol 2),
// CIFAR-10's binary release, the MD5 checks and the corrupt files.
#include "ember/vision/datasets/cifar.h"

#include <filesystem>

#include "support/golden.h"
#include "vision/datasets/fixtures.h"

namespace ember::test {
namespace {

namespace vd = vision::datasets;

void expect_matches(const vd::CIFAR10& ds, const json& g) {
    ASSERT_EQ(ds.size(), g["len"].get<int64_t>());
    EXPECT_EQ(ds.data().sizes(), (std::vector<int64_t>{ds.size(), 32, 32, 3}));
    EXPECT_EQ(tensor_md5(ds.data()), g["data_md5"].get<std::string>());
    EXPECT_EQ(ds.classes(), g["classes"].get<std::vector<std::string>>());
    const auto targets = g["targets"].get<std::vector<int64_t>>();
    for (int64_t i = 0; i < ds.size(); ++i) {
        SCOPED_TRACE(i);
        EXPECT_EQ(ds.targets()[i].item<int64_t>(), targets[size_t(i)]);
        auto [image, target] = ds.item(i);
        const json& item = g["items"][size_t(i)];
        EXPECT_EQ(target, item["target"].get<int64_t>());
        EXPECT_STREQ(image.mode(), "RGB");
        EXPECT_EQ(image.width(), 32);
        EXPECT_EQ(image_md5(image), item["md5"].get<std::string>());
    }
}

// The fixture files' own MD5s, which replace the release's.
std::map<std::string, std::string> fixture_md5s() {
    const json golden = load_golden("vision_datasets");
    return golden["cifar"]["md5"].get<std::map<std::string, std::string>>();
}

TEST(CIFAR, MatchesTorchvision) {
    const json golden = load_golden("vision_datasets");
    const std::string root = vision_data("cifar");
    for (bool train : {true, false}) {
        const std::string split = train ? "train" : "test";
        SCOPED_TRACE(split);
        expect_matches(vd::CIFAR10(root, {.train = train, .md5 = fixture_md5s()}),
                       golden["cifar"]["CIFAR10_" + split]);
        expect_matches(vd::CIFAR100(root, {.train = train, .md5 = fixture_md5s()}),
                       golden["cifar"]["CIFAR100_" + split]);
    }
}

TEST(CIFAR, ReadsTheBinaryRelease) {
    const json golden = load_golden("vision_datasets");
    ScratchDir root("cifar_bin");
    std::filesystem::copy(vision_data("cifar/cifar-10-batches-bin"), root / "cifar-10-batches-bin");
    for (bool train : {true, false}) {
        SCOPED_TRACE(train);
        expect_matches(vd::CIFAR10(root.path(), {.train = train}),
                       golden["cifar"][train ? "CIFAR10_train" : "CIFAR10_test"]);
    }
}

TEST(CIFAR, ReadsPicklesWrittenByPython3) {
    const json golden = load_golden("vision_datasets");
    for (const char* protocol : {"protocol2", "protocol3"}) {
        SCOPED_TRACE(protocol);
        vd::CIFAR10 ds(vision_data(std::string("cifar_py3/") + protocol),
                       {.train = false, .check_integrity = false});
        EXPECT_EQ(tensor_md5(ds.data()), golden["cifar"]["CIFAR10_test"]["data_md5"].get<std::string>());
        EXPECT_EQ(ds.classes(), golden["cifar"]["CIFAR10_test"]["classes"].get<std::vector<std::string>>());
    }
}

TEST(CIFAR, GetReturnsChwImagesAndInt64Targets) {
    vd::CIFAR10 ds(vision_data("cifar"), {.train = false, .md5 = fixture_md5s()});
    auto [x, y] = ds.get(1);
    EXPECT_EQ(x.sizes(), (std::vector<int64_t>{3, 32, 32}));
    EXPECT_TENSOR_EQ(x, ds.data()[1].permute({2, 0, 1}));
    EXPECT_EQ(y.item<int64_t>(), ds.targets()[1].item<int64_t>());
    EXPECT_EQ(ds.class_to_idx().at("truck"), 9);
    EXPECT_EMBER_ERROR(ds.item(2), "CIFAR10", "2");
}

TEST(CIFAR, ChecksTheReleaseMd5s) {
    // The fixtures are not the release: torchvision's MD5 check rejects them, and so does ember.
    EXPECT_EMBER_ERROR(vd::CIFAR10(vision_data("cifar")), "CIFAR10",
                       "dataset not found or corrupted", "data_batch_1 has MD5",
                       "c99cafc152244af753f735de768cd75f", "download = true");
    EXPECT_EMBER_ERROR(vd::CIFAR100(vision_data("cifar"), {.train = false}), "CIFAR100",
                       "train has MD5", "16019d7e3df5f24257cddd939b257f8d");
    EXPECT_EMBER_ERROR(vd::CIFAR10(vision_data("no_such_root")), "CIFAR10",
                       "dataset not found or corrupted", "data_batch_1 is missing");
    auto md5s = fixture_md5s();
    md5s["batches.meta"] = "00000000000000000000000000000000";
    EXPECT_EMBER_ERROR(vd::CIFAR10(vision_data("cifar"), {.md5 = md5s}), "CIFAR10",
                       "batches.meta has MD5");
}

TEST(CIFAR, CorruptFilesNameTheFileAndTheFault) {
    const std::string bad = vision_data("cifar_bad/");
    EXPECT_EMBER_ERROR(vd::CIFAR10(bad + "truncated", {.check_integrity = false}), "read_pickle",
                       "data_batch_2", "truncated");
    EXPECT_EMBER_ERROR(vd::CIFAR10(bad + "not_a_dict", {.check_integrity = false}), "CIFAR10",
                       "data_batch_1", "holds a list, not a dict");
    EXPECT_EMBER_ERROR(vd::CIFAR10(bad + "label_count", {.train = false, .check_integrity = false}),
                       "CIFAR10", "test_batch", "holds 1 images but 3 labels");
    EXPECT_EMBER_ERROR(vd::CIFAR10(bad + "protocol4", {.train = false, .check_integrity = false}),
                       "read_pickle", "test_batch", "pickle protocol 4");
    EXPECT_EMBER_ERROR(vd::CIFAR10(bad + "bin_size", {.train = false}), "CIFAR10",
                       "test_batch.bin", "not a whole number of 3073-byte records");
}

}  // namespace
}  // namespace ember::test
