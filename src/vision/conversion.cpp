// ToTensor, PILToTensor, ConvertImageDtype and Normalize with torchvision 0.14's semantics.
#include "ember/vision/conversion.h"

#include <cstdint>

#include "core/py_repr.h"
#include "ember/core/error.h"
#include "ember/ops/elementwise.h"
#include "ember/ops/factory.h"
#include "ops/util.h"

namespace ember::vision::transforms {

ImageOrTensor ToTensor::operator()(ImageOrTensor input) const {
    const Image* image = std::get_if<Image>(&input);
    EMBER_CHECK(image, "ToTensor: pic should be an Image, got a tensor of sizes ",
                std::get<Tensor>(input).sizes(),
                " (a tensor image needs no ToTensor; ConvertImageDtype rescales one)");
    const int64_t H = image->height(), W = image->width(), C = image->channels();
    const DType dtype = default_dtype();
    Tensor out = empty({C, H, W}, {.dtype = dtype});
    const uint8_t* src = image->data();
    // HWC -> CHW and x / 255, divided (not multiplied by 1/255) in the result's dtype, so the
    // values are torchvision's to the bit.
    auto fill = [&](auto* dst) {
        using T = std::remove_pointer_t<decltype(dst)>;
        if (C == 1) {  // a unit stride, which the compiler vectorises
            for (int64_t i = 0; i < H * W; ++i) dst[i] = static_cast<T>(src[i]) / static_cast<T>(255);
            return;
        }
        for (int64_t c = 0; c < C; ++c)
            for (int64_t i = 0; i < H * W; ++i)
                dst[c * H * W + i] = static_cast<T>(src[i * C + c]) / static_cast<T>(255);
    };
    if (dtype == DType::Float64) fill(out.data_ptr<double>());
    else fill(out.data_ptr<float>());
    return out;
}

ImageOrTensor PILToTensor::operator()(ImageOrTensor input) const {
    detail::expect_image(input, "PILToTensor");
    return as_tensor(std::move(input));
}

namespace {

// torchvision's _max_value: the largest value of an integer image dtype, 1 for floats (and bool).
double max_value(DType dtype) {
    switch (dtype) {
        case DType::UInt8: return 255;
        case DType::Int8: return 127;
        case DType::Int16: return 32767;
        case DType::Int32: return 2147483647.0;
        case DType::Int64: return 9223372036854775807.0;
        default: return 1;
    }
}

}  // namespace

ConvertImageDtype::ConvertImageDtype(DType dtype) : dtype_(dtype) {}

// torchvision 0.14 prints no arguments here.
std::string ConvertImageDtype::repr() const { return "ConvertImageDtype()"; }

ImageOrTensor ConvertImageDtype::operator()(ImageOrTensor input) const {
    const Tensor& image = detail::expect_tensor(input, "ConvertImageDtype");
    const DType from = image.dtype();
    if (from == dtype_) return image;
    if (is_floating_point(from)) {
        if (is_floating_point(dtype_)) return image.to(dtype_);
        EMBER_CHECK(!((from == DType::Float32 &&
                       (dtype_ == DType::Int32 || dtype_ == DType::Int64)) ||
                      (from == DType::Float64 && dtype_ == DType::Int64)),
                    "ConvertImageDtype: the cast from ", dtype_name(from), " to ",
                    dtype_name(dtype_), " cannot be performed safely");
        // Just under max + 1, truncated: [0, 1] covers every integer value equally.
        return mul(image, max_value(dtype_) + 1.0 - 1e-3).to(dtype_);
    }
    const double input_max = max_value(from);
    if (is_floating_point(dtype_)) return div(image.to(dtype_), input_max);
    const double output_max = max_value(dtype_);
    if (input_max > output_max) {
        const auto factor = static_cast<int64_t>((input_max + 1) / (output_max + 1));
        return div(image, factor, "floor").to(dtype_);
    }
    const auto factor = static_cast<int64_t>((output_max + 1) / (input_max + 1));
    return mul(image.to(dtype_), factor);
}

Normalize::Normalize(std::vector<double> mean, std::vector<double> std, bool inplace)
    : mean_(std::move(mean)), std_(std::move(std)), inplace_(inplace) {}

std::string Normalize::repr() const {
    return "Normalize(mean=" + ember::detail::py_float_list(mean_) +
           ", std=" + ember::detail::py_float_list(std_) + ")";
}

ImageOrTensor Normalize::operator()(ImageOrTensor input) const {
    const Tensor& x = detail::expect_tensor(input, "Normalize");
    EMBER_CHECK(x.dim() >= 2, "Normalize: tensor is not a tensor image: ",
                ember::detail::describe(x));
    EMBER_CHECK(x.dim() >= 3, "Normalize: expected a tensor image of size (..., C, H, W), got ",
                ember::detail::describe(x));
    EMBER_CHECK(is_floating_point(x.dtype()), "Normalize: input tensor should be a float tensor, got ",
                ember::detail::describe(x));
    const int64_t C = x.size(-3);
    auto check_length = [&](const std::vector<double>& v, const char* name) {
        EMBER_CHECK(static_cast<int64_t>(v.size()) == C || v.size() == 1, "Normalize: ", name,
                    " has ", v.size(), " values for an image of ", C, " channels (",
                    ember::detail::describe(x), "): give one value or one per channel");
    };
    check_length(mean_, "mean");
    check_length(std_, "std");
    // The common case (a contiguous float32 or float64 image) in one pass: (x - mean) / std per
    // channel plane, each step rounded in the input's dtype as sub_ and div_ round, with the
    // mean and std rounded to that dtype as torchvision's as_tensor rounds them. No tensor ops:
    // this runs once per sample in a data loader.
    auto per_channel = [&](auto* p) {
        using T = std::remove_pointer_t<decltype(p)>;
        auto value = [](const std::vector<double>& v, int64_t c) {
            return static_cast<T>(v[v.size() == 1 ? 0 : static_cast<size_t>(c)]);
        };
        for (int64_t c = 0; c < C; ++c)
            EMBER_CHECK(value(std_, c) != T(0), "Normalize: std evaluated to zero after "
                        "conversion to ", dtype_name(x.dtype()), ", leading to division by zero");
        Tensor out = inplace_ ? x : x.clone();
        T* q = out.data_ptr<T>();
        const int64_t plane = x.size(-1) * x.size(-2);
        const int64_t images = out.numel() / std::max<int64_t>(1, C * plane);
        for (int64_t n = 0; n < images; ++n)
            for (int64_t c = 0; c < C; ++c, q += plane) {
                const T mc = value(mean_, c), sc = value(std_, c);
                for (int64_t i = 0; i < plane; ++i) q[i] = (q[i] - mc) / sc;
            }
        return out;
    };
    if (x.is_contiguous() && x.dtype() == DType::Float32)
        return per_channel(static_cast<float*>(nullptr));
    if (x.is_contiguous() && x.dtype() == DType::Float64)
        return per_channel(static_cast<double*>(nullptr));
    const Tensor mean = tensor(mean_, {.dtype = DType::Float64}).to(x.dtype());
    const Tensor stdev = tensor(std_, {.dtype = DType::Float64}).to(x.dtype());
    EMBER_CHECK(!(stdev == 0).any().item<bool>(), "Normalize: std evaluated to zero after conversion to ",
                dtype_name(x.dtype()), ", leading to division by zero");
    Tensor out = inplace_ ? x : x.clone();
    out.sub_(mean.view({-1, 1, 1})).div_(stdev.view({-1, 1, 1}));
    return out;
}

}  // namespace ember::vision::transforms
