// Geometric transforms (torchvision.transforms): Pad, CenterCrop, RandomCrop, the random flips,
// Resize, RandomResizedCrop, RandomRotation and RandomErasing, with torchvision 0.14's values,
// draws and reprs.
//
// An Image input takes torchvision's PIL path (Pillow's own resampling for Resize), a tensor
// [..., C, H, W] (any leading dims; the last two are H and W) the tensor path. Random
// transforms draw from ember's global generator with the calls torchvision makes, in the same
// order, so ember::manual_seed(s) reproduces torch.manual_seed(s):
//
//   namespace T = ember::vision::transforms;
//   T::Compose train({T::RandomCrop(32, {.padding = 4}), T::RandomHorizontalFlip(),
//                     T::ToTensor()});
#pragma once

#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "ember/vision/transform.h"

namespace ember::vision::transforms {

// torchvision's InterpolationMode (the two modes ember implements); repr "nearest", "bilinear".
enum class InterpolationMode { Nearest, Bilinear };
const char* interpolation_name(InterpolationMode mode);

// An int or a list of ints, as torchvision takes sizes and paddings; remembers which for reprs.
struct IntOrList {
    std::vector<int64_t> values;
    bool scalar = true;
    IntOrList(int64_t v) : values{v} {}  // NOLINT: implicit, like Python's int argument
    IntOrList(int v) : values{v} {}      // NOLINT
    IntOrList(std::initializer_list<int64_t> v) : values(v), scalar(false) {}
    IntOrList(std::vector<int64_t> v) : values(std::move(v)), scalar(false) {}
    // "4" or "(1, 2)" (sequences print as Python tuples).
    std::string repr() const;
};

// A fill value: one number, or one per channel (Image inputs only, as in torchvision).
struct Fill {
    std::vector<double> values;
    bool scalar = true;
    Fill(double v) : values{v} {}  // NOLINT: implicit, like Python's number argument
    Fill(int v) : values{static_cast<double>(v)} {}  // NOLINT
    Fill(std::initializer_list<double> v) : values(v), scalar(false) {}
    // "0", "0.5" or "(1, 2, 3)".
    std::string repr() const;
};

// ---- functional forms (torchvision.transforms.functional) ----
namespace functional {

// Pads the borders by padding (one value: all sides; two: left/right, top/bottom; four: left,
// top, right, bottom; negative values crop). padding_mode "constant" (fill), "edge",
// "reflect" (no repeat of the edge) or "symmetric" (edge repeated).
ImageOrTensor pad(const ImageOrTensor& img, IntArrayRef padding, const Fill& fill = 0,
                  const std::string& padding_mode = "constant");
// The box of height x width whose top-left corner is (top, left); parts outside the image are
// zeros. In-bounds tensor crops are views, as in torchvision.
ImageOrTensor crop(const ImageOrTensor& img, int64_t top, int64_t left, int64_t height,
                   int64_t width);
// The centered (height, width) box (zero-padded first when larger than the image).
ImageOrTensor center_crop(const ImageOrTensor& img, int64_t height, int64_t width);
ImageOrTensor hflip(const ImageOrTensor& img);
ImageOrTensor vflip(const ImageOrTensor& img);
// Resizes to exactly (height, width). Images: Pillow's resampling (antialiased for bilinear,
// antialias ignored). Tensors: interpolate(align_corners=False) in float, rounded back for
// integer dtypes; antialias (bilinear only) applies the antialiasing filter.
ImageOrTensor resize(const ImageOrTensor& img, int64_t height, int64_t width,
                     InterpolationMode interpolation = InterpolationMode::Bilinear,
                     std::optional<bool> antialias = std::nullopt);
// torchvision's output size for Resize(size, max_size) on an image of height x width:
// {new_height, new_width}.
std::pair<int64_t, int64_t> resized_output_size(int64_t height, int64_t width,
                                                const IntOrList& size,
                                                std::optional<int64_t> max_size);
// Rotates counter-clockwise by angle degrees about center (x, y in pixels; default the image
// centre); expand grows the output to hold the whole rotated image. Outside pixels get fill
// (one value, or one per channel).
ImageOrTensor rotate(const ImageOrTensor& img, double angle,
                     InterpolationMode interpolation = InterpolationMode::Nearest,
                     bool expand = false,
                     std::optional<std::pair<double, double>> center = std::nullopt,
                     const Fill& fill = 0);
// A tensor [..., C, H, W] with the box [i, i + h) x [j, j + w) set to value (broadcast to
// [C, h, w]); a copy unless inplace.
Tensor erase(const Tensor& img, int64_t i, int64_t j, int64_t h, int64_t w, const Tensor& value,
             bool inplace = false);
// (channels, height, width) of an Image or a tensor image.
std::vector<int64_t> get_dimensions(const ImageOrTensor& img);

}  // namespace functional

// ---- transforms ----

struct PadOptions {
    Fill fill = 0;
    std::string padding_mode = "constant";  // "constant", "edge", "reflect" or "symmetric"
};

class Pad : public Transform {
public:
    explicit Pad(IntOrList padding, PadOptions options = {});
    ImageOrTensor operator()(ImageOrTensor input) const override;
    std::string repr() const override;

private:
    IntOrList padding_;
    PadOptions options_;
};

// Crops the center; an int size gives a square. Pads with zeros when the crop is larger.
class CenterCrop : public Transform {
public:
    explicit CenterCrop(IntOrList size);
    ImageOrTensor operator()(ImageOrTensor input) const override;
    std::string repr() const override;

private:
    int64_t height_, width_;
};

struct RandomCropOptions {
    std::optional<IntOrList> padding;  // applied before the crop
    bool pad_if_needed = false;        // pad a too small image up to the crop size
    Fill fill = 0;
    std::string padding_mode = "constant";
};

// A crop at a random place: top then left drawn with randint (no draw when the crop is the
// whole image).
class RandomCrop : public Transform {
public:
    explicit RandomCrop(IntOrList size, RandomCropOptions options = {});
    ImageOrTensor operator()(ImageOrTensor input) const override;
    std::string repr() const override;

private:
    int64_t height_, width_;
    RandomCropOptions options_;
};

// Flips left-right when one rand draw is < p.
class RandomHorizontalFlip : public Transform {
public:
    explicit RandomHorizontalFlip(double p = 0.5);
    ImageOrTensor operator()(ImageOrTensor input) const override;
    std::string repr() const override;

private:
    double p_;
};

// Flips top-bottom when one rand draw is < p.
class RandomVerticalFlip : public Transform {
public:
    explicit RandomVerticalFlip(double p = 0.5);
    ImageOrTensor operator()(ImageOrTensor input) const override;
    std::string repr() const override;

private:
    double p_;
};

struct ResizeOptions {
    InterpolationMode interpolation = InterpolationMode::Bilinear;
    std::optional<int64_t> max_size;  // only with an int size: cap on the longer edge
    std::optional<bool> antialias;    // tensors: None means False (torchvision 0.14)
};

// An int size sets the shorter edge (the longer one scaled and floored), a pair (h, w) the
// exact size.
class Resize : public Transform {
public:
    explicit Resize(IntOrList size, ResizeOptions options = {});
    ImageOrTensor operator()(ImageOrTensor input) const override;
    std::string repr() const override;

private:
    IntOrList size_;
    ResizeOptions options_;
};

struct RandomResizedCropOptions {
    std::pair<double, double> scale{0.08, 1.0};
    std::pair<double, double> ratio{3.0 / 4.0, 4.0 / 3.0};
    InterpolationMode interpolation = InterpolationMode::Bilinear;
    std::optional<bool> antialias;
};

// A crop of random area (scale of the image's) and aspect ratio (log-uniform in ratio),
// resized to size; after 10 failed tries a center crop of clamped aspect ratio.
class RandomResizedCrop : public Transform {
public:
    explicit RandomResizedCrop(IntOrList size, RandomResizedCropOptions options = {});
    ImageOrTensor operator()(ImageOrTensor input) const override;
    std::string repr() const override;
    // torchvision's get_params: {top, left, height, width}, drawing as torchvision does.
    static std::vector<int64_t> get_params(int64_t height, int64_t width,
                                           std::pair<double, double> scale,
                                           std::pair<double, double> ratio);

private:
    int64_t height_, width_;
    RandomResizedCropOptions options_;
};

struct RandomRotationOptions {
    InterpolationMode interpolation = InterpolationMode::Nearest;
    bool expand = false;
    std::optional<std::pair<double, double>> center;
    Fill fill = 0;
};

// Rotates by an angle drawn uniformly from degrees ((-d, d) for a number d).
class RandomRotation : public Transform {
public:
    explicit RandomRotation(double degrees, RandomRotationOptions options = {});
    RandomRotation(std::pair<double, double> degrees, RandomRotationOptions options = {});
    ImageOrTensor operator()(ImageOrTensor input) const override;
    std::string repr() const override;

private:
    std::pair<double, double> degrees_;
    RandomRotationOptions options_;
};

struct RandomErasingOptions {
    double p = 0.5;
    std::pair<double, double> scale{0.02, 0.33};
    std::pair<double, double> ratio{0.3, 3.3};
    Fill value = 0;             // one value or one per channel
    bool random_value = false;  // value="random": standard normal noise per pixel
    bool inplace = false;
};

// With probability p, sets a random box of a tensor image to value (tensors only).
class RandomErasing : public Transform {
public:
    explicit RandomErasing(RandomErasingOptions options = {});
    ImageOrTensor operator()(ImageOrTensor input) const override;
    std::string repr() const override;

private:
    RandomErasingOptions options_;
};

}  // namespace ember::vision::transforms
