// Zip archives as EMNIST's download is opened: read the zip (stored and deflated members), then
// gunzip each member named *.gz.
#include "fuzz_support.h"
#include "vision/datasets/archive.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    namespace detail = ember::vision::datasets::detail;
    const std::string path = (ember_fuzz::scratch() / "input.zip").string();
    ember_fuzz::expect_only_ember_errors(path, [&] {
        const std::string bytes(reinterpret_cast<const char*>(data), size);
        for (const detail::ArchiveMember& m : detail::read_zip(bytes, path))
            if (m.name.ends_with(".gz")) detail::gunzip(m.data, path + ": " + m.name);
    });
    return 0;
}
