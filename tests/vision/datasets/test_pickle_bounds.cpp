// The CIFAR pickle reader and the dataset's checks of what it read, on crafted pickles (fuzzer
// findings and the bounds added for them): every corruption is an ember::Error naming the file,
// never a crash, an overflow or a leaked cycle of values.
#include <filesystem>
#include <fstream>

#include "ember/vision/datasets/cifar.h"
#include "support/golden.h"
#include "vision/datasets/fixtures.h"
#include "vision/datasets/pickle.h"

namespace ember::test {
namespace {

namespace vd = vision::datasets;
using namespace std::string_literals;  // "..."s keeps the NUL bytes of the opcodes

TEST(PickleBounds, ATupleOfItemsBelowTheMarkIsAnError) {
    // MARK above two ints, TUPLE2 takes both from below it, TUPLE then pops to a mark beyond the
    // stack's top: once a vector built from an inverted range.
    const std::string p = "\x80\x02K\x01K\x02(\x86t."s;
    EXPECT_EMBER_ERROR(vd::detail::read_pickle(p, "below.pickle"), "read_pickle", "below.pickle",
                       "stack underflow", "at byte 7");
}

TEST(PickleBounds, AListHoldingItselfIsAnError) {
    // An empty list memoised, fetched back and appended to itself: a cycle of shared pointers
    // that was never freed.
    const std::string p = "\x80\x02]q\x00h\x00" "a."s;
    EXPECT_EMBER_ERROR(vd::detail::read_pickle(p, "cycle.pickle"), "read_pickle", "cycle.pickle",
                       "a container that holds itself");
    // Through two lists as well: A holds B, then B is given A.
    const std::string two = "\x80\x02]q\x00]q\x01" "ah\x01h\x00" "aa."s;
    EXPECT_EMBER_ERROR(vd::detail::read_pickle(two, "cycle2.pickle"), "read_pickle",
                       "a container that holds itself");
}

// A CIFAR-10 test batch holding `batch` as its pickle (train = false reads only test_batch).
class CifarBatch {
public:
    explicit CifarBatch(const std::string& batch) : dir_("pickle_bounds") {
        const auto folder = std::filesystem::path(dir_.path()) / "cifar-10-batches-py";
        std::filesystem::create_directories(folder);
        std::ofstream(folder / "test_batch", std::ios::binary) << batch;
    }
    const std::string& root() const { return dir_.path(); }

private:
    ScratchDir dir_;
};

// {"data": <array>, "labels": []} around the opcodes of an array.
std::string cifar_dict(const std::string& array) {
    return "\x80\x02}(U\x04" "data"s + array + "U\x06" "labels]u."s;
}

const std::string kReconstruct = "cnumpy.core.multiarray\n_reconstruct\n)R";

TEST(PickleBounds, AnArrayNeverGivenItsStateIsAnErrorNotANullDtype) {
    const CifarBatch batch(cifar_dict(kReconstruct));
    EXPECT_EMBER_ERROR(vd::CIFAR10(batch.root(), {.train = false, .check_integrity = false}),
                       "CIFAR10", "test_batch", "must be a uint8 numpy array [N, 3072]");
}

TEST(PickleBounds, ARowCountWhoseByteCountOverflowsIsAnError) {
    // shape (2^62, 3072) over no bytes: 2^62 * 3072 is 0 modulo 2^64 (a signed overflow).
    const std::string shape = "\x8a\x08\0\0\0\0\0\0\0\x40M\x00\x0c\x86"s;
    const std::string dtype = "cnumpy\ndtype\n(U\x02u1tR(K\x03U\x01|tb"s;
    const std::string state = "(K\x01"s + shape + dtype + "\x89U\x00tb"s;
    const CifarBatch batch(cifar_dict(kReconstruct + state));
    EXPECT_EMBER_ERROR(vd::CIFAR10(batch.root(), {.train = false, .check_integrity = false}),
                       "CIFAR10", "test_batch", "must be a uint8 numpy array [N, 3072]");
}

}  // namespace
}  // namespace ember::test
