// Linear, Bilinear, Flatten, Unflatten, Dropout, Dropout2d.
#include "ember/nn/layers.h"

#include <cmath>

#include "ember/nn/functional.h"
#include "ember/nn/init.h"
#include "ember/ops/factory.h"
#include "nn/repr.h"

namespace ember::nn {

namespace {

// Linear's parameters, drawn before registration (weight first, then bias, as PyTorch).
Tensor linear_weight(int64_t in_features, int64_t out_features) {
    EMBER_CHECK(in_features >= 0 && out_features >= 0, "Linear: in_features and out_features "
                "must be non-negative, got ", in_features, " and ", out_features);
    Tensor w = empty({out_features, in_features});
    init::kaiming_uniform_(w, std::sqrt(5.0));
    return w;
}

Tensor linear_bias(int64_t in_features, int64_t out_features, bool bias) {
    if (!bias) return {};
    Tensor b = empty({out_features});
    const double bound = in_features > 0 ? 1 / std::sqrt(static_cast<double>(in_features)) : 0;
    init::uniform_(b, -bound, bound);
    return b;
}

// Bilinear's parameters: both uniform(-1/sqrt(in1), 1/sqrt(in1)), the weight drawn first.
double bilinear_bound(int64_t in1_features, int64_t in2_features, int64_t out_features) {
    EMBER_CHECK(in1_features >= 0 && in2_features >= 0 && out_features >= 0, "Bilinear: "
                "in1_features, in2_features and out_features must be non-negative, got ",
                in1_features, ", ", in2_features, " and ", out_features);
    // PyTorch divides by zero here (ZeroDivisionError); an empty weight needs no bound.
    EMBER_CHECK(in1_features > 0, "Bilinear: in1_features must be positive (the initialisation "
                "bound is 1 / sqrt(in1_features))");
    return 1 / std::sqrt(static_cast<double>(in1_features));
}

Tensor bilinear_weight(int64_t in1_features, int64_t in2_features, int64_t out_features) {
    const double bound = bilinear_bound(in1_features, in2_features, out_features);
    Tensor w = empty({out_features, in1_features, in2_features});
    init::uniform_(w, -bound, bound);
    return w;
}

Tensor bilinear_bias(int64_t in1_features, int64_t out_features, bool bias) {
    if (!bias) return {};
    Tensor b = empty({out_features});
    const double bound = 1 / std::sqrt(static_cast<double>(in1_features));
    init::uniform_(b, -bound, bound);
    return b;
}

}  // namespace

Linear::Linear(int64_t in, int64_t out, bool with_bias)
    : in_features(in),
      out_features(out),
      weight(register_parameter("weight", linear_weight(in, out))),
      bias(register_parameter("bias", linear_bias(in, out, with_bias))) {}

Tensor Linear::forward(const Tensor& input) {
    input.check_defined("Linear");
    EMBER_CHECK(input.dim() >= 1 && input.size(-1) == in_features, error_prefix(), "input has ",
                input.dim() >= 1 ? input.size(-1) : 0, " features, expected ", in_features,
                "; input shape ", shape_str(input.sizes()));
    return functional::linear(input, weight, bias);
}

std::string Linear::extra_repr() const {
    return detail::str_cat("in_features=", in_features, ", out_features=", out_features,
                           ", bias=", py_bool(bias.defined()));
}

Bilinear::Bilinear(int64_t in1, int64_t in2, int64_t out, bool with_bias)
    : in1_features(in1),
      in2_features(in2),
      out_features(out),
      weight(register_parameter("weight", bilinear_weight(in1, in2, out))),
      bias(register_parameter("bias", bilinear_bias(in1, out, with_bias))) {}

Tensor Bilinear::forward(const Tensor& input1, const Tensor& input2) {
    input1.check_defined("Bilinear");
    input2.check_defined("Bilinear");
    EMBER_CHECK(input1.dim() >= 1 && input1.size(-1) == in1_features, error_prefix(), "input1 has ",
                input1.dim() >= 1 ? input1.size(-1) : 0, " features, expected ", in1_features,
                "; input1 shape ", shape_str(input1.sizes()));
    EMBER_CHECK(input2.dim() >= 1 && input2.size(-1) == in2_features, error_prefix(), "input2 has ",
                input2.dim() >= 1 ? input2.size(-1) : 0, " features, expected ", in2_features,
                "; input2 shape ", shape_str(input2.sizes()));
    return functional::bilinear(input1, input2, weight, bias);
}

Tensor Bilinear::operator()(const Tensor& input1, const Tensor& input2) {
    return with_error_prefix([&] { return forward(input1, input2); });
}

std::string Bilinear::extra_repr() const {
    return detail::str_cat("in1_features=", in1_features, ", in2_features=", in2_features,
                           ", out_features=", out_features, ", bias=", py_bool(bias.defined()));
}

std::string Flatten::extra_repr() const {
    return detail::str_cat("start_dim=", start_dim, ", end_dim=", end_dim);
}

std::string Unflatten::extra_repr() const {
    return detail::str_cat("dim=", dim, ", unflattened_size=", py_tuple(sizes));
}

Dropout::Dropout(double p, bool inplace) : p(p), inplace(inplace) {
    EMBER_CHECK(p >= 0 && p <= 1, "Dropout: dropout probability has to be between 0 and 1, but "
                "got ", p);
}

Tensor Dropout::forward(const Tensor& input) {
    return functional::dropout(input, p, is_training(), inplace);
}

std::string Dropout::extra_repr() const {
    return "p=" + py_float(p) + ", inplace=" + py_bool(inplace);
}

Dropout2d::Dropout2d(double p, bool inplace) : p(p), inplace(inplace) {
    EMBER_CHECK(p >= 0 && p <= 1, "Dropout2d: dropout probability has to be between 0 and 1, but "
                "got ", p);
}

Tensor Dropout2d::forward(const Tensor& input) {
    return functional::dropout2d(input, p, is_training(), inplace);
}

std::string Dropout2d::extra_repr() const {
    return "p=" + py_float(p) + ", inplace=" + py_bool(inplace);
}

}  // namespace ember::nn
