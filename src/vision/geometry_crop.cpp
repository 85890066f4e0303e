// Pad, crop, center crop and flips (functional and transform forms), plus the shared helpers
// of geometry_internal.h.
#include <algorithm>
#include <cmath>

#include "core/py_repr.h"
#include "cpu/loops.h"
#include "ember/core/error.h"
#include "ember/ops/factory.h"
#include "ember/ops/random.h"
#include "ember/ops/shape.h"
#include "ops/util.h"
#include "vision/geometry_internal.h"

namespace ember::vision::transforms {

using ember::detail::str_cat;

const char* interpolation_name(InterpolationMode mode) {
    return mode == InterpolationMode::Nearest ? "nearest" : "bilinear";
}

std::string IntOrList::repr() const {
    return scalar ? std::to_string(values[0]) : ember::detail::py_tuple(values);
}

namespace {

// A number as Python prints it when given as int (integral) or float.
std::string py_number(double v) {
    if (v == std::floor(v) && std::abs(v) < 1e15) return std::to_string(static_cast<int64_t>(v));
    return ember::detail::py_float(v);
}

}  // namespace

std::string Fill::repr() const {
    if (scalar) return py_number(values[0]);
    std::string s = "(";
    for (size_t i = 0; i < values.size(); ++i) s += (i ? ", " : "") + py_number(values[i]);
    return s + (values.size() == 1 ? ",)" : ")");
}

namespace detail {

void check_tensor_image(const Tensor& img, const char* op) {
    img.check_defined(op);
    EMBER_CHECK(img.dim() >= 2, op, ": tensor is not a torch image: expected [..., H, W], got ",
                ember::detail::describe(img));
    EMBER_CHECK(img.is_cpu(), op, ": only CPU tensors are supported, got ",
                ember::detail::describe(img));
}

Tensor remap_pixels(const Tensor& in, PlaneLayout L, const std::vector<int64_t>& row_map,
                    const std::vector<int64_t>& col_map, const std::vector<double>& fill,
                    IntArrayRef out_sizes) {
    Tensor src = in.contiguous();
    Tensor out = empty(out_sizes, {.dtype = src.dtype()});
    const auto R = static_cast<int64_t>(row_map.size()), Cn = static_cast<int64_t>(col_map.size());
    ember::detail::visit_dtype(src.dtype(), [&](auto tag) {
        using T = typename decltype(tag)::type;
        std::vector<T> fv(static_cast<size_t>(L.inner));
        for (int64_t k = 0; k < L.inner; ++k)
            fv[static_cast<size_t>(k)] =
                static_cast<T>(fill[fill.size() == 1 ? 0 : static_cast<size_t>(k)]);
        const T* s = static_cast<const T*>(src.data_ptr());
        T* d = static_cast<T*>(out.data_ptr());
        for (int64_t p = 0; p < L.planes; ++p) {
            const T* plane = s + p * L.rows * L.cols * L.inner;
            for (int64_t r = 0; r < R; ++r) {
                const int64_t y = row_map[static_cast<size_t>(r)];
                for (int64_t c = 0; c < Cn; ++c, d += L.inner) {
                    const int64_t x = col_map[static_cast<size_t>(c)];
                    if (y < 0 || x < 0) {
                        std::copy(fv.begin(), fv.end(), d);
                    } else {
                        const T* px = plane + (y * L.cols + x) * L.inner;
                        std::copy(px, px + L.inner, d);
                    }
                }
            }
        }
    });
    return out;
}

ImageOrTensor remap_image(const ImageOrTensor& img, const std::vector<int64_t>& row_map,
                          const std::vector<int64_t>& col_map, const std::vector<double>& fill) {
    const auto R = static_cast<int64_t>(row_map.size()), Cn = static_cast<int64_t>(col_map.size());
    if (const Image* image = std::get_if<Image>(&img)) {
        const int64_t C = image->channels();
        Tensor out = remap_pixels(image->tensor(), {1, image->height(), image->width(), C}, row_map,
                                  col_map, fill, {R, Cn, C});
        return Image(out);
    }
    const Tensor& t = std::get<Tensor>(img);
    const int64_t H = t.size(-2), W = t.size(-1);
    const int64_t planes = H * W == 0 ? 0 : t.numel() / (H * W);
    std::vector<int64_t> sizes = t.sizes().vec();
    sizes[sizes.size() - 2] = R;
    sizes[sizes.size() - 1] = Cn;
    if (H * W == 0) {
        // No pixels to read: every output pixel is fill (or there are none).
        Tensor out = empty(sizes, {.dtype = t.dtype()});
        if (out.numel() > 0) out.fill_(fill[0]);
        return out;
    }
    return remap_pixels(t, {planes, H, W, 1}, row_map, col_map, fill, sizes);
}

std::vector<int64_t> image_dims(const ImageOrTensor& img, const char* op) {
    if (const Image* image = std::get_if<Image>(&img))
        return {image->channels(), image->height(), image->width()};
    const Tensor& t = std::get<Tensor>(img);
    check_tensor_image(t, op);
    return {t.dim() == 2 ? 1 : t.size(-3), t.size(-2), t.size(-1)};
}

bool draw_below(double p) {
    // torch.rand(1) < p compares in float32 (p is a wrapped Python scalar).
    return rand({1}).item<float>() < static_cast<float>(p);
}

int64_t draw_index(int64_t high) {
    return randint(0, high, {1}).item<int64_t>();
}

double draw_uniform(double from, double to) {
    return static_cast<double>(empty({1}).uniform_(from, to).item<float>());
}

std::pair<int64_t, int64_t> setup_size(const IntOrList& size, const char* op) {
    EMBER_CHECK(size.values.size() == 1 || size.values.size() == 2, op,
                ": please provide only two dimensions (h, w) for size, got ", size.repr());
    for (int64_t v : size.values)
        EMBER_CHECK(v >= 0, op, ": size must not be negative, got ", size.repr());
    return size.values.size() == 1 ? std::pair{size.values[0], size.values[0]}
                                   : std::pair{size.values[0], size.values[1]};
}

std::string py_float_pair(std::pair<double, double> v) {
    return str_cat("(", ember::detail::py_float(v.first), ", ", ember::detail::py_float(v.second),
                   ")");
}

}  // namespace detail

namespace functional {

namespace {

enum class PadMode { Constant, Edge, Reflect, Symmetric };

PadMode parse_pad_mode(const std::string& mode, const char* op) {
    if (mode == "constant") return PadMode::Constant;
    if (mode == "edge") return PadMode::Edge;
    if (mode == "reflect") return PadMode::Reflect;
    if (mode == "symmetric") return PadMode::Symmetric;
    EMBER_ERROR(op, ": padding mode should be either constant, edge, reflect or symmetric, got '",
                mode, "'");
}

// Source index of output position k in [-before, n + after) along an axis of n pixels (-1:
// fill), for numpy's pad modes (the PIL path pads with numpy; torch's modes agree).
int64_t border_index(int64_t k, int64_t n, PadMode mode) {
    if (k >= 0 && k < n) return k;
    switch (mode) {
        case PadMode::Constant:
            return -1;
        case PadMode::Edge:
            return k < 0 ? 0 : n - 1;
        case PadMode::Reflect: {
            if (n == 1) return 0;
            const int64_t period = 2 * (n - 1);
            const int64_t m = ((k % period) + period) % period;
            return m < n ? m : period - m;
        }
        case PadMode::Symmetric: {
            const int64_t period = 2 * n;
            const int64_t m = ((k % period) + period) % period;
            return m < n ? m : period - 1 - m;
        }
    }
    return -1;
}

// The map of one axis padded by (before, after); negative amounts crop first, as torchvision
// does for every mode.
std::vector<int64_t> axis_map(int64_t n, int64_t before, int64_t after, PadMode mode) {
    const int64_t crop_before = std::max<int64_t>(-before, 0),
                  crop_after = std::max<int64_t>(-after, 0);
    const int64_t kept = std::max<int64_t>(n - crop_before - crop_after, 0);
    before = std::max<int64_t>(before, 0);
    after = std::max<int64_t>(after, 0);
    std::vector<int64_t> map;
    map.reserve(static_cast<size_t>(before + kept + after));
    for (int64_t k = -before; k < kept + after; ++k) {
        const int64_t i = kept == 0 ? -1 : border_index(k, kept, mode);
        map.push_back(i < 0 ? -1 : i + crop_before);
    }
    return map;
}

// (left, top, right, bottom) from torchvision's 1, 2 or 4 values.
std::vector<int64_t> parse_padding(IntArrayRef padding, const char* op) {
    EMBER_CHECK(padding.size() == 1 || padding.size() == 2 || padding.size() == 4, op,
                ": padding must be an int or a 1, 2, or 4 element sequence, not a ", padding.size(),
                " element sequence");
    if (padding.size() == 1) return {padding[0], padding[0], padding[0], padding[0]};
    if (padding.size() == 2) return {padding[0], padding[1], padding[0], padding[1]};
    return padding.vec();
}

// The fill values for an image: torchvision's _parse_fill (one per channel, truncated to
// int for 8-bit images) or, for tensors, the one number.
std::vector<double> parse_fill(const ImageOrTensor& img, const Fill& fill, const char* op) {
    if (const Image* image = std::get_if<Image>(&img)) {
        const auto C = static_cast<size_t>(image->channels());
        std::vector<double> v = fill.values;
        if (v.size() == 1 && fill.scalar) v.assign(C, v[0]);
        EMBER_CHECK(v.size() == C, op,
                    ": the number of elements in 'fill' does not match the number of channels "
                    "of the image (",
                    v.size(), " != ", C, ")");
        for (double& x : v) x = std::clamp(std::trunc(x), 0.0, 255.0);
        return v;
    }
    EMBER_CHECK(fill.scalar, op, ": a tensor image takes one number as fill, got ", fill.repr());
    return fill.values;
}

}  // namespace

std::vector<int64_t> get_dimensions(const ImageOrTensor& img) {
    return detail::image_dims(img, "get_dimensions");
}

ImageOrTensor pad(const ImageOrTensor& img, IntArrayRef padding, const Fill& fill,
                  const std::string& padding_mode) {
    const char* op = "Pad";
    const PadMode mode = parse_pad_mode(padding_mode, op);
    const std::vector<int64_t> ltrb = parse_padding(padding, op);
    const std::vector<int64_t> dims = detail::image_dims(img, op);
    const int64_t H = dims[1], W = dims[2];
    const std::vector<double> fill_values =
        mode == PadMode::Constant ? parse_fill(img, fill, op) : std::vector<double>{0};
    if (std::holds_alternative<Tensor>(img) && mode != PadMode::Constant) {
        // torch's reflect pad needs padding < size, torchvision's symmetric indexing padding
        // <= size (after negative paddings cropped); numpy (the PIL path) repeats instead.
        const int64_t kept_h = H - std::max<int64_t>(-ltrb[1], 0) - std::max<int64_t>(-ltrb[3], 0);
        const int64_t kept_w = W - std::max<int64_t>(-ltrb[0], 0) - std::max<int64_t>(-ltrb[2], 0);
        const int64_t slack = mode == PadMode::Reflect ? 1 : 0;
        EMBER_CHECK(std::max(ltrb[1], ltrb[3]) <= kept_h - slack &&
                        std::max(ltrb[0], ltrb[2]) <= kept_w - slack && kept_h > 0 && kept_w > 0,
                    op, ": padding (left, top, right, bottom) = ", IntArrayRef(ltrb),
                    " is too large for ", padding_mode, " padding of a tensor image of ", H, " x ",
                    W, " (it must be ", mode == PadMode::Reflect ? "less than" : "at most",
                    " the size)");
    }
    return detail::remap_image(img, axis_map(H, ltrb[1], ltrb[3], mode),
                               axis_map(W, ltrb[0], ltrb[2], mode), fill_values);
}

ImageOrTensor crop(const ImageOrTensor& img, int64_t top, int64_t left, int64_t height,
                   int64_t width) {
    EMBER_CHECK(height >= 0 && width >= 0, "crop: height and width must not be negative, got ",
                height, " x ", width);
    const std::vector<int64_t> dims = detail::image_dims(img, "crop");
    const int64_t H = dims[1], W = dims[2];
    const bool inside = top >= 0 && left >= 0 && top + height <= H && left + width <= W;
    if (inside && std::holds_alternative<Tensor>(img))
        return std::get<Tensor>(img).narrow(-2, top, height).narrow(-1, left, width);
    std::vector<int64_t> rows, cols;
    for (int64_t r = top; r < top + height; ++r) rows.push_back(r >= 0 && r < H ? r : -1);
    for (int64_t c = left; c < left + width; ++c) cols.push_back(c >= 0 && c < W ? c : -1);
    return detail::remap_image(img, rows, cols, {0});
}

ImageOrTensor center_crop(const ImageOrTensor& img, int64_t height, int64_t width) {
    EMBER_CHECK(height >= 0 && width >= 0, "CenterCrop: crop size must not be negative, got ",
                height, " x ", width);
    std::vector<int64_t> dims = detail::image_dims(img, "CenterCrop");
    int64_t H = dims[1], W = dims[2];
    ImageOrTensor current = img;
    if (width > W || height > H) {
        const std::vector<int64_t> ltrb = {
            width > W ? (width - W) / 2 : 0, height > H ? (height - H) / 2 : 0,
            width > W ? (width - W + 1) / 2 : 0, height > H ? (height - H + 1) / 2 : 0};
        current = pad(img, ltrb, 0, "constant");
        dims = get_dimensions(current);
        H = dims[1];
        W = dims[2];
        if (width == W && height == H) return current;
    }
    // int(round((H - h) / 2.0)): Python rounds half to even.
    const int64_t top = detail::round_half_even(static_cast<double>(H - height) / 2.0);
    const int64_t left = detail::round_half_even(static_cast<double>(W - width) / 2.0);
    return crop(current, top, left, height, width);
}

ImageOrTensor hflip(const ImageOrTensor& img) {
    if (const Tensor* t = std::get_if<Tensor>(&img)) {
        detail::check_tensor_image(*t, "hflip");
        return flip(*t, {-1});
    }
    const Image& image = std::get<Image>(img);
    std::vector<int64_t> rows(static_cast<size_t>(image.height())), cols;
    for (int64_t r = 0; r < image.height(); ++r) rows[static_cast<size_t>(r)] = r;
    for (int64_t c = image.width() - 1; c >= 0; --c) cols.push_back(c);
    return detail::remap_image(img, rows, cols, {0});
}

ImageOrTensor vflip(const ImageOrTensor& img) {
    if (const Tensor* t = std::get_if<Tensor>(&img)) {
        detail::check_tensor_image(*t, "vflip");
        return flip(*t, {-2});
    }
    const Image& image = std::get<Image>(img);
    std::vector<int64_t> rows, cols(static_cast<size_t>(image.width()));
    for (int64_t r = image.height() - 1; r >= 0; --r) rows.push_back(r);
    for (int64_t c = 0; c < image.width(); ++c) cols[static_cast<size_t>(c)] = c;
    return detail::remap_image(img, rows, cols, {0});
}

}  // namespace functional

// ---- transforms ----

Pad::Pad(IntOrList padding, PadOptions options)
    : padding_(std::move(padding)), options_(std::move(options)) {
    const auto n = padding_.values.size();
    EMBER_CHECK(n == 1 || n == 2 || n == 4,
                "Pad: padding must be an int or a 1, 2, or 4 element sequence, not a ", n,
                " element sequence");
    EMBER_CHECK(options_.padding_mode == "constant" || options_.padding_mode == "edge" ||
                    options_.padding_mode == "reflect" || options_.padding_mode == "symmetric",
                "Pad: padding mode should be either constant, edge, reflect or symmetric, got '",
                options_.padding_mode, "'");
}

ImageOrTensor Pad::operator()(ImageOrTensor input) const {
    return functional::pad(input, padding_.values, options_.fill, options_.padding_mode);
}

std::string Pad::repr() const {
    return str_cat("Pad(padding=", padding_.repr(), ", fill=", options_.fill.repr(),
                   ", padding_mode=", options_.padding_mode, ")");
}

CenterCrop::CenterCrop(IntOrList size) {
    std::tie(height_, width_) = detail::setup_size(size, "CenterCrop");
}

ImageOrTensor CenterCrop::operator()(ImageOrTensor input) const {
    return functional::center_crop(input, height_, width_);
}

std::string CenterCrop::repr() const {
    return str_cat("CenterCrop(size=(", height_, ", ", width_, "))");
}

RandomCrop::RandomCrop(IntOrList size, RandomCropOptions options) : options_(std::move(options)) {
    std::tie(height_, width_) = detail::setup_size(size, "RandomCrop");
    if (options_.padding) {
        const auto n = options_.padding->values.size();
        EMBER_CHECK(n == 1 || n == 2 || n == 4,
                    "RandomCrop: padding must be an int or a 1, 2, or 4 element sequence, not a ",
                    n, " element sequence");
    }
}

ImageOrTensor RandomCrop::operator()(ImageOrTensor input) const {
    ImageOrTensor img = std::move(input);
    const Fill& fill = options_.fill;
    const std::string& mode = options_.padding_mode;
    if (options_.padding) img = functional::pad(img, options_.padding->values, fill, mode);
    std::vector<int64_t> dims = detail::image_dims(img, "RandomCrop");
    // Width first, then height, each as its own pad call, as torchvision does.
    if (options_.pad_if_needed && dims[2] < width_)
        img = functional::pad(img, std::vector<int64_t>{width_ - dims[2], 0}, fill, mode);
    if (options_.pad_if_needed && dims[1] < height_)
        img = functional::pad(img, std::vector<int64_t>{0, height_ - dims[1]}, fill, mode);
    dims = functional::get_dimensions(img);
    const int64_t H = dims[1], W = dims[2];
    EMBER_CHECK(H >= height_ && W >= width_, "RandomCrop: required crop size (", height_, ", ",
                width_, ") is larger than input image size (", H, ", ", W, ")");
    if (H == height_ && W == width_) return img;
    const int64_t i = detail::draw_index(H - height_ + 1);
    const int64_t j = detail::draw_index(W - width_ + 1);
    return functional::crop(img, i, j, height_, width_);
}

std::string RandomCrop::repr() const {
    return str_cat("RandomCrop(size=(", height_, ", ", width_,
                   "), padding=", options_.padding ? options_.padding->repr() : std::string("None"),
                   ")");
}

RandomHorizontalFlip::RandomHorizontalFlip(double p) : p_(p) {}

ImageOrTensor RandomHorizontalFlip::operator()(ImageOrTensor input) const {
    if (detail::draw_below(p_)) return functional::hflip(input);
    return input;
}

std::string RandomHorizontalFlip::repr() const {
    return "RandomHorizontalFlip(p=" + ember::detail::py_float(p_) + ")";
}

RandomVerticalFlip::RandomVerticalFlip(double p) : p_(p) {}

ImageOrTensor RandomVerticalFlip::operator()(ImageOrTensor input) const {
    if (detail::draw_below(p_)) return functional::vflip(input);
    return input;
}

std::string RandomVerticalFlip::repr() const {
    return "RandomVerticalFlip(p=" + ember::detail::py_float(p_) + ")";
}

}  // namespace ember::vision::transforms
