// read_idx on a crafted header (a fuzzer finding): sizes whose product overflows are an error
// even when another size is 0 and no data follows (they would give the tensor's strides).
#include <filesystem>
#include <fstream>

#include "ember/vision/datasets/idx.h"
#include "support/golden.h"
#include "vision/datasets/fixtures.h"

namespace ember::test {
namespace {

using namespace std::string_literals;

TEST(IdxBounds, AnEmptyShapeWhoseOtherSizesOverflowIsAnError) {
    ScratchDir dir("idx_bounds");
    const std::string path = dir / "zero-dim-idx";
    std::ofstream(path, std::ios::binary)
        << "\0\0\x08\x03"s << "\0\0\0\0\xff\x8c\x4e\xff\xf6\xff\x7f\xff"s;
    EXPECT_EMBER_ERROR(vision::datasets::read_idx(path), "read_idx", path.c_str(),
                       "[0, 4287385343, 4143939583]", "too large for any tensor");
}

}  // namespace
}  // namespace ember::test
