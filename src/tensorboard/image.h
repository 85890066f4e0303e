// add_image's pixels: a tensor in any dataformats to HWC uint8 (PyTorch's convert_to_HWC,
// make_grid and scaling), and PNG encoding to memory.
#pragma once

#include <cstdint>
#include <string>

#include "ember/core/tensor.h"

namespace ember::tensorboard {

struct EncodedImage {
    int64_t height = 0, width = 0, channels = 0;
    std::string png;
};

// img_tensor laid out as dataformats (letters of "NCHW"; 4 letters make a grid of the batch)
// to an HWC uint8 image with 3 or 4 channels, PNG-encoded. op names the caller in errors.
EncodedImage encode_image(const Tensor& img_tensor, const std::string& dataformats,
                          const char* op);

}  // namespace ember::tensorboard
