// Image files through stb_image and stb_image_write. The implementations are compiled here with
// static linkage (STB_*_STATIC), so they never clash with another copy of stb in a program.
#include "ember/vision/image_io.h"

#include <cstring>
#include <memory>

#include "ember/core/error.h"
#include "vision/datasets/archive.h"

#define STB_IMAGE_STATIC
#define STB_IMAGE_IMPLEMENTATION
#define STBI_FAILURE_USERMSG
#include <stb/stb_image.h>
#define STB_IMAGE_WRITE_STATIC
#define STB_IMAGE_WRITE_IMPLEMENTATION
#include <stb/stb_image_write.h>

namespace ember::vision {

namespace {

// A format stb cannot decode, named from the file's magic bytes; nullptr when not recognised.
const char* unsupported_format(const std::string& bytes) {
    if (bytes.starts_with("II*\0") || bytes.starts_with("MM\0*")) return "TIFF";
    if (bytes.size() >= 12 && bytes.starts_with("RIFF") && bytes.compare(8, 4, "WEBP") == 0)
        return "WebP";
    return nullptr;
}

}  // namespace

Image load_image(const std::string& path, ImageReadMode mode) {
    const std::string bytes = datasets::detail::read_file(path, "load_image");
    if (const char* format = unsupported_format(bytes))
        EMBER_ERROR("load_image: ", path, " is a ", format,
                    " image, which ember cannot decode (it reads PNG, JPEG, BMP, PGM/PPM, GIF, "
                    "TGA); convert it to PNG");
    int width = 0, height = 0, channels = 0;
    const auto* data = reinterpret_cast<const stbi_uc*>(bytes.data());
    const int length = static_cast<int>(bytes.size());
    EMBER_CHECK(bytes.size() < size_t(1) << 31, "load_image: ", path, " is too large (",
                bytes.size(), " bytes)");
    EMBER_CHECK(stbi_info_from_memory(data, length, &width, &height, &channels), "load_image: ",
                path, " is not a readable image (", stbi_failure_reason(),
                "); ember reads PNG, JPEG, BMP, PGM/PPM, GIF, TGA");
    int wanted = 3;
    if (mode == ImageReadMode::Gray || (mode == ImageReadMode::Unchanged && channels <= 2))
        wanted = 1;
    std::unique_ptr<stbi_uc, void (*)(void*)> pixels(
        stbi_load_from_memory(data, length, &width, &height, &channels, wanted), stbi_image_free);
    EMBER_CHECK(pixels != nullptr, "load_image: ", path, " is corrupt (",
                stbi_failure_reason(), ")");
    Image image(height, width, wanted);
    std::memcpy(image.data(), pixels.get(), size_t(height) * size_t(width) * size_t(wanted));
    return image;
}

void save_png(const Image& image, const std::string& path) {
    EMBER_CHECK(!image.empty(), "save_png: cannot write an empty image to ", path);
    const int channels = static_cast<int>(image.channels());
    const int width = static_cast<int>(image.width());
    EMBER_CHECK(stbi_write_png(path.c_str(), width, static_cast<int>(image.height()), channels,
                               image.data(), width * channels),
                "save_png: cannot write ", path);
}

}  // namespace ember::vision
