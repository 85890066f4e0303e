// NumPy .npy files through ember::io::load_npy.
#include "ember/io/npy.h"
#include "fuzz_support.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    const std::string path = ember_fuzz::write_input("input.npy", data, size);
    // Reading every value catches bools that are neither 0 nor 1 (UBSan's bool check).
    ember_fuzz::expect_only_ember_errors(
        path, [&] { ember::io::load_npy(path).to(ember::DType::Float64); });
    return 0;
}
