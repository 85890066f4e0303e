// Image: decoded 8-bit pixels, height x width x channels (HWC), 1 (grey, PIL's "L") or 3 (RGB)
// channels: what a PIL Image is to torchvision. The pixels live in a contiguous uint8 tensor
// [H, W, C], so a dataset can hand out images that view its one big buffer without copying.
#pragma once

#include <cstdint>
#include <string>

#include "ember/core/tensor.h"

namespace ember::vision {

class Image {
public:
    // An empty image (0 x 0, one channel).
    Image();
    // height x width x channels zero pixels; channels is 1 or 3.
    Image(int64_t height, int64_t width, int64_t channels);
    // The pixels of a uint8 tensor [H, W, C] (C 1 or 3) or [H, W] (grey), shared when it is
    // contiguous, else copied. Any other dtype or shape is an ember::Error.
    explicit Image(Tensor pixels);

    int64_t height() const { return pixels_.size(0); }
    int64_t width() const { return pixels_.size(1); }
    int64_t channels() const { return pixels_.size(2); }
    bool empty() const { return pixels_.numel() == 0; }
    // "L" or "RGB", as PIL names the modes.
    const char* mode() const { return channels() == 1 ? "L" : "RGB"; }

    // The pixels as a contiguous uint8 tensor [H, W, C] (shared: writes show in the image).
    const Tensor& tensor() const { return pixels_; }
    const uint8_t* data() const;
    uint8_t* data();
    uint8_t at(int64_t y, int64_t x, int64_t c = 0) const {
        return data()[(y * width() + x) * channels() + c];
    }

    // "Image(mode=L, size=28x28)" (size as width x height, as PIL prints it).
    std::string repr() const;

private:
    Tensor pixels_;
};

}  // namespace ember::vision
