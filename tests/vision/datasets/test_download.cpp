// download = true, offline: libcurl fetches the fixture archives from file:// mirrors; MD5
// checks, extraction (gzip, zip, tar.gz), files already present never fetched again, and the
// message of a failed download.
#include <filesystem>
#include <fstream>
#include <iterator>

#include "ember/vision/datasets/cifar.h"
#include "ember/vision/datasets/mnist.h"
#include "support/golden.h"
#include "vision/datasets/fixtures.h"
#include "vision/datasets/md5.h"

namespace ember::test {
namespace {

namespace fs = std::filesystem;
namespace vd = vision::datasets;

std::string file_mirror() {
    return "file://" + fs::canonical(vision_data("mirror")).string() + "/";
}
// Nothing listens there: the connection is refused at once, as on a machine with no network.
const std::string kDeadMirror = "http://127.0.0.1:9/";

std::map<std::string, std::string> mirror_md5s() {
    const json golden = load_golden("vision_datasets");
    auto md5s = golden["mirror_md5"].get<std::map<std::string, std::string>>();
    const auto cifar = golden["cifar"]["md5"].get<std::map<std::string, std::string>>();
    md5s.insert(cifar.begin(), cifar.end());
    return md5s;
}

TEST(Download, Md5MatchesPythonsHashlib) {
    const auto md5s = load_golden("vision_datasets")["mirror_md5"].get<std::map<std::string, std::string>>();
    for (const auto& [name, md5] : md5s) {
        SCOPED_TRACE(name);
        std::ifstream in(vision_data("mirror/" + name), std::ios::binary);
        const std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
        EXPECT_EQ(vd::detail::md5_hex(bytes), md5);
    }
}

TEST(Download, MnistFromAMirrorThenNeverAgain) {
    const json golden = load_golden("vision_datasets");
    ScratchDir root("download_mnist");
    // The first mirror lacks the files: the next one is tried.
    vd::MNIST ds(root.path(), {.download = true,
                               .mirrors = {"file:///nonexistent/mirror/", file_mirror()},
                               .md5 = mirror_md5s()});
    EXPECT_EQ(tensor_md5(ds.data()), golden["mnist"]["MNIST_train"]["data_md5"].get<std::string>());
    for (const char* name : {"train-images-idx3-ubyte", "t10k-labels-idx1-ubyte"}) {
        EXPECT_TRUE(fs::exists(root / (std::string("MNIST/raw/") + name)));
        EXPECT_TRUE(fs::exists(root / (std::string("MNIST/raw/") + name + ".gz")));
    }
    // Present files are used as they are: the dead mirror is never asked.
    vd::MNIST again(root.path(), {.train = false, .download = true, .mirrors = {kDeadMirror}});
    EXPECT_EQ(again.size(), 3);
    // A decompressed file removed is extracted again from its archive, still without a fetch.
    fs::remove(root / "MNIST/raw/train-images-idx3-ubyte");
    vd::MNIST extracted(root.path(), {.download = true, .mirrors = {kDeadMirror},
                                      .md5 = mirror_md5s()});
    EXPECT_TENSOR_EQ(extracted.data(), ds.data());
}

TEST(Download, OfflineFailureSaysWhatToPlaceWhere) {
    ScratchDir root("download_offline");
    const std::string raw = (fs::path(root.path()) / "FashionMNIST" / "raw").string();
    EXPECT_EMBER_ERROR(vd::FashionMNIST(root.path(), {.download = true, .mirrors = {kDeadMirror}}),
                       "FashionMNIST: download failed", "http://127.0.0.1:9/train-images-idx3-ubyte.gz",
                       "place these files in", raw.c_str(),
                       "train-images-idx3-ubyte.gz (MD5 8d4fb7e6c68d591d4c3dfef9ec88bf0d)",
                       "t10k-labels-idx1-ubyte.gz");
    EXPECT_EMBER_ERROR(vd::CIFAR10(root.path(), {.download = true, .mirrors = {kDeadMirror}}),
                       "CIFAR10: download failed", "cifar-10-python.tar.gz",
                       "data_batch_1 data_batch_2", "batches.meta");
}

TEST(Download, WrongMd5IsRejected) {
    ScratchDir root("download_md5");
    EXPECT_EMBER_ERROR(vd::MNIST(root.path(), {.download = true, .mirrors = {file_mirror()}}),
                       "MNIST: download failed", "differs from the expected",
                       "f68b3c2dcbeaaa9fbdd348bbdeb94873");
    EXPECT_FALSE(fs::exists(root / "MNIST/raw/train-images-idx3-ubyte.gz"));
}

TEST(Download, EmnistZip) {
    const json golden = load_golden("vision_datasets");
    ScratchDir root("download_emnist");
    vd::EMNIST ds(root.path(), "letters",
                  {.download = true, .mirrors = {file_mirror()}, .md5 = mirror_md5s()});
    EXPECT_EQ(tensor_md5(ds.data()),
              golden["mnist"]["EMNIST_letters_train"]["data_md5"].get<std::string>());
    vd::EMNIST balanced(root.path(), "balanced", {.train = false});
    EXPECT_EQ(tensor_md5(balanced.data()),
              golden["mnist"]["EMNIST_balanced_test"]["data_md5"].get<std::string>());
}

TEST(Download, CifarTarGz) {
    const json golden = load_golden("vision_datasets");
    ScratchDir root("download_cifar");
    vd::CIFAR10 c10(root.path(), {.download = true, .mirrors = {file_mirror()}, .md5 = mirror_md5s()});
    EXPECT_EQ(tensor_md5(c10.data()), golden["cifar"]["CIFAR10_train"]["data_md5"].get<std::string>());
    EXPECT_TRUE(fs::exists(root / "cifar-10-batches-py/test_batch"));
    vd::CIFAR100 c100(root.path(), {.train = false, .download = true, .mirrors = {file_mirror()},
                                    .md5 = mirror_md5s()});
    EXPECT_EQ(tensor_md5(c100.data()), golden["cifar"]["CIFAR100_test"]["data_md5"].get<std::string>());
    // Intact files: nothing is fetched.
    vd::CIFAR10 again(root.path(), {.train = false, .download = true, .mirrors = {kDeadMirror},
                                    .md5 = mirror_md5s()});
    EXPECT_EQ(again.size(), 2);
}

}  // namespace
}  // namespace ember::test
