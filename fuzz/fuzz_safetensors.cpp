// safetensors files (ember's state-dict checkpoints) through ember::load and
// ember::load_metadata, and optimizer state files (safetensors with JSON metadata) through
// ember::optim::StateDict::load.
#include "ember/io/serialize.h"
#include "ember/optim/optimizer.h"
#include "fuzz_support.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    const std::string path = ember_fuzz::write_input("input.safetensors", data, size);
    // Reading every value catches bools that are neither 0 nor 1 (UBSan's bool check).
    ember_fuzz::expect_only_ember_errors(path, [&] {
        for (const auto& [name, t] : ember::load(path)) t.to(ember::DType::Float64);
    });
    ember_fuzz::expect_only_ember_errors(path, [&] { ember::load_metadata(path); });
    ember_fuzz::expect_only_ember_errors(path, [&] { ember::optim::StateDict::load(path); });
    return 0;
}
