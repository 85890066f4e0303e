// ColorJitter and the adjust_* functions. Images follow Pillow (ImageEnhance's blend with a
// degenerate image, float alpha, truncation; the HSV round trip of Image.convert for hue),
// tensors follow torchvision's functional_tensor (_blend, _rgb2hsv, _hsv2rgb).
// Every rounding step here mirrors Pillow's or PyTorch's; a fused multiply-add the compiler
// made on its own would change results, so CMakeLists.txt compiles this file with
// -ffp-contract=off (the fused ones PyTorch does are explicit std::fma).

#include <algorithm>
#include <cmath>
#include <limits>

#include "core/py_repr.h"
#include "ember/core/error.h"
#include "ember/ops/elementwise.h"
#include "ember/ops/factory.h"
#include "ember/ops/random.h"
#include "ember/ops/reduce.h"
#include "ember/vision/color.h"
#include "ops/util.h"
#include "vision/geometry_internal.h"

namespace ember::vision::transforms {

using ember::detail::str_cat;

namespace {

// ---- Pillow ----

// Image.blend(im1, im2, alpha) with Pillow's float alpha: im1 + alpha (im2 - im1), truncated,
// clipped only when extrapolating.
Image pil_blend(const Image& im1, const Image& im2, double alpha_in) {
    const auto alpha = static_cast<float>(alpha_in);
    if (alpha == 0.0f) return Image(im1.tensor().clone());
    if (alpha == 1.0f) return Image(im2.tensor().clone());
    Image out(im1.height(), im1.width(), im1.channels());
    const uint8_t* a = im1.data();
    const uint8_t* b = im2.data();
    uint8_t* d = out.data();
    const int64_t n = im1.tensor().numel();
    const bool interpolate = alpha >= 0 && alpha <= 1.0f;
    for (int64_t i = 0; i < n; ++i) {
        const float v =
            static_cast<float>(a[i]) + alpha * static_cast<float>(int{b[i]} - int{a[i]});
        if (interpolate)
            d[i] = static_cast<uint8_t>(v);
        else
            d[i] = v <= 0.0f ? 0 : v >= 255.0f ? 255 : static_cast<uint8_t>(v);
    }
    return out;
}

// The image's grey levels ("L" conversion), one per pixel.
std::vector<uint8_t> pil_grey_levels(const Image& image) {
    const Image grey = std::get<Image>(functional::rgb_to_grayscale(image, 1));
    return {grey.data(), grey.data() + grey.tensor().numel()};
}

// An image of the given grey levels replicated over `channels` channels.
Image grey_image(const std::vector<uint8_t>& levels, int64_t h, int64_t w, int64_t channels) {
    Image out(h, w, channels);
    uint8_t* d = out.data();
    for (uint8_t l : levels)
        for (int64_t k = 0; k < channels; ++k) *d++ = l;
    return out;
}

inline uint8_t clip8(int v) {
    return static_cast<uint8_t>(v <= 0 ? 0 : v < 256 ? v : 255);
}

// Pillow's rgb2hsv_row (colorsys in float, hue and saturation scaled to 0..255).
void pil_rgb_to_hsv(const uint8_t* in, uint8_t* out) {
    const uint8_t r = in[0], g = in[1], b = in[2];
    const uint8_t maxc = std::max(r, std::max(g, b)), minc = std::min(r, std::min(g, b));
    uint8_t uh = 0, us = 0;
    if (minc != maxc) {
        const auto cr = static_cast<float>(maxc - minc);
        const float s = cr / static_cast<float>(maxc);
        const float rc = static_cast<float>(maxc - r) / cr;
        const float gc = static_cast<float>(maxc - g) / cr;
        const float bc = static_cast<float>(maxc - b) / cr;
        float h;
        if (r == maxc)
            h = bc - gc;
        else if (g == maxc)
            h = static_cast<float>(2.0 + rc - bc);
        else
            h = static_cast<float>(4.0 + gc - rc);
        h = static_cast<float>(std::fmod(h / 6.0 + 1.0, 1.0));
        uh = clip8(static_cast<int>(h * 255.0));
        us = clip8(static_cast<int>(s * 255.0));
    }
    out[0] = uh;
    out[1] = us;
    out[2] = maxc;
}

// Pillow's hsv2rgb.
void pil_hsv_to_rgb(const uint8_t* in, uint8_t* out) {
    const uint8_t h = in[0], s = in[1], v = in[2];
    if (s == 0) {
        out[0] = out[1] = out[2] = v;
        return;
    }
    const int i = static_cast<int>(std::floor(static_cast<float>(h) * 6.0 / 255.0));
    const auto f = static_cast<float>(static_cast<float>(h) * 6.0 / 255.0 - static_cast<float>(i));
    const auto fs = static_cast<float>(static_cast<float>(s) / 255.0);
    const uint8_t p = clip8(static_cast<int>(std::round(static_cast<float>(v) * (1.0 - fs))));
    const uint8_t q = clip8(static_cast<int>(std::round(static_cast<float>(v) * (1.0 - fs * f))));
    const uint8_t t =
        clip8(static_cast<int>(std::round(static_cast<float>(v) * (1.0 - fs * (1.0 - f)))));
    const uint8_t rgb[6][3] = {{v, t, p}, {q, v, p}, {p, v, t}, {p, q, v}, {t, p, v}, {v, p, q}};
    std::copy(rgb[i % 6], rgb[i % 6] + 3, out);
}

Image pil_adjust_hue(const Image& image, double hue_factor) {
    if (image.channels() == 1) return Image(image.tensor().clone());
    // np.uint8(hue_factor * 255): truncation toward zero, wrapped modulo 256 when negative.
    const auto shift = static_cast<uint8_t>(static_cast<int32_t>(hue_factor * 255));
    Image out(image.height(), image.width(), 3);
    const uint8_t* s = image.data();
    uint8_t* d = out.data();
    for (int64_t i = 0; i < image.height() * image.width(); ++i, s += 3, d += 3) {
        uint8_t hsv[3];
        pil_rgb_to_hsv(s, hsv);
        hsv[0] = static_cast<uint8_t>(hsv[0] + shift);
        pil_hsv_to_rgb(hsv, d);
    }
    return out;
}

// ---- tensors ----

void check_channels(const Tensor& img, const char* op) {
    detail::check_tensor_image(img, op);
    const int64_t c = img.dim() == 2 ? 1 : img.size(-3);
    EMBER_CHECK(c == 1 || c == 3, op,
                ": input image tensor permitted channel values are 1 or 3, got ", c,
                " channels in ", ember::detail::describe(img));
}

// torchvision's _blend: (ratio img1 + (1 - ratio) img2).clamp(0, bound), cast back.
Tensor blend(const Tensor& img1, const Tensor& img2, double ratio) {
    const double bound = is_floating_point(img1.dtype()) ? 1.0 : 255.0;
    return clamp(add(mul(img1, ratio), mul(img2, 1.0 - ratio)), 0.0, bound).to(img1.dtype());
}

// torchvision's _rgb2hsv, hue shift ((h + factor) % 1.0, Python's modulo) and _hsv2rgb, each
// step rounded in T as the tensor ops round.
template <class T>
void hue_shift_planes(const T* src, T* dst, int64_t images, int64_t plane, T factor) {
    for (int64_t n = 0; n < images; ++n) {
        const T* r = src + n * 3 * plane;
        const T* g = r + plane;
        const T* b = g + plane;
        T* o = dst + n * 3 * plane;
        for (int64_t k = 0; k < plane; ++k) {
            const T maxc = std::max(std::max(r[k], g[k]), b[k]);
            const T minc = std::min(std::min(r[k], g[k]), b[k]);
            const bool eqc = maxc == minc;
            const T cr = maxc - minc;
            const T s = cr / (eqc ? T(1) : maxc);
            const T div = eqc ? T(1) : cr;
            const T rc = (maxc - r[k]) / div, gc = (maxc - g[k]) / div, bc = (maxc - b[k]) / div;
            const T hr = maxc == r[k] ? bc - gc : T(0);
            const T hg = (maxc == g[k] && maxc != r[k]) ? (T(2) + rc) - bc : T(0);
            const T hb = (maxc != g[k] && maxc != r[k]) ? (T(4) + gc) - rc : T(0);
            T h = std::fmod((hr + hg + hb) / T(6) + T(1), T(1));
            // (h + factor) % 1.0
            h = h + factor;
            T mod = std::fmod(h, T(1));
            if (mod != 0 && mod < 0) mod += T(1);
            h = mod;
            const T v = maxc;
            const T i_f = std::floor(h * T(6));
            const T f = h * T(6) - i_f;
            const int i = static_cast<int>(static_cast<int32_t>(i_f)) % 6;
            const T p = std::clamp(v * (T(1) - s), T(0), T(1));
            const T q = std::clamp(v * (T(1) - s * f), T(0), T(1));
            const T t = std::clamp(v * (T(1) - s * (T(1) - f)), T(0), T(1));
            const T rgb[6][3] = {{v, t, p}, {q, v, p}, {p, v, t}, {p, q, v}, {t, p, v}, {v, p, q}};
            const int sel = i < 0 ? i + 6 : i;
            o[k] = rgb[sel][0];
            o[plane + k] = rgb[sel][1];
            o[2 * plane + k] = rgb[sel][2];
        }
    }
}

Tensor tensor_adjust_hue(const Tensor& img, double hue_factor) {
    check_channels(img, "adjust_hue");
    if (img.dim() == 2 || img.size(-3) == 1) return img;
    const DType dtype = img.dtype();
    EMBER_CHECK(dtype == DType::UInt8 || dtype == DType::Float32 || dtype == DType::Float64,
                "adjust_hue: expected a uint8, float32 or float64 image, got ",
                ember::detail::describe(img));
    Tensor x = dtype == DType::UInt8 ? div(img.to(DType::Float32), 255.0) : img.contiguous();
    x = x.contiguous();
    Tensor out = empty(x.sizes(), {.dtype = x.dtype()});
    const int64_t plane = x.size(-1) * x.size(-2);
    const int64_t images = plane == 0 ? 0 : x.numel() / (3 * plane);
    if (x.dtype() == DType::Float64)
        hue_shift_planes<double>(x.data_ptr<double>(), out.data_ptr<double>(), images, plane,
                                 hue_factor);
    else
        hue_shift_planes<float>(x.data_ptr<float>(), out.data_ptr<float>(), images, plane,
                                static_cast<float>(hue_factor));
    if (dtype == DType::UInt8) return mul(out, 255.0).to(DType::UInt8);
    return out;
}

void check_factor(double factor, const char* op, const char* name) {
    EMBER_CHECK(factor >= 0, op, ": ", name, " (", factor, ") is not non-negative");
}

}  // namespace

namespace functional {

ImageOrTensor adjust_brightness(const ImageOrTensor& img, double brightness_factor) {
    check_factor(brightness_factor, "adjust_brightness", "brightness_factor");
    if (const Image* image = std::get_if<Image>(&img))
        return pil_blend(Image(image->height(), image->width(), image->channels()), *image,
                         brightness_factor);
    const Tensor& x = std::get<Tensor>(img);
    check_channels(x, "adjust_brightness");
    return blend(x, zeros_like(x), brightness_factor);
}

ImageOrTensor adjust_contrast(const ImageOrTensor& img, double contrast_factor) {
    check_factor(contrast_factor, "adjust_contrast", "contrast_factor");
    if (const Image* image = std::get_if<Image>(&img)) {
        // ImageStat's mean of the "L" image, rounded half up to an int.
        const std::vector<uint8_t> grey = pil_grey_levels(*image);
        double sum = 0;
        for (uint8_t l : grey) sum += l;
        const auto mean =
            static_cast<uint8_t>(static_cast<int>(sum / static_cast<double>(grey.size()) + 0.5));
        const std::vector<uint8_t> flat(grey.size(), mean);
        return pil_blend(grey_image(flat, image->height(), image->width(), image->channels()),
                         *image, contrast_factor);
    }
    const Tensor& x = std::get<Tensor>(img);
    check_channels(x, "adjust_contrast");
    EMBER_CHECK(x.dim() >= 3, "adjust_contrast: expected a tensor image [..., C, H, W], got ",
                ember::detail::describe(x));
    const DType dtype = is_floating_point(x.dtype()) ? x.dtype() : DType::Float32;
    const Tensor grey = x.size(-3) == 3 ? std::get<Tensor>(rgb_to_grayscale(x, 1)) : x;
    const Tensor mean = grey.to(dtype).mean({-3, -2, -1}, true);
    return blend(x, mean, contrast_factor);
}

ImageOrTensor adjust_saturation(const ImageOrTensor& img, double saturation_factor) {
    check_factor(saturation_factor, "adjust_saturation", "saturation_factor");
    if (const Image* image = std::get_if<Image>(&img))
        return pil_blend(
            grey_image(pil_grey_levels(*image), image->height(), image->width(), image->channels()),
            *image, saturation_factor);
    const Tensor& x = std::get<Tensor>(img);
    check_channels(x, "adjust_saturation");
    if (x.dim() == 2 || x.size(-3) == 1) return x;
    return blend(x, std::get<Tensor>(rgb_to_grayscale(x, 1)), saturation_factor);
}

ImageOrTensor adjust_hue(const ImageOrTensor& img, double hue_factor) {
    EMBER_CHECK(hue_factor >= -0.5 && hue_factor <= 0.5, "adjust_hue: hue_factor (", hue_factor,
                ") is not in [-0.5, 0.5]");
    if (const Image* image = std::get_if<Image>(&img)) return pil_adjust_hue(*image, hue_factor);
    return tensor_adjust_hue(std::get<Tensor>(img), hue_factor);
}

}  // namespace functional

ColorJitter::Range ColorJitter::check(const JitterAmount& amount, const char* name, double center,
                                      std::pair<double, double> bound, bool clip_first_on_zero) {
    Range r;
    const std::vector<double>& v = amount.values;
    if (v.size() == 1) {
        EMBER_CHECK(v[0] >= 0, "ColorJitter: if ", name,
                    " is a single number, it must be non negative, got ", v[0]);
        std::pair<double, double> range{center - v[0], center + v[0]};
        if (clip_first_on_zero) range.first = std::max(range.first, 0.0);
        r.range = range;
    } else {
        EMBER_CHECK(v.size() == 2, "ColorJitter: ", name,
                    " should be a single number or a {min, max} pair, got ", v.size(), " values");
        EMBER_CHECK(bound.first <= v[0] && v[0] <= v[1] && v[1] <= bound.second,
                    "ColorJitter: ", name, " values should be between ",
                    detail::py_float_pair(bound), ", got ", detail::py_float_pair({v[0], v[1]}));
        r.range = std::pair{v[0], v[1]};
        r.given_as_range = true;
    }
    if (r.range->first == center && r.range->second == center) r.range.reset();
    return r;
}

std::string ColorJitter::range_repr(const Range& r) {
    if (!r.range) return "None";
    if (r.given_as_range) return detail::py_float_pair(*r.range);
    return ember::detail::py_float_list({r.range->first, r.range->second});
}

ColorJitter::ColorJitter(ColorJitterOptions options) {
    constexpr double inf = std::numeric_limits<double>::infinity();
    brightness_ = check(options.brightness, "brightness", 1, {0, inf}, true);
    contrast_ = check(options.contrast, "contrast", 1, {0, inf}, true);
    saturation_ = check(options.saturation, "saturation", 1, {0, inf}, true);
    hue_ = check(options.hue, "hue", 0, {-0.5, 0.5}, false);
}

ImageOrTensor ColorJitter::operator()(ImageOrTensor input) const {
    const Tensor order = randperm(4);
    auto draw = [](const Range& r) -> std::optional<double> {
        if (!r.range) return std::nullopt;
        return detail::draw_uniform(r.range->first, r.range->second);
    };
    const std::optional<double> b = draw(brightness_), c = draw(contrast_), s = draw(saturation_),
                                h = draw(hue_);
    ImageOrTensor img = std::move(input);
    for (int64_t k = 0; k < 4; ++k) {
        const int64_t fn = order[k].item<int64_t>();
        if (fn == 0 && b)
            img = functional::adjust_brightness(img, *b);
        else if (fn == 1 && c)
            img = functional::adjust_contrast(img, *c);
        else if (fn == 2 && s)
            img = functional::adjust_saturation(img, *s);
        else if (fn == 3 && h)
            img = functional::adjust_hue(img, *h);
    }
    return img;
}

std::string ColorJitter::repr() const {
    return str_cat("ColorJitter(brightness=", range_repr(brightness_),
                   ", contrast=", range_repr(contrast_), ", saturation=", range_repr(saturation_),
                   ", hue=", range_repr(hue_), ")");
}

}  // namespace ember::vision::transforms
