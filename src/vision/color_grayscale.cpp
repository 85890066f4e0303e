// Grayscale: Pillow's RGB -> "L" conversion for images, torchvision's weighted sum for tensors.
#include "ember/vision/color.h"

#include "core/py_repr.h"
#include "ember/core/error.h"
#include "ember/ops/elementwise.h"
#include "ember/ops/factory.h"
#include "ops/util.h"
#include "vision/geometry_internal.h"

namespace ember::vision::transforms {

namespace functional {

namespace {

// Pillow's rgb2l: L = (19595 R + 38470 G + 7471 B + 0x8000) >> 16, the ITU-R 601-2 weights
// 0.299, 0.587, 0.114 in 16-bit fixed point, rounded.
Image pil_grayscale(const Image& image, int64_t channels_out) {
    const int64_t H = image.height(), W = image.width(), C = image.channels();
    Image out(H, W, channels_out);
    const uint8_t* s = image.data();
    uint8_t* d = out.data();
    for (int64_t i = 0; i < H * W; ++i, s += C) {
        const uint8_t l =
            C == 1
                ? s[0]
                : static_cast<uint8_t>((s[0] * 19595 + s[1] * 38470 + s[2] * 7471 + 0x8000) >> 16);
        for (int64_t k = 0; k < channels_out; ++k) *d++ = l;
    }
    return out;
}

}  // namespace

ImageOrTensor rgb_to_grayscale(const ImageOrTensor& img, int64_t num_output_channels) {
    EMBER_CHECK(num_output_channels == 1 || num_output_channels == 3,
                "Grayscale: num_output_channels should be either 1 or 3, got ",
                num_output_channels);
    if (const Image* image = std::get_if<Image>(&img))
        return pil_grayscale(*image, num_output_channels);
    const Tensor& x = std::get<Tensor>(img);
    x.check_defined("Grayscale");
    EMBER_CHECK(
        x.dim() >= 3,
        "Grayscale: input image tensor should have at least 3 dimensions [..., C, H, W], got ",
        ember::detail::describe(x));
    const int64_t C = x.size(-3);
    EMBER_CHECK(C == 1 || C == 3,
                "Grayscale: input image tensor permitted channel values are 1 or 3, got ", C,
                " channels in ", ember::detail::describe(x));
    Tensor grey;
    if (C == 3) {
        // Three products and two sums, each rounded in the result type (float32 for integer
        // images), as torchvision's expression evaluates; then cast back (truncating).
        const Tensor r = x.select(-3, 0), g = x.select(-3, 1), b = x.select(-3, 2);
        grey = add(add(mul(r, 0.2989), mul(g, 0.587)), mul(b, 0.114)).to(x.dtype()).unsqueeze(-3);
    } else {
        grey = x.clone();
    }
    if (num_output_channels == 3) return grey.expand(x.sizes().vec());
    return grey;
}

}  // namespace functional

Grayscale::Grayscale(int64_t num_output_channels) : num_output_channels_(num_output_channels) {
    EMBER_CHECK(num_output_channels == 1 || num_output_channels == 3,
                "Grayscale: num_output_channels should be either 1 or 3, got ",
                num_output_channels);
}

ImageOrTensor Grayscale::operator()(ImageOrTensor input) const {
    return functional::rgb_to_grayscale(input, num_output_channels_);
}

std::string Grayscale::repr() const {
    return "Grayscale(num_output_channels=" + std::to_string(num_output_channels_) + ")";
}

}  // namespace ember::vision::transforms
