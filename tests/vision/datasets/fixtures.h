// Shared helpers for the dataset tests: the fixture folders under tests/data/vision (written by
// tools/golden/vision_datasets.py), per-test scratch folders and image digests.
#pragma once

#include <unistd.h>

#include <filesystem>
#include <string>
#include <string_view>

#include "ember/vision/image.h"
#include "vision/datasets/md5.h"

namespace ember::test {

inline std::string vision_data(const std::string& relative = "") {
    return std::string(EMBER_GOLDEN_DIR) + "/../data/vision/" + relative;
}

// An empty folder of its own for one test (CTest runs tests in parallel), removed by the
// destructor.
class ScratchDir {
public:
    explicit ScratchDir(const std::string& name)
        : path_((std::filesystem::temp_directory_path() /
                 ("ember_test_vdata_" + name + "_" + std::to_string(::getpid())))
                    .string()) {
        std::filesystem::remove_all(path_);
        std::filesystem::create_directories(path_);
    }
    ~ScratchDir() {
        std::error_code ec;
        std::filesystem::remove_all(path_, ec);
    }
    const std::string& path() const { return path_; }
    std::string operator/(const std::string& relative) const { return path_ + "/" + relative; }

private:
    std::string path_;
};

// The MD5 of an image's HWC bytes, as the golden script records np.array(pil_image).
inline std::string image_md5(const vision::Image& image) {
    return vision::datasets::detail::md5_hex(std::string_view(
        reinterpret_cast<const char*>(image.data()),
        static_cast<size_t>(image.height() * image.width() * image.channels())));
}

inline std::string tensor_md5(const Tensor& t) {
    const Tensor c = t.contiguous();
    return vision::datasets::detail::md5_hex(std::string_view(
        static_cast<const char*>(c.data_ptr()), static_cast<size_t>(c.numel() * c.element_size())));
}

}  // namespace ember::test
