// nn::functional: the layers' computations, written with ember ops (autograd for free).
#include "ember/nn/functional.h"

#include <cmath>

#include "ember/ember.h"

namespace ember::nn::functional {

Tensor linear(const Tensor& input, const Tensor& weight, const Tensor& bias) {
    input.check_defined("linear");
    weight.check_defined("linear");
    EMBER_CHECK(weight.dim() == 2, "linear: weight must be 2-D (out_features, in_features), got "
                "shape ", shape_str(weight.sizes()));
    EMBER_CHECK(input.dim() >= 1, "linear: input must have at least one dimension, got a 0-dim "
                "tensor");
    EMBER_CHECK(input.size(-1) == weight.size(1), "linear: input has ", input.size(-1),
                " features, expected ", weight.size(1), "; input shape ", shape_str(input.sizes()),
                ", weight shape ", shape_str(weight.sizes()));
    // As PyTorch: one addmm for a 2-D input with bias (AddmmBackward0), matmul otherwise.
    if (input.dim() == 2 && bias.defined()) return addmm(bias, input, weight.t());
    Tensor out = matmul(input, weight.t());
    return bias.defined() ? out + bias : out;
}

Tensor bilinear(const Tensor& input1, const Tensor& input2, const Tensor& weight,
                const Tensor& bias) {
    input1.check_defined("bilinear");
    input2.check_defined("bilinear");
    weight.check_defined("bilinear");
    EMBER_CHECK(weight.dim() == 3, "bilinear(): weight must be 3-D (out_features, in1_features, "
                "in2_features), got shape ", shape_str(weight.sizes()));
    EMBER_CHECK(input1.dim() >= 1 && input2.dim() >= 1, "bilinear(): inputs must have at least "
                "one dimension, got shapes ", shape_str(input1.sizes()), " and ",
                shape_str(input2.sizes()));
    EMBER_CHECK(input1.dim() == input2.dim(), "bilinear(): input dimensions "
                "do not match: got ", input1.dim(), " and ", input2.dim(), " (input1 shape ",
                shape_str(input1.sizes()), ", input2 shape ", shape_str(input2.sizes()), ")");
    for (int64_t d = 0; d + 1 < input1.dim(); ++d)
        EMBER_CHECK(input1.size(d) == input2.size(d), "bilinear(): input batch dimensions do not "
                    "match at dim ", d, ": got ", input1.size(d), " and ", input2.size(d),
                    " (input1 shape ", shape_str(input1.sizes()), ", input2 shape ",
                    shape_str(input2.sizes()), ")");
    const int64_t out_features = weight.size(0), in1 = weight.size(1), in2 = weight.size(2);
    EMBER_CHECK(input1.size(-1) == in1, "bilinear(): input1 size does not match weight size: got ",
                input1.size(-1), " but expected ", in1, " (input1 shape ",
                shape_str(input1.sizes()), ", weight shape ", shape_str(weight.sizes()), ")");
    EMBER_CHECK(input2.size(-1) == in2, "bilinear(): input2 size does not match weight size: got ",
                input2.size(-1), " but expected ", in2, " (input2 shape ",
                shape_str(input2.sizes()), ", weight shape ", shape_str(weight.sizes()), ")");
    if (bias.defined()) {
        EMBER_CHECK(bias.dim() == 1, "bilinear(): bias must be 1-D (out_features), got shape ",
                    shape_str(bias.sizes()));
        EMBER_CHECK(bias.size(0) == out_features, "bilinear(): bias size does not match weight "
                    "size: got ", bias.size(0), " but expected ", out_features, " (weight shape ",
                    shape_str(weight.sizes()), ")");
    }
    EMBER_CHECK(input1.dtype() == weight.dtype() && input2.dtype() == weight.dtype() &&
                    (!bias.defined() || bias.dtype() == weight.dtype()),
                "bilinear(): expected input1, input2, weight and bias to have the same dtype, "
                "got ", dtype_short_name(input1.dtype()), ", ", dtype_short_name(input2.dtype()),
                ", ", dtype_short_name(weight.dtype()),
                bias.defined() ? std::string(", ") + dtype_short_name(bias.dtype()) : "");
    // Rows of the flattened batch: y[n, o] = sum_i x1[n, i] (sum_j W[o, i, j] x2[n, j]), as one
    // matmul of x1 with W laid out (in1, out * in2) and one batched row-times-column product.
    DimVector out_sizes(input1.sizes().begin(), input1.sizes().end() - 1);
    int64_t rows = 1;
    for (int64_t s : out_sizes) rows *= s;
    out_sizes.push_back(out_features);
    const Tensor x1 = input1.reshape({rows, in1});
    const Tensor x2 = input2.reshape({rows, in2, 1});
    const Tensor w = weight.permute({1, 0, 2}).reshape({in1, out_features * in2});
    Tensor out = bmm(matmul(x1, w).view({rows, out_features, in2}), x2).view(out_sizes);
    return bias.defined() ? out + bias : out;
}

Tensor relu(const Tensor& input, bool inplace) {
    if (!inplace) return input.relu();
    Tensor self = input;
    return self.relu_();
}

namespace {

// The in-place form of an activation computed out of place: the result is written into input.
Tensor write_into(const Tensor& input, const Tensor& result) {
    Tensor self = input;
    return self.copy_(result);
}

}  // namespace

Tensor leaky_relu(const Tensor& input, double negative_slope, bool inplace) {
    Tensor out = where(input > 0, input, input * negative_slope);
    return inplace ? write_into(input, out) : out;
}

Tensor elu(const Tensor& input, double alpha, bool inplace) {
    // expm1 of the non-positive part only: exp of a large positive input would overflow and
    // turn the (unused) branch's gradient into nan.
    Tensor out = where(input > 0, input, expm1(input.clamp(std::nullopt, 0)) * alpha);
    return inplace ? write_into(input, out) : out;
}

Tensor gelu(const Tensor& input, const std::string& approximate) {
    if (approximate == "none") return input * 0.5 * (erf(input * M_SQRT1_2) + 1);
    EMBER_CHECK(approximate == "tanh", "gelu: approximate argument must be either none or tanh, "
                "got '", approximate, "'");
    const double k = std::sqrt(2.0 / M_PI);
    return input * 0.5 * (((input + input.pow(3) * 0.044715) * k).tanh() + 1);
}

Tensor silu(const Tensor& input, bool inplace) {
    Tensor out = input * input.sigmoid();
    return inplace ? write_into(input, out) : out;
}

Tensor sigmoid(const Tensor& input) { return input.sigmoid(); }
Tensor tanh(const Tensor& input) { return input.tanh(); }

Tensor softmax(const Tensor& input, int64_t dim, std::optional<DType> dtype) {
    return input.softmax(dim, dtype);
}

Tensor log_softmax(const Tensor& input, int64_t dim, std::optional<DType> dtype) {
    return input.log_softmax(dim, dtype);
}

Tensor dropout(const Tensor& input, double p, bool training, bool inplace,
               std::optional<Generator> generator) {
    EMBER_CHECK(p >= 0 && p <= 1, "dropout probability has to be between 0 and 1, but got ", p);
    if (!training || p == 0) return input;
    Tensor out;
    if (p == 1) {
        out = input * zeros({}, {.dtype = input.dtype()});
    } else {
        // PyTorch's mask: bernoulli(1 - p) drawn over a tensor shaped like the input, scaled.
        Tensor noise = empty_like(input);
        {
            NoGradGuard no_grad;
            noise.bernoulli_(1 - p, generator);
            noise.div_(1 - p);
        }
        out = input * noise;
    }
    return inplace ? write_into(input, out) : out;
}

Tensor dropout2d(const Tensor& input, double p, bool training, bool inplace,
                 std::optional<Generator> generator) {
    EMBER_CHECK(p >= 0 && p <= 1, "dropout2d: dropout probability has to be between 0 and 1, but "
                "got ", p);
    input.check_defined("dropout2d");
    EMBER_CHECK(input.dim() >= 2, "dropout2d: Feature dropout requires at least 2 dimensions in "
                "the input, got shape ", shape_str(input.sizes()));
    if (!training || p == 0 || input.numel() == 0) return input;
    Tensor out;
    if (p == 1) {
        out = input * zeros({}, {.dtype = input.dtype()});
    } else {
        // PyTorch's feature noise: bernoulli(1 - p) over (N, C, 1, ...), scaled, broadcast.
        DimVector noise_shape(static_cast<size_t>(input.dim()), 1);
        noise_shape[0] = input.size(0);
        noise_shape[1] = input.size(1);
        Tensor noise = empty(noise_shape, {.dtype = input.dtype(), .device = input.device()});
        {
            NoGradGuard no_grad;
            noise.bernoulli_(1 - p, generator);
            noise.div_(1 - p);
        }
        out = input * noise;
    }
    return inplace ? write_into(input, out) : out;
}

}  // namespace ember::nn::functional
