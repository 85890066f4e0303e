// The MNIST family's checks of the IDX files it reads, on crafted files (a bound added while
// fuzzing the readers): QMNIST's label rows must hold the class column that item() reads.
#include <filesystem>
#include <fstream>

#include "ember/vision/datasets/mnist.h"
#include "support/golden.h"
#include "vision/datasets/fixtures.h"

namespace ember::test {
namespace {

using namespace std::string_literals;

TEST(MnistBounds, QmnistLabelsWithoutColumnsAreAnError) {
    // One 2x2 image and an int32 label tensor [1, 0]: item(0) once read past its (empty) data.
    ScratchDir dir("qmnist_bounds");
    const auto raw = std::filesystem::path(dir.path()) / "QMNIST" / "raw";
    std::filesystem::create_directories(raw);
    std::ofstream(raw / "qmnist-test-images-idx3-ubyte", std::ios::binary)
        << "\0\0\x08\x03"s << "\0\0\0\x01\0\0\0\x02\0\0\0\x02"s << "\x01\x02\x03\x04"s;
    std::ofstream(raw / "qmnist-test-labels-idx2-int", std::ios::binary)
        << "\0\0\x0c\x02"s << "\0\0\0\x01\0\0\0\0"s;
    EXPECT_EMBER_ERROR(vision::datasets::QMNIST(dir.path(), {.what = "test"}), "QMNIST",
                       "qmnist-test-labels-idx2-int", "int32 labels [N, 8]", "[1, 0]");
}

}  // namespace
}  // namespace ember::test
