// RandomRotation and functional::rotate. Images follow Pillow's Image.rotate (its rounded
// rotation matrix, the 16.16 fixed-point nearest affine and the bilinear transform filter);
// tensors follow torchvision's functional_tensor.rotate (inverse affine matrix, affine grid,
// grid_sample with zeros padding and a mask channel for the fill).
// Pillow's and PyTorch's roundings step by step: CMakeLists.txt compiles this file with
// -ffp-contract=off.

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <numbers>

#include "core/py_repr.h"
#include "ember/core/error.h"
#include "ember/ops/elementwise.h"
#include "ember/ops/factory.h"
#include "ops/util.h"
#include "vision/geometry_internal.h"

namespace ember::vision::transforms {

using ember::detail::str_cat;

namespace {

// Python's round(v, 15): the decimal rounding, read back as the nearest double.
double py_round15(double v) {
    char buf[64];
    std::snprintf(buf, sizeof(buf), "%.15f", v);
    return std::strtod(buf, nullptr);
}

// Python's float modulo (the result takes the divisor's sign).
double py_mod(double a, double b) {
    double m = std::fmod(a, b);
    if (m != 0 && ((m < 0) != (b < 0))) m += b;
    return m;
}

double radians(double degrees) {
    return degrees * (std::numbers::pi / 180.0);
}

// ---- Pillow ----

inline int pil_floor(double x) {
    return x < 0.0 ? static_cast<int>(std::floor(x)) : static_cast<int>(x);
}

// Image.rotate's inverse matrix and output size.
struct PilAffine {
    double a[6];
    int64_t width, height;
};

PilAffine pil_rotation(int64_t w, int64_t h, double angle, bool expand,
                       std::optional<std::pair<double, double>> center) {
    const double cx = center ? center->first : static_cast<double>(w) / 2.0;
    const double cy = center ? center->second : static_cast<double>(h) / 2.0;
    const double rad = -radians(angle);
    PilAffine m{{py_round15(std::cos(rad)), py_round15(std::sin(rad)), 0.0,
                 py_round15(-std::sin(rad)), py_round15(std::cos(rad)), 0.0},
                w,
                h};
    auto apply = [&](double x, double y, double& ox, double& oy) {
        ox = m.a[0] * x + m.a[1] * y + m.a[2];
        oy = m.a[3] * x + m.a[4] * y + m.a[5];
    };
    double tx, ty;
    apply(-cx - 0, -cy - 0, tx, ty);
    m.a[2] = tx + cx;
    m.a[5] = ty + cy;
    if (expand) {
        double xs[4], ys[4];
        const double corners[4][2] = {
            {0, 0}, {double(w), 0}, {double(w), double(h)}, {0, double(h)}};
        for (int k = 0; k < 4; ++k) apply(corners[k][0], corners[k][1], xs[k], ys[k]);
        const auto nw = static_cast<int64_t>(std::ceil(*std::max_element(xs, xs + 4)) -
                                             std::floor(*std::min_element(xs, xs + 4)));
        const auto nh = static_cast<int64_t>(std::ceil(*std::max_element(ys, ys + 4)) -
                                             std::floor(*std::min_element(ys, ys + 4)));
        apply(-static_cast<double>(nw - w) / 2.0, -static_cast<double>(nh - h) / 2.0, tx, ty);
        m.a[2] = tx;
        m.a[5] = ty;
        m.width = nw;
        m.height = nh;
    }
    return m;
}

Image pil_rotate(const Image& image, double angle, InterpolationMode mode, bool expand,
                 std::optional<std::pair<double, double>> center, const std::vector<double>& fill) {
    const int64_t W = image.width(), H = image.height(), C = image.channels();
    angle = py_mod(angle, 360.0);
    // Pillow's fast paths: exact quarter turns are transposes.
    if (!center) {
        if (angle == 0) return Image(image.tensor().clone());
        if (angle == 180) return Image(image.tensor().flip({0, 1}).contiguous());
        if ((angle == 90 || angle == 270) && (expand || W == H)) {
            // ROTATE_90 is counter-clockwise: out[y][x] = in[x][W - 1 - y].
            Tensor t = image.tensor().transpose(0, 1);
            return Image((angle == 90 ? t.flip({0}) : t.flip({1})).contiguous());
        }
    }
    const PilAffine m = pil_rotation(W, H, angle, expand, center);
    Image out(m.height, m.width, C);
    uint8_t* d = out.data();
    for (int64_t i = 0; i < out.tensor().numel(); ++i)
        d[i] = static_cast<uint8_t>(fill[static_cast<size_t>(i % C)]);
    const uint8_t* s = image.data();
    const double* a = m.a;
    if (mode == InterpolationMode::Nearest) {
        // affine_fixed: 16.16 fixed point (the images here are far inside its range).
        auto fix = [](double v) { return pil_floor(v * 65536.0 + 0.5); };
        const int a0 = fix(a[0]), a1 = fix(a[1]), a3 = fix(a[3]), a4 = fix(a[4]);
        int a2 = fix(a[2] + a[0] * 0.5 + a[1] * 0.5), a5 = fix(a[5] + a[3] * 0.5 + a[4] * 0.5);
        for (int64_t y = 0; y < m.height; ++y) {
            int xx = a2, yy = a5;
            for (int64_t x = 0; x < m.width; ++x) {
                const int xin = xx >> 16, yin = yy >> 16;
                if (xin >= 0 && xin < W && yin >= 0 && yin < H)
                    std::copy(s + (yin * W + xin) * C, s + (yin * W + xin + 1) * C,
                              d + (y * m.width + x) * C);
                xx += a0;
                yy += a3;
            }
            a2 += a1;
            a5 += a4;
        }
        return out;
    }
    // Generic transform with the bilinear filter (clamped neighbours, truncated result).
    for (int64_t y = 0; y < m.height; ++y)
        for (int64_t x = 0; x < m.width; ++x) {
            const double xo = x + 0.5, yo = y + 0.5;
            double xin = a[0] * xo + a[1] * yo + a[2];
            double yin = a[3] * xo + a[4] * yo + a[5];
            if (xin < 0.0 || xin >= W || yin < 0.0 || yin >= H) continue;
            xin -= 0.5;
            yin -= 0.5;
            const int xi = pil_floor(xin), yi = pil_floor(yin);
            const double dx = xin - xi, dy = yin - yi;
            auto clip = [](int v, int64_t n) {
                return v < 0 ? 0 : v < n ? v : static_cast<int>(n - 1);
            };
            const int x0 = clip(xi, W), x1 = clip(xi + 1, W), y0 = clip(yi, H);
            for (int64_t c = 0; c < C; ++c) {
                const uint8_t* row = s + y0 * W * C;
                double v1 = row[x0 * C + c] + (int{row[x1 * C + c]} - int{row[x0 * C + c]}) * dx;
                double v2 = v1;
                if (yi + 1 >= 0 && yi + 1 < H) {
                    const uint8_t* row2 = s + (yi + 1) * W * C;
                    v2 = row2[x0 * C + c] + (int{row2[x1 * C + c]} - int{row2[x0 * C + c]}) * dx;
                }
                v1 = v1 + (v2 - v1) * dy;
                d[(y * m.width + x) * C + c] = static_cast<uint8_t>(v1);
            }
        }
    return out;
}

// ---- tensors ----

template <class T>
Tensor rotate_planes(const Tensor& x, const double (&matrix)[6], int64_t ow, int64_t oh,
                     InterpolationMode mode, const std::vector<double>& fill) {
    const int64_t H = x.size(-2), W = x.size(-1);
    const int64_t C = x.dim() >= 3 ? x.size(-3) : 1;
    const int64_t planes = H * W == 0 ? 0 : x.numel() / (H * W);
    std::vector<int64_t> sizes = x.sizes().vec();
    sizes[sizes.size() - 2] = oh;
    sizes[sizes.size() - 1] = ow;
    Tensor out = empty(sizes, {.dtype = x.dtype()});
    // _gen_affine_grid: theta^T scaled by (w / 2, h / 2), applied to pixel centres.
    T theta[6];
    for (int k = 0; k < 6; ++k) theta[k] = static_cast<T>(matrix[k]);
    const auto half_w = static_cast<T>(0.5 * static_cast<double>(W));
    const auto half_h = static_cast<T>(0.5 * static_cast<double>(H));
    T r[3][2];
    for (int k = 0; k < 3; ++k) {
        r[k][0] = theta[k] / half_w;
        r[k][1] = theta[3 + k] / half_h;
    }
    const T* s = static_cast<const T*>(x.data_ptr());
    T* d = static_cast<T*>(out.data_ptr());
    for (int64_t i = 0; i < oh; ++i)
        for (int64_t j = 0; j < ow; ++j) {
            const auto bx = static_cast<T>(
                static_cast<float>(-static_cast<double>(ow) * 0.5 + 0.5 + static_cast<double>(j)));
            const auto by = static_cast<T>(
                static_cast<float>(-static_cast<double>(oh) * 0.5 + 0.5 + static_cast<double>(i)));
            const T gx = bx * r[0][0] + by * r[1][0] + r[2][0];
            const T gy = bx * r[0][1] + by * r[1][1] + r[2][1];
            // grid_sample, align_corners=False.
            const T ix = ((gx + T(1)) * static_cast<T>(W) - T(1)) / T(2);
            const T iy = ((gy + T(1)) * static_cast<T>(H) - T(1)) / T(2);
            for (int64_t p = 0; p < planes; ++p) {
                const T* plane = s + p * H * W;
                const T f = static_cast<T>(fill[fill.size() == 1 ? 0 : static_cast<size_t>(p % C)]);
                T value;
                if (mode == InterpolationMode::Nearest) {
                    const auto xn = static_cast<int64_t>(std::nearbyint(ix));
                    const auto yn = static_cast<int64_t>(std::nearbyint(iy));
                    const bool inside = xn >= 0 && xn < W && yn >= 0 && yn < H;
                    value = inside ? plane[yn * W + xn] : f;
                } else {
                    const T x0f = std::floor(ix), y0f = std::floor(iy);
                    const auto x0 = static_cast<int64_t>(x0f), y0 = static_cast<int64_t>(y0f);
                    const T x1f = x0f + T(1), y1f = y0f + T(1);
                    const T w_nw = (x1f - ix) * (y1f - iy), w_ne = (ix - x0f) * (y1f - iy);
                    const T w_sw = (x1f - ix) * (iy - y0f), w_se = (ix - x0f) * (iy - y0f);
                    T acc = 0, mask = 0;
                    auto tap = [&](int64_t yy, int64_t xx, T w) {
                        if (xx >= 0 && xx < W && yy >= 0 && yy < H) {
                            acc += plane[yy * W + xx] * w;
                            mask += w;
                        }
                    };
                    tap(y0, x0, w_nw);
                    tap(y0, x0 + 1, w_ne);
                    tap(y0 + 1, x0, w_sw);
                    tap(y0 + 1, x0 + 1, w_se);
                    value = acc * mask + (T(1) - mask) * f;
                }
                d[(p * oh + i) * ow + j] = value;
            }
        }
    return out;
}

}  // namespace

namespace functional {

ImageOrTensor rotate(const ImageOrTensor& img, double angle, InterpolationMode interpolation,
                     bool expand, std::optional<std::pair<double, double>> center,
                     const Fill& fill) {
    if (const Image* image = std::get_if<Image>(&img)) {
        std::vector<double> f = fill.values;
        if (f.size() == 1) f.assign(static_cast<size_t>(image->channels()), f[0]);
        EMBER_CHECK(static_cast<int64_t>(f.size()) == image->channels(),
                    "rotate: the number of elements in 'fill' does not match the number of "
                    "channels of the image (",
                    f.size(), " != ", image->channels(), ")");
        for (double& v : f) v = std::clamp(std::trunc(v), 0.0, 255.0);
        return pil_rotate(*image, angle, interpolation, expand, center, f);
    }
    const Tensor& x = std::get<Tensor>(img);
    const std::vector<int64_t> dims = detail::image_dims(img, "rotate");
    EMBER_CHECK(fill.values.size() == 1 || static_cast<int64_t>(fill.values.size()) == dims[0],
                "rotate: the number of elements in 'fill' cannot broadcast to match the number "
                "of channels of the image (",
                fill.values.size(), " != ", dims[0], ")");
    const int64_t W = dims[2], H = dims[1];
    // _get_inverse_affine_matrix(center, -angle, no translation, scale 1, no shear).
    const double cx = center ? center->first - static_cast<double>(W) * 0.5 : 0.0;
    const double cy = center ? center->second - static_cast<double>(H) * 0.5 : 0.0;
    const double rot = radians(-angle);
    const double a = std::cos(rot) / 1.0, b = -std::cos(rot) * 0.0 / 1.0 - std::sin(rot);
    const double c = std::sin(rot) / 1.0, d = -std::sin(rot) * 0.0 / 1.0 + std::cos(rot);
    double m[6] = {d, -b, 0.0, -c, a, 0.0};
    m[2] += m[0] * (-cx - 0.0) + m[1] * (-cy - 0.0);
    m[5] += m[3] * (-cx - 0.0) + m[4] * (-cy - 0.0);
    m[2] += cx;
    m[5] += cy;
    int64_t ow = W, oh = H;
    if (expand) {
        // _compute_affine_output_size, in float32 as torchvision computes it.
        const float fw = static_cast<float>(W), fh = static_cast<float>(H);
        const float pts[4][2] = {{-0.5f * fw, -0.5f * fh},
                                 {-0.5f * fw, 0.5f * fh},
                                 {0.5f * fw, 0.5f * fh},
                                 {0.5f * fw, -0.5f * fh}};
        float lo[2] = {INFINITY, INFINITY}, hi[2] = {-INFINITY, -INFINITY};
        for (const auto& p : pts)
            for (int k = 0; k < 2; ++k) {
                const float v = p[0] * static_cast<float>(m[3 * k]) +
                                p[1] * static_cast<float>(m[3 * k + 1]) +
                                static_cast<float>(m[3 * k + 2]);
                lo[k] = std::min(lo[k], v);
                hi[k] = std::max(hi[k], v);
            }
        const float shift[2] = {fw * 0.5f, fh * 0.5f};
        int64_t size[2];
        for (int k = 0; k < 2; ++k) {
            const float tol = 1e-4f;
            const float cmax = std::ceil(std::trunc((hi[k] + shift[k]) / tol) * tol);
            const float cmin = std::floor(std::trunc((lo[k] + shift[k]) / tol) * tol);
            size[k] = static_cast<int64_t>(cmax - cmin);
        }
        ow = size[0];
        oh = size[1];
    }
    const DType dtype = x.dtype();
    const bool keep = dtype == DType::Float32 || dtype == DType::Float64;
    const Tensor xf = (keep ? x : x.to(DType::Float32)).contiguous();
    Tensor out = xf.dtype() == DType::Float64
                     ? rotate_planes<double>(xf, m, ow, oh, interpolation, fill.values)
                     : rotate_planes<float>(xf, m, ow, oh, interpolation, fill.values);
    if (keep) return out;
    if (!is_floating_point(dtype)) out = ember::round(out);
    return out.to(dtype);
}

}  // namespace functional

RandomRotation::RandomRotation(std::pair<double, double> degrees, RandomRotationOptions options)
    : degrees_(degrees), options_(std::move(options)) {
    EMBER_CHECK(degrees_.first <= degrees_.second,
                "RandomRotation: degrees should be a (min, max) range, got ",
                detail::py_float_pair(degrees_));
}

namespace {
// (-d, d) for a single number d, which must not be negative.
std::pair<double, double> symmetric_degrees(double degrees) {
    EMBER_CHECK(degrees >= 0,
                "RandomRotation: if degrees is a single number, it must be positive, got ",
                degrees);
    return {-degrees, degrees};
}
}  // namespace

RandomRotation::RandomRotation(double degrees, RandomRotationOptions options)
    : RandomRotation(symmetric_degrees(degrees), std::move(options)) {}

ImageOrTensor RandomRotation::operator()(ImageOrTensor input) const {
    const std::vector<int64_t> dims = detail::image_dims(input, "RandomRotation");
    Fill fill = options_.fill;
    if (std::holds_alternative<Tensor>(input) && fill.values.size() == 1)
        fill.values.assign(static_cast<size_t>(dims[0]), fill.values[0]);
    const double angle = detail::draw_uniform(degrees_.first, degrees_.second);
    return functional::rotate(input, angle, options_.interpolation, options_.expand,
                              options_.center, fill);
}

std::string RandomRotation::repr() const {
    std::string s = str_cat(
        "RandomRotation(degrees=", ember::detail::py_float_list({degrees_.first, degrees_.second}),
        ", interpolation=", interpolation_name(options_.interpolation),
        ", expand=", ember::detail::py_bool(options_.expand));
    if (options_.center) {
        // Pixel coordinates are usually ints in Python: print integral values as ints.
        auto number = [](double v) {
            return v == std::floor(v) ? std::to_string(static_cast<int64_t>(v))
                                      : ember::detail::py_float(v);
        };
        s += str_cat(", center=(", number(options_.center->first), ", ",
                     number(options_.center->second), ")");
    }
    return s + str_cat(", fill=", options_.fill.repr(), ")");
}

}  // namespace ember::vision::transforms
