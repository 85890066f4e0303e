// Image construction and checks.
#include "ember/vision/image.h"

#include "ops/util.h"
#include "ember/core/error.h"
#include "ember/ops/factory.h"

namespace ember::vision {

Image::Image() : pixels_(zeros({0, 0, 1}, {.dtype = DType::UInt8})) {}

Image::Image(int64_t height, int64_t width, int64_t channels) {
    EMBER_CHECK(height >= 0 && width >= 0, "Image: height and width must not be negative, got ",
                height, " x ", width);
    EMBER_CHECK(channels == 1 || channels == 3, "Image: channels must be 1 (grey) or 3 (RGB), got ",
                channels);
    pixels_ = zeros({height, width, channels}, {.dtype = DType::UInt8});
}

Image::Image(Tensor pixels) {
    pixels.check_defined("Image");
    EMBER_CHECK(pixels.dtype() == DType::UInt8 && pixels.is_cpu(),
                "Image: pixels must be a uint8 CPU tensor, got ", detail::describe(pixels));
    if (pixels.dim() == 2) pixels = pixels.unsqueeze(2);
    EMBER_CHECK(pixels.dim() == 3 && (pixels.size(2) == 1 || pixels.size(2) == 3),
                "Image: pixels must be [H, W], [H, W, 1] or [H, W, 3], got ",
                detail::describe(pixels));
    pixels_ = pixels.contiguous();
}

const uint8_t* Image::data() const { return static_cast<const uint8_t*>(pixels_.data_ptr()); }
uint8_t* Image::data() { return static_cast<uint8_t*>(pixels_.data_ptr()); }

std::string Image::repr() const {
    return detail::str_cat("Image(mode=", mode(), ", size=", width(), "x", height(), ")");
}

}  // namespace ember::vision
