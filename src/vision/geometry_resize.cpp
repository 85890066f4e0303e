// Resize and RandomResizedCrop. Images follow Pillow (Image.resize: the separable antialiased
// resampler with 22-bit fixed-point coefficients for bilinear, the affine scaler for nearest);
// tensors follow torch.nn.functional.interpolate(align_corners=False), computed in float32 or
// float64 with PyTorch's index and weight formulas.
// Every rounding step here mirrors Pillow's or PyTorch's; a fused multiply-add the compiler
// made on its own would change results, so CMakeLists.txt compiles this file with
// -ffp-contract=off (the fused ones PyTorch does are explicit std::fma).

#include <algorithm>
#include <cmath>

#include "core/py_repr.h"
#include "ember/core/error.h"
#include "ember/ops/elementwise.h"
#include "ember/ops/factory.h"
#include "ops/util.h"
#include "vision/geometry_internal.h"

namespace ember::vision::transforms {

using ember::detail::str_cat;

namespace {

// ---- Pillow (Image input) ----

constexpr int kPrecisionBits = 32 - 8 - 2;

// Pillow's precompute_coeffs for the bilinear (triangle) filter over the box [0, in_size):
// the filter's support grows with the downscale factor, so shrinking averages (antialias).
struct PilCoeffs {
    int ksize = 0;
    std::vector<int> bounds;  // per output: first input index, count
    std::vector<int32_t> k;   // per output: ksize fixed-point weights
};

PilCoeffs pil_bilinear_coeffs(int in_size, int out_size) {
    const float in0 = 0.0f, in1 = static_cast<float>(in_size);
    double filterscale = static_cast<double>(in1 - in0) / out_size;
    const double scale = filterscale;
    if (filterscale < 1.0) filterscale = 1.0;
    const double support = 1.0 * filterscale;
    PilCoeffs c;
    c.ksize = static_cast<int>(std::ceil(support)) * 2 + 1;
    c.bounds.resize(static_cast<size_t>(out_size) * 2);
    c.k.assign(static_cast<size_t>(out_size) * static_cast<size_t>(c.ksize), 0);
    std::vector<double> w(static_cast<size_t>(c.ksize));
    for (int xx = 0; xx < out_size; ++xx) {
        const double center = in0 + (xx + 0.5) * scale;
        double ww = 0.0;
        const double ss = 1.0 / filterscale;
        int xmin = static_cast<int>(center - support + 0.5);
        if (xmin < 0) xmin = 0;
        int xmax = static_cast<int>(center + support + 0.5);
        if (xmax > in_size) xmax = in_size;
        xmax -= xmin;
        for (int x = 0; x < xmax; ++x) {
            double t = (x + xmin - center + 0.5) * ss;
            if (t < 0.0) t = -t;
            const double v = t < 1.0 ? 1.0 - t : 0.0;
            w[static_cast<size_t>(x)] = v;
            ww += v;
        }
        for (int x = 0; x < c.ksize; ++x) {
            double v = x < xmax ? w[static_cast<size_t>(x)] : 0.0;
            if (x < xmax && ww != 0.0) v /= ww;
            // normalize_coeffs_8bpc: round half away from zero to 22 fractional bits.
            const double scaled = v * (1 << kPrecisionBits);
            c.k[static_cast<size_t>(xx * c.ksize + x)] =
                static_cast<int32_t>(v < 0 ? -0.5 + scaled : 0.5 + scaled);
        }
        c.bounds[static_cast<size_t>(xx) * 2] = xmin;
        c.bounds[static_cast<size_t>(xx) * 2 + 1] = xmax;
    }
    return c;
}

inline uint8_t clip8(int32_t in) {
    const int32_t v = in >> kPrecisionBits;  // arithmetic shift: floor, as Pillow's lookup
    return static_cast<uint8_t>(std::clamp(v, 0, 255));
}

// Pillow's ImagingResample (bilinear, 8 bits per channel): horizontal pass over the rows the
// vertical pass reads, rounded to uint8, then the vertical pass.
Image pil_resize_bilinear(const Image& image, int64_t out_h, int64_t out_w) {
    const int in_h = static_cast<int>(image.height()), in_w = static_cast<int>(image.width());
    const int C = static_cast<int>(image.channels());
    const int oh = static_cast<int>(out_h), ow = static_cast<int>(out_w);
    const bool need_horizontal = ow != in_w, need_vertical = oh != in_h;
    PilCoeffs vert = pil_bilinear_coeffs(in_h, oh);
    const int ybox_first = vert.bounds[0];
    const int ybox_last =
        vert.bounds[static_cast<size_t>(oh) * 2 - 2] + vert.bounds[static_cast<size_t>(oh) * 2 - 1];

    // The current pixels: rows x cols x C, contiguous.
    std::vector<uint8_t> cur(image.data(), image.data() + image.tensor().numel());
    int rows = in_h, cols = in_w;
    if (need_horizontal) {
        const PilCoeffs horiz = pil_bilinear_coeffs(in_w, ow);
        for (int i = 0; i < oh; ++i) vert.bounds[static_cast<size_t>(i) * 2] -= ybox_first;
        const int tmp_rows = ybox_last - ybox_first;
        std::vector<uint8_t> tmp(static_cast<size_t>(tmp_rows) * ow * C);
        for (int yy = 0; yy < tmp_rows; ++yy) {
            const uint8_t* in_row = cur.data() + static_cast<size_t>(yy + ybox_first) * cols * C;
            for (int xx = 0; xx < ow; ++xx) {
                const int xmin = horiz.bounds[static_cast<size_t>(xx) * 2];
                const int xmax = horiz.bounds[static_cast<size_t>(xx) * 2 + 1];
                const int32_t* k = horiz.k.data() + static_cast<size_t>(xx) * horiz.ksize;
                for (int ch = 0; ch < C; ++ch) {
                    int32_t ss = 1 << (kPrecisionBits - 1);
                    for (int x = 0; x < xmax; ++x) ss += in_row[(x + xmin) * C + ch] * k[x];
                    tmp[(static_cast<size_t>(yy) * ow + xx) * C + ch] = clip8(ss);
                }
            }
        }
        cur.swap(tmp);
        rows = tmp_rows;
        cols = ow;
    }
    if (need_vertical) {
        std::vector<uint8_t> out(static_cast<size_t>(oh) * cols * C);
        for (int yy = 0; yy < oh; ++yy) {
            const int ymin = vert.bounds[static_cast<size_t>(yy) * 2];
            const int ymax = vert.bounds[static_cast<size_t>(yy) * 2 + 1];
            const int32_t* k = vert.k.data() + static_cast<size_t>(yy) * vert.ksize;
            for (int xx = 0; xx < cols * C; ++xx) {
                int32_t ss = 1 << (kPrecisionBits - 1);
                for (int y = 0; y < ymax; ++y)
                    ss += cur[static_cast<size_t>(y + ymin) * cols * C + xx] * k[y];
                out[static_cast<size_t>(yy) * cols * C + xx] = clip8(ss);
            }
        }
        cur.swap(out);
        rows = oh;
    }
    Tensor pixels = empty({rows, cols, C}, {.dtype = DType::UInt8});
    std::copy(cur.begin(), cur.end(), static_cast<uint8_t*>(pixels.data_ptr()));
    return Image(pixels);
}

// Pillow's nearest resize (ImagingScaleAffine): source x = (int)(x0 + step/2 + k step), the
// position accumulated by repeated addition as Pillow does.
std::vector<int64_t> pil_nearest_map(int64_t in_size, int64_t out_size) {
    const double step =
        static_cast<double>(static_cast<float>(in_size)) / static_cast<double>(out_size);
    double pos = 0.0 + step * 0.5;
    std::vector<int64_t> map(static_cast<size_t>(out_size));
    for (int64_t i = 0; i < out_size; ++i) {
        const int64_t x = pos < 0.0 ? -1 : static_cast<int64_t>(pos);
        map[static_cast<size_t>(i)] = x >= 0 && x < in_size ? x : -1;
        pos += step;
    }
    return map;
}

// ---- torch.nn.functional.interpolate (tensor input) ----

// Linear interpolation taps along one axis (PyTorch's compute_indices_weights_linear). The
// scale is rounded to T, the source position is kept in double: this (checked against
// torch 1.13 on random sizes) reproduces PyTorch's float results to the bit.
template <class T>
struct LinearTaps {
    std::vector<int64_t> i0, i1;
    std::vector<T> w0, w1;
};

template <class T>
LinearTaps<T> linear_taps(int64_t in, int64_t out) {
    LinearTaps<T> t;
    const auto scale = static_cast<double>(static_cast<T>(in) / static_cast<T>(out));
    for (int64_t i = 0; i < out; ++i) {
        if (in == out) {
            t.i0.push_back(i);
            t.i1.push_back(i);
            t.w0.push_back(T(1));
            t.w1.push_back(T(0));
            continue;
        }
        double real = scale * (static_cast<double>(i) + 0.5) - 0.5;
        if (real < 0) real = 0;
        const auto idx = static_cast<int64_t>(real);
        t.i0.push_back(idx);
        t.i1.push_back(idx + (idx < in - 1 ? 1 : 0));
        const auto l1 =
            static_cast<T>(std::min(std::max(real - static_cast<double>(idx), 0.0), 1.0));
        t.w1.push_back(l1);
        t.w0.push_back(T(1) - l1);
    }
    return t;
}

// PyTorch's nearest_idx: identity, halving, or floor(i * (float)(in / out)).
std::vector<int64_t> nearest_map(int64_t in, int64_t out) {
    std::vector<int64_t> map(static_cast<size_t>(out));
    const float scale = static_cast<float>(in) / static_cast<float>(out);
    for (int64_t i = 0; i < out; ++i) {
        if (out == in)
            map[static_cast<size_t>(i)] = i;
        else if (out == 2 * in)
            map[static_cast<size_t>(i)] = i >> 1;
        else
            map[static_cast<size_t>(i)] =
                std::min(static_cast<int64_t>(std::floor(static_cast<float>(i) * scale)), in - 1);
    }
    return map;
}

// Antialiased taps (PyTorch's compute_indices_weights_aa with the triangle filter).
template <class T>
void aa_taps(int64_t in, int64_t out, std::vector<int64_t>& start, std::vector<int64_t>& count,
             std::vector<std::vector<T>>& weights) {
    const T scale = static_cast<T>(in) / static_cast<T>(out);
    const T support = scale >= T(1) ? scale : T(1);
    const T invscale = scale >= T(1) ? T(1) / scale : T(1);
    for (int64_t i = 0; i < out; ++i) {
        const T center = scale * (static_cast<T>(i) + T(0.5));
        const int64_t xmin = std::max<int64_t>(static_cast<int64_t>(center - support + T(0.5)), 0);
        const int64_t xsize =
            std::min<int64_t>(static_cast<int64_t>(center + support + T(0.5)), in) - xmin;
        std::vector<T> w(static_cast<size_t>(std::max<int64_t>(xsize, 0)));
        T total = 0;
        for (int64_t j = 0; j < xsize; ++j) {
            T x = (static_cast<T>(j + xmin) - center + T(0.5)) * invscale;
            if (x < 0) x = -x;
            w[static_cast<size_t>(j)] = x < T(1) ? T(1) - x : T(0);
            total += w[static_cast<size_t>(j)];
        }
        if (total != T(0))
            for (T& v : w) v /= total;
        start.push_back(xmin);
        count.push_back(xsize);
        weights.push_back(std::move(w));
    }
}

// One antialiased pass along the rows (horizontal) or columns (vertical) of planes x H x W.
template <class T>
std::vector<T> aa_pass(const std::vector<T>& src, int64_t planes, int64_t H, int64_t W, int64_t out,
                       bool horizontal) {
    std::vector<int64_t> start, count;
    std::vector<std::vector<T>> weights;
    aa_taps<T>(horizontal ? W : H, out, start, count, weights);
    const int64_t oh = horizontal ? H : out, ow = horizontal ? out : W;
    std::vector<T> dst(static_cast<size_t>(planes * oh * ow));
    for (int64_t p = 0; p < planes; ++p)
        for (int64_t y = 0; y < oh; ++y)
            for (int64_t x = 0; x < ow; ++x) {
                const int64_t o = horizontal ? x : y;
                const std::vector<T>& w = weights[static_cast<size_t>(o)];
                T acc = 0;
                for (int64_t j = 0; j < count[static_cast<size_t>(o)]; ++j) {
                    const int64_t s = start[static_cast<size_t>(o)] + j;
                    const T v = horizontal ? src[static_cast<size_t>((p * H + y) * W + s)]
                                           : src[static_cast<size_t>((p * H + s) * W + x)];
                    acc += v * w[static_cast<size_t>(j)];
                }
                dst[static_cast<size_t>((p * oh + y) * ow + x)] = acc;
            }
    return dst;
}

template <class T>
Tensor interpolate_planes(const Tensor& x, int64_t oh, int64_t ow, InterpolationMode mode,
                          bool antialias) {
    const int64_t H = x.size(-2), W = x.size(-1);
    const int64_t planes = H * W == 0 ? 0 : x.numel() / (H * W);
    std::vector<int64_t> sizes = x.sizes().vec();
    sizes[sizes.size() - 2] = oh;
    sizes[sizes.size() - 1] = ow;
    Tensor out = empty(sizes, {.dtype = x.dtype()});
    if (out.numel() == 0) return out;
    const T* s = static_cast<const T*>(x.data_ptr());
    T* d = static_cast<T*>(out.data_ptr());
    if (antialias) {
        std::vector<T> cur(s, s + x.numel());
        int64_t h = H, w = W;
        if (ow != W) {
            cur = aa_pass<T>(cur, planes, h, w, ow, true);
            w = ow;
        }
        if (oh != H) {
            cur = aa_pass<T>(cur, planes, h, w, oh, false);
            h = oh;
        }
        std::copy(cur.begin(), cur.end(), d);
        return out;
    }
    if (mode == InterpolationMode::Nearest) {
        const std::vector<int64_t> rows = nearest_map(H, oh), cols = nearest_map(W, ow);
        for (int64_t p = 0; p < planes; ++p)
            for (int64_t y = 0; y < oh; ++y)
                for (int64_t xo = 0; xo < ow; ++xo)
                    *d++ = s[(p * H + rows[static_cast<size_t>(y)]) * W +
                             cols[static_cast<size_t>(xo)]];
        return out;
    }
    const LinearTaps<T> ty = linear_taps<T>(H, oh), tx = linear_taps<T>(W, ow);
    for (int64_t p = 0; p < planes; ++p) {
        const T* plane = s + p * H * W;
        for (int64_t y = 0; y < oh; ++y) {
            const size_t yi = static_cast<size_t>(y);
            const T* r0 = plane + ty.i0[yi] * W;
            const T* r1 = plane + ty.i1[yi] * W;
            for (int64_t xo = 0; xo < ow; ++xo) {
                const size_t xi = static_cast<size_t>(xo);
                // a * w0 + b * w1 as PyTorch's vectorised build evaluates it: one fused
                // multiply-add over the rounded second product.
                const T t0 = std::fma(r0[tx.i0[xi]], tx.w0[xi], r0[tx.i1[xi]] * tx.w1[xi]);
                const T t1 = std::fma(r1[tx.i0[xi]], tx.w0[xi], r1[tx.i1[xi]] * tx.w1[xi]);
                *d++ = std::fma(t0, ty.w0[yi], t1 * ty.w1[yi]);
            }
        }
    }
    return out;
}

Tensor resize_tensor(const Tensor& img, int64_t oh, int64_t ow, InterpolationMode mode,
                     bool antialias) {
    EMBER_CHECK(
        !antialias || mode == InterpolationMode::Bilinear,
        "Resize: antialias is supported for bilinear (and bicubic) interpolation only, got ",
        interpolation_name(mode));
    const DType dtype = img.dtype();
    EMBER_CHECK(dtype != DType::Bool, "Resize: bool tensor images are not supported, got ",
                ember::detail::describe(img));
    EMBER_CHECK((img.size(-2) > 0 && img.size(-1) > 0) || img.numel() == 0,
                "Resize: cannot resize an image of size 0, got ", ember::detail::describe(img));
    const bool keep = dtype == DType::Float32 || dtype == DType::Float64;
    const Tensor x = (keep ? img : img.to(DType::Float32)).contiguous();
    Tensor out = x.dtype() == DType::Float64
                     ? interpolate_planes<double>(x, oh, ow, mode, antialias)
                     : interpolate_planes<float>(x, oh, ow, mode, antialias);
    if (keep) return out;
    if (!is_floating_point(dtype)) out = ember::round(out);  // "it is better to round before cast"
    return out.to(dtype);
}

}  // namespace

namespace functional {

std::pair<int64_t, int64_t> resized_output_size(int64_t height, int64_t width,
                                                const IntOrList& size,
                                                std::optional<int64_t> max_size) {
    EMBER_CHECK(size.values.size() == 1 || size.values.size() == 2,
                "Resize: size must be an int or a 1 or 2 element sequence, not a ",
                size.values.size(), " element sequence");
    for (int64_t v : size.values)
        EMBER_CHECK(v > 0, "Resize: size must be positive, got ", size.repr());
    if (size.values.size() == 2) {
        EMBER_CHECK(!max_size,
                    "Resize: max_size should only be passed if size specifies the "
                    "length of the smaller edge (an int), got size=",
                    size.repr());
        return {size.values[0], size.values[1]};
    }
    EMBER_CHECK(height > 0 && width > 0, "Resize: cannot resize an image of size ", height, " x ",
                width);
    const bool w_short = width <= height;
    const int64_t short_edge = w_short ? width : height, long_edge = w_short ? height : width;
    const int64_t requested = size.values[0];
    int64_t new_short = requested;
    // int(requested * long / short): Python's true division, then truncation.
    auto new_long = static_cast<int64_t>(static_cast<double>(requested * long_edge) /
                                         static_cast<double>(short_edge));
    if (max_size) {
        EMBER_CHECK(*max_size > requested, "Resize: max_size = ", *max_size,
                    " must be strictly greater than the requested size for the smaller edge "
                    "size = [",
                    requested, "]");
        if (new_long > *max_size) {
            new_short = static_cast<int64_t>(static_cast<double>(*max_size * new_short) /
                                             static_cast<double>(new_long));
            new_long = *max_size;
        }
    }
    return w_short ? std::pair{new_long, new_short} : std::pair{new_short, new_long};
}

ImageOrTensor resize(const ImageOrTensor& img, int64_t height, int64_t width,
                     InterpolationMode interpolation, std::optional<bool> antialias) {
    EMBER_CHECK(height > 0 && width > 0, "Resize: the output size must be positive, got ", height,
                " x ", width);
    const std::vector<int64_t> dims = detail::image_dims(img, "Resize");
    if (dims[1] == height && dims[2] == width) return img;
    if (const Image* image = std::get_if<Image>(&img)) {
        EMBER_CHECK(!image->empty(), "Resize: cannot resize an empty image ", image->repr());
        if (interpolation == InterpolationMode::Nearest)
            return detail::remap_image(img, pil_nearest_map(image->height(), height),
                                       pil_nearest_map(image->width(), width), {0});
        return pil_resize_bilinear(*image, height, width);
    }
    return resize_tensor(std::get<Tensor>(img), height, width, interpolation,
                         antialias.value_or(false));
}

}  // namespace functional

Resize::Resize(IntOrList size, ResizeOptions options) : size_(std::move(size)), options_(options) {
    // Check the arguments now (the image size does not matter for these checks).
    functional::resized_output_size(1, 1, size_, options_.max_size);
}

ImageOrTensor Resize::operator()(ImageOrTensor input) const {
    const std::vector<int64_t> dims = detail::image_dims(input, "Resize");
    const auto [h, w] = functional::resized_output_size(dims[1], dims[2], size_, options_.max_size);
    return functional::resize(input, h, w, options_.interpolation, options_.antialias);
}

namespace {
std::string py_optional(std::optional<int64_t> v) {
    return v ? std::to_string(*v) : "None";
}
std::string py_optional(std::optional<bool> v) {
    return v ? ember::detail::py_bool(*v) : "None";
}
}  // namespace

std::string Resize::repr() const {
    return str_cat("Resize(size=", size_.repr(),
                   ", interpolation=", interpolation_name(options_.interpolation),
                   ", max_size=", py_optional(options_.max_size),
                   ", antialias=", py_optional(options_.antialias), ")");
}

RandomResizedCrop::RandomResizedCrop(IntOrList size, RandomResizedCropOptions options)
    : options_(options) {
    std::tie(height_, width_) = detail::setup_size(size, "RandomResizedCrop");
    EMBER_CHECK(height_ > 0 && width_ > 0, "RandomResizedCrop: size must be positive, got ",
                size.repr());
}

std::vector<int64_t> RandomResizedCrop::get_params(int64_t height, int64_t width,
                                                   std::pair<double, double> scale,
                                                   std::pair<double, double> ratio) {
    const double area = static_cast<double>(height * width);
    // torch.log(torch.tensor(ratio)): float32 logs.
    const float log_lo = std::log(static_cast<float>(ratio.first));
    const float log_hi = std::log(static_cast<float>(ratio.second));
    for (int attempt = 0; attempt < 10; ++attempt) {
        const double target_area = area * detail::draw_uniform(scale.first, scale.second);
        // torch.exp of a one-element float32 tensor: the scalar expf.
        const double aspect =
            static_cast<double>(std::exp(static_cast<float>(detail::draw_uniform(log_lo, log_hi))));
        const int64_t w = detail::round_half_even(std::sqrt(target_area * aspect));
        const int64_t h = detail::round_half_even(std::sqrt(target_area / aspect));
        if (0 < w && w <= width && 0 < h && h <= height) {
            const int64_t i = detail::draw_index(height - h + 1);
            const int64_t j = detail::draw_index(width - w + 1);
            return {i, j, h, w};
        }
    }
    // Fallback to a central crop.
    const double in_ratio = static_cast<double>(width) / static_cast<double>(height);
    const double lo = std::min(ratio.first, ratio.second), hi = std::max(ratio.first, ratio.second);
    int64_t w = width, h = height;
    if (in_ratio < lo)
        h = detail::round_half_even(static_cast<double>(w) / lo);
    else if (in_ratio > hi)
        w = detail::round_half_even(static_cast<double>(h) * hi);
    return {(height - h) / 2, (width - w) / 2, h, w};
}

ImageOrTensor RandomResizedCrop::operator()(ImageOrTensor input) const {
    const std::vector<int64_t> dims = detail::image_dims(input, "RandomResizedCrop");
    const std::vector<int64_t> p = get_params(dims[1], dims[2], options_.scale, options_.ratio);
    ImageOrTensor cropped = functional::crop(input, p[0], p[1], p[2], p[3]);
    return functional::resize(cropped, height_, width_, options_.interpolation, options_.antialias);
}

std::string RandomResizedCrop::repr() const {
    // round(s, 4) as torchvision prints; the stray ")" after interpolation is torchvision's.
    auto r4 = [](double v) { return std::nearbyint(v * 1e4) / 1e4; };
    return str_cat(
        "RandomResizedCrop(size=(", height_, ", ", width_,
        "), scale=", detail::py_float_pair({r4(options_.scale.first), r4(options_.scale.second)}),
        ", ratio=", detail::py_float_pair({r4(options_.ratio.first), r4(options_.ratio.second)}),
        ", interpolation=", interpolation_name(options_.interpolation),
        "), antialias=", py_optional(options_.antialias), ")");
}

}  // namespace ember::vision::transforms
