// read_idx: every element type (big-endian to host), gzipped or raw, and each corrupt file.
#include "ember/vision/datasets/idx.h"

#include "support/golden.h"
#include "vision/datasets/fixtures.h"

namespace ember::test {
namespace {

using vision::datasets::read_idx;

TEST(ReadIdx, EveryElementType) {
    const json golden = load_golden("vision_datasets");
    for (const auto& [name, entry] : golden["idx"].items()) {
        SCOPED_TRACE(name);
        const Tensor t = read_idx(vision_data("idx/" + name + "-idx"));
        EXPECT_TENSOR_EQ(t, tensor_from_json(entry));
    }
}

TEST(ReadIdx, RawAndGzippedFilesGiveTheSameTensor) {
    const Tensor raw = read_idx(vision_data("mnist/MNIST/raw/train-images-idx3-ubyte"));
    const Tensor gz = read_idx(vision_data("mnist/FashionMNIST/raw/train-images-idx3-ubyte.gz"));
    EXPECT_EQ(raw.sizes(), (std::vector<int64_t>{4, 6, 5}));
    EXPECT_EQ(raw.dtype(), DType::UInt8);
    EXPECT_TENSOR_EQ(gz, raw);
}

TEST(ReadIdx, CorruptFilesNameTheFileAndTheFault) {
    const std::string d = vision_data("idx/");
    EXPECT_EMBER_ERROR(read_idx(d + "bad-magic-idx"), "bad-magic-idx", "wrong magic number",
                       "0x1020803");
    EXPECT_EMBER_ERROR(read_idx(d + "bad-type-idx"), "bad-type-idx", "unknown element type code 0x7");
    EXPECT_EMBER_ERROR(read_idx(d + "four-dims-idx"), "four-dims-idx", "declares 4 dimensions");
    EXPECT_EMBER_ERROR(read_idx(d + "truncated-idx"), "truncated-idx", "is truncated",
                       "[4, 6, 5] (120 bytes of data) but only 113 bytes follow");
    EXPECT_EMBER_ERROR(read_idx(d + "huge-dims-idx"), "huge-dims-idx", "is truncated",
                       "[4294967295, 4294967295, 4294967295] (more bytes of data) but only 8 bytes");
    EXPECT_EMBER_ERROR(read_idx(d + "short-header-idx"), "short-header-idx", "truncated",
                       "16-byte header");
    EXPECT_EMBER_ERROR(read_idx(d + "extra-bytes-idx"), "extra-bytes-idx", "2 bytes after");
    EXPECT_EMBER_ERROR(read_idx(d + "truncated-gz-idx"), "truncated-gz-idx", "gunzip", "truncated");
    EXPECT_EMBER_ERROR(read_idx(d + "empty-idx"), "empty-idx", "truncated", "0 bytes");
    EXPECT_EMBER_ERROR(read_idx(d + "no-such-file"), "read_idx", "cannot open", "no-such-file");
    EXPECT_EMBER_ERROR(read_idx(d), "read_idx", "is a folder");
}

}  // namespace
}  // namespace ember::test
