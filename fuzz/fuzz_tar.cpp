// Dataset archives as the downloader opens them (CIFAR's .tar.gz): gunzip when the bytes are
// gzipped, read the tar (ustar, GNU long names, pax headers) and extract its members into a
// scratch folder, which must refuse any member leaving it.
#include <filesystem>

#include "fuzz_support.h"
#include "vision/datasets/archive.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    namespace detail = ember::vision::datasets::detail;
    const std::string path = (ember_fuzz::scratch() / "input.tar.gz").string();
    const std::string folder = (ember_fuzz::scratch() / "extracted").string();
    ember_fuzz::expect_only_ember_errors(path, [&] {
        std::string bytes(reinterpret_cast<const char*>(data), size);
        if (detail::is_gzip(bytes)) bytes = detail::gunzip(bytes, path);
        detail::extract_members(detail::read_tar(bytes, path), folder, path);
    });
    std::error_code ec;
    std::filesystem::remove_all(folder, ec);
    return 0;
}
