// Images for TensorBoard: layout conversion as torch.utils.tensorboard._utils.convert_to_HWC
// and PNG encoding through stb_image_write (compiled here with static linkage).
#include "tensorboard/image.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <vector>

#include "ember/core/error.h"
#include "ember/ops/factory.h"

#define STB_IMAGE_WRITE_STATIC
#define STB_IMAGE_WRITE_IMPLEMENTATION
#include <stb/stb_image_write.h>

namespace ember::tensorboard {

namespace {

void append_to_string(void* context, void* data, int size) {
    static_cast<std::string*>(context)->append(static_cast<const char*>(data), size_t(size));
}

// PyTorch's scaling: uint8 as is; anything else times 255 in float32, clipped to [0, 255]
// (current PyTorch; 1.13 wrapped out-of-range values) and truncated.
std::vector<uint8_t> to_uint8(const Tensor& hwc) {
    if (hwc.dtype() == DType::UInt8) return hwc.to_vector<uint8_t>();
    const std::vector<float> values = hwc.to_vector<float>();
    std::vector<uint8_t> out(values.size());
    for (size_t i = 0; i < values.size(); ++i) {
        const float scaled = values[i] * 255.0f;
        out[i] = std::isnan(scaled) ? 0 : static_cast<uint8_t>(std::clamp(scaled, 0.0f, 255.0f));
    }
    return out;
}

}  // namespace

EncodedImage encode_image(const Tensor& img_tensor, const std::string& dataformats,
                          const char* op) {
    std::string format = dataformats;
    for (char& c : format) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    EMBER_CHECK(img_tensor.defined(), op, ": the image tensor is undefined");
    EMBER_CHECK(static_cast<int64_t>(format.size()) == img_tensor.dim(), op,
                ": dataformats '", dataformats, "' has ", format.size(),
                " letters but the image tensor has shape ", shape_str(img_tensor.sizes()));
    const std::string letters = format.size() == 4 ? "NCHW" : format.size() == 3 ? "HWC" : "HW";
    EMBER_CHECK(format.size() >= 2 && format.size() <= 4 &&
                    std::is_permutation(format.begin(), format.end(), letters.begin()),
                op, ": dataformats must be an ordering of ", letters, " (or CHW, HW, NCHW), got '",
                dataformats, "'");
    std::vector<int64_t> order;
    for (char c : letters) order.push_back(static_cast<int64_t>(format.find(c)));
    Tensor t = img_tensor.detach().cpu().permute(order);  // now NCHW, HWC or HW

    Tensor hwc;
    if (format.size() == 4) {
        // make_grid: 1 channel becomes 3, up to 8 images per row on a zero canvas.
        const int64_t n = t.size(0), c = t.size(1), h = t.size(2), w = t.size(3);
        EMBER_CHECK(c == 1 || c == 3, op, ": a batch of images needs 1 or 3 channels, got ", c,
                    " (shape ", shape_str(img_tensor.sizes()), ")");
        EMBER_CHECK(n > 0, op, ": the batch of images is empty");
        const int64_t ncols = std::min<int64_t>(n, 8);
        const int64_t nrows = (n + ncols - 1) / ncols;
        if (c == 1) t = t.expand({n, 3, h, w});
        Tensor canvas = zeros({3, h * nrows, w * ncols}, {.dtype = t.dtype()});
        for (int64_t i = 0; i < n; ++i) {
            const int64_t y = i / ncols, x = i % ncols;
            canvas.narrow(1, y * h, h).narrow(2, x * w, w).copy_(t.select(0, i));
        }
        hwc = canvas.permute({1, 2, 0});
    } else if (format.size() == 3) {
        const int64_t c = t.size(2);
        EMBER_CHECK(c == 1 || c == 3 || c == 4, op, ": an image needs 1, 3 or 4 channels, got ",
                    c, " (shape ", shape_str(img_tensor.sizes()), ", dataformats '", dataformats,
                    "')");
        hwc = c == 1 ? t.expand({t.size(0), t.size(1), 3}) : t;
    } else {
        hwc = t.unsqueeze(2).expand({t.size(0), t.size(1), 3});
    }
    EncodedImage image{hwc.size(0), hwc.size(1), hwc.size(2), {}};
    EMBER_CHECK(image.height > 0 && image.width > 0, op, ": the image is empty (shape ",
                shape_str(img_tensor.sizes()), ")");
    const std::vector<uint8_t> pixels = to_uint8(hwc);
    const int width = static_cast<int>(image.width), channels = static_cast<int>(image.channels);
    EMBER_CHECK(stbi_write_png_to_func(append_to_string, &image.png, width,
                                       static_cast<int>(image.height), channels, pixels.data(),
                                       width * channels),
                op, ": PNG encoding failed for a ", image.height, "x", image.width, " image");
    return image;
}

}  // namespace ember::tensorboard
