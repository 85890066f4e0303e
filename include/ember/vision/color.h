// Colour transforms (torchvision.transforms): Grayscale and ColorJitter, with torchvision
// 0.14's values, draws and reprs. An Image takes the PIL path (Pillow's fixed-point "L"
// conversion, ImageEnhance blends, Pillow's HSV conversion for hue), a tensor [..., C, H, W]
// the tensor path (torchvision's functional_tensor formulas in the tensor's float type).
#pragma once

#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "ember/vision/transform.h"

namespace ember::vision::transforms {

namespace functional {
// RGB (or already grey) to grey with 1 or 3 equal output channels.
ImageOrTensor rgb_to_grayscale(const ImageOrTensor& img, int64_t num_output_channels = 1);
// Blend with black (factor 0) .. the image (1) .. brighter (> 1).
ImageOrTensor adjust_brightness(const ImageOrTensor& img, double brightness_factor);
// Blend with the mean grey level (factor 0) .. the image (1) .. more contrast (> 1).
ImageOrTensor adjust_contrast(const ImageOrTensor& img, double contrast_factor);
// Blend with the grey image (factor 0) .. the image (1) .. more saturated (> 1).
ImageOrTensor adjust_saturation(const ImageOrTensor& img, double saturation_factor);
// Shift the hue by hue_factor turns (in [-0.5, 0.5]); grey images are returned unchanged.
ImageOrTensor adjust_hue(const ImageOrTensor& img, double hue_factor);
}  // namespace functional

class Grayscale : public Transform {
public:
    explicit Grayscale(int64_t num_output_channels = 1);
    ImageOrTensor operator()(ImageOrTensor input) const override;
    std::string repr() const override;

private:
    int64_t num_output_channels_;
};

// A ColorJitter amount: one number v (the range [center - v, center + v], clipped at 0 for
// brightness, contrast and saturation) or a {min, max} range.
struct JitterAmount {
    std::vector<double> values;
    JitterAmount(double v = 0) : values{v} {}  // NOLINT: implicit, like Python's number
    JitterAmount(std::initializer_list<double> range) : values(range) {}
};

struct ColorJitterOptions {
    JitterAmount brightness = 0;
    JitterAmount contrast = 0;
    JitterAmount saturation = 0;
    JitterAmount hue = 0;  // within [-0.5, 0.5]
};

// Random brightness, contrast, saturation and hue changes in a random order: randperm(4), then
// one uniform draw per enabled factor (brightness, contrast, saturation, hue), as torchvision.
class ColorJitter : public Transform {
public:
    explicit ColorJitter(ColorJitterOptions options = {});
    ImageOrTensor operator()(ImageOrTensor input) const override;
    std::string repr() const override;

private:
    struct Range {
        std::optional<std::pair<double, double>> range;  // none: the factor is off
        bool given_as_range = false;                     // repr as a tuple, not a list
    };
    static Range check(const JitterAmount& amount, const char* name, double center,
                       std::pair<double, double> bound, bool clip_first_on_zero);
    static std::string range_repr(const Range& r);
    Range brightness_, contrast_, saturation_, hue_;
};

}  // namespace ember::vision::transforms
