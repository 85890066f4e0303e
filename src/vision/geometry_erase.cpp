// RandomErasing and functional::erase (tensor images only, as in torchvision).
#include <cmath>

#include "core/py_repr.h"
#include "ember/core/error.h"
#include "ember/ops/factory.h"
#include "ops/util.h"
#include "vision/geometry_internal.h"

namespace ember::vision::transforms {

using ember::detail::str_cat;

namespace functional {

Tensor erase(const Tensor& img, int64_t i, int64_t j, int64_t h, int64_t w, const Tensor& value,
             bool inplace) {
    detail::check_tensor_image(img, "erase");
    EMBER_CHECK(
        i >= 0 && j >= 0 && h >= 0 && w >= 0 && i + h <= img.size(-2) && j + w <= img.size(-1),
        "erase: the box (i=", i, ", j=", j, ", h=", h, ", w=", w, ") does not fit in the image ",
        ember::detail::describe(img));
    Tensor out = inplace ? img : img.clone();
    Tensor box = out.narrow(-2, i, h).narrow(-1, j, w);
    box.copy_(value.expand(box.sizes()));
    return out;
}

}  // namespace functional

RandomErasing::RandomErasing(RandomErasingOptions options) : options_(std::move(options)) {
    const auto& o = options_;
    EMBER_CHECK(o.scale.first >= 0 && o.scale.second <= 1,
                "RandomErasing: scale should be between 0 and 1, got ",
                detail::py_float_pair(o.scale));
    EMBER_CHECK(o.p >= 0 && o.p <= 1,
                "RandomErasing: random erasing probability should be between 0 and 1, got ", o.p);
    EMBER_CHECK(o.ratio.first > 0 && o.ratio.second > 0,
                "RandomErasing: ratio must be positive, got ", detail::py_float_pair(o.ratio));
}

ImageOrTensor RandomErasing::operator()(ImageOrTensor input) const {
    const Tensor& img = detail::expect_tensor(input, "RandomErasing");
    detail::check_tensor_image(img, "RandomErasing");
    EMBER_CHECK(img.dim() >= 3, "RandomErasing: expected a tensor image [..., C, H, W], got ",
                ember::detail::describe(img));
    if (!detail::draw_below(options_.p)) return img;
    const int64_t C = img.size(-3), H = img.size(-2), W = img.size(-1);
    const std::vector<double>& values = options_.value.values;
    if (!options_.random_value)
        EMBER_CHECK(values.size() == 1 || static_cast<int64_t>(values.size()) == C,
                    "RandomErasing: if value is a sequence, it should have either a single value "
                    "or ",
                    C, " (number of input channels), got ", options_.value.repr());
    const double area = static_cast<double>(H * W);
    const float log_lo = std::log(static_cast<float>(options_.ratio.first));
    const float log_hi = std::log(static_cast<float>(options_.ratio.second));
    for (int attempt = 0; attempt < 10; ++attempt) {
        const double erase_area =
            area * detail::draw_uniform(options_.scale.first, options_.scale.second);
        const double aspect =
            static_cast<double>(std::exp(static_cast<float>(detail::draw_uniform(log_lo, log_hi))));
        const int64_t h = detail::round_half_even(std::sqrt(erase_area * aspect));
        const int64_t w = detail::round_half_even(std::sqrt(erase_area / aspect));
        if (!(h < H && w < W)) continue;
        Tensor v;
        if (options_.random_value) {
            v = empty({C, h, w}).normal_();
        } else {
            // torch.tensor(value): int64 when every value is an integer, else float32 (so a
            // float64 image gets the float32-rounded value, as in torchvision).
            bool integral = true;
            for (double x : values) integral = integral && x == std::floor(x);
            v = tensor(values, {.dtype = DType::Float64})
                    .to(integral ? DType::Int64 : DType::Float32)
                    .view({-1, 1, 1});
        }
        const int64_t i = detail::draw_index(H - h + 1);
        const int64_t j = detail::draw_index(W - w + 1);
        return functional::erase(img, i, j, h, w, v, options_.inplace);
    }
    // No box fitted in 10 tries: the image unchanged (a copy unless inplace).
    return options_.inplace ? img : img.clone();
}

std::string RandomErasing::repr() const {
    return str_cat("RandomErasing(p=", ember::detail::py_float(options_.p),
                   ", scale=", detail::py_float_pair(options_.scale),
                   ", ratio=", detail::py_float_pair(options_.ratio), ", value=",
                   options_.random_value ? std::string("random") : options_.value.repr(),
                   ", inplace=", ember::detail::py_bool(options_.inplace), ")");
}

}  // namespace ember::vision::transforms
