// IDX files (MNIST's format), raw or gzipped, through ember::vision::datasets::read_idx.
#include "ember/vision/datasets/idx.h"
#include "fuzz_support.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    const std::string path = ember_fuzz::write_input("input.idx", data, size);
    ember_fuzz::expect_only_ember_errors(path, [&] { ember::vision::datasets::read_idx(path); });
    return 0;
}
