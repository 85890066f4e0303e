// Basic layers: Linear, Bilinear, Identity, Flatten, Unflatten, Dropout, Dropout2d.
#pragma once

#include "ember/core/int_array.h"
#include "ember/nn/module.h"

namespace ember::nn {

// y = x W^T + b, PyTorch's default initialisation (kaiming_uniform_(a=sqrt(5)) for the weight,
// uniform(-1/sqrt(in), 1/sqrt(in)) for the bias, drawn in that order).
class Linear : public Module {
public:
    Linear(int64_t in_features, int64_t out_features, bool bias = true);
    Tensor forward(const Tensor& input) override;
    std::string extra_repr() const override;

    int64_t in_features, out_features;
    Tensor& weight;  // (out_features, in_features)
    Tensor& bias;    // (out_features), undefined without bias
};

// y = x1^T A x2 + b (see functional::bilinear); weight and bias drawn from
// uniform(-1/sqrt(in1_features), 1/sqrt(in1_features)), weight first, as PyTorch. Called with
// two tensors: `bilinear(x1, x2)`.
class Bilinear : public Module {
public:
    Bilinear(int64_t in1_features, int64_t in2_features, int64_t out_features, bool bias = true);
    using Module::forward;  // the one-tensor form is an error: Bilinear takes two inputs
    Tensor forward(const Tensor& input1, const Tensor& input2);
    Tensor operator()(const Tensor& input1, const Tensor& input2);
    std::string extra_repr() const override;

    int64_t in1_features, in2_features, out_features;
    Tensor& weight;  // (out_features, in1_features, in2_features)
    Tensor& bias;    // (out_features), undefined without bias
};

class Identity : public Module {
public:
    Tensor forward(const Tensor& input) override { return input; }
};

class Flatten : public Module {
public:
    explicit Flatten(int64_t start_dim = 1, int64_t end_dim = -1)
        : start_dim(start_dim), end_dim(end_dim) {}
    Tensor forward(const Tensor& input) override { return input.flatten(start_dim, end_dim); }
    std::string extra_repr() const override;
    int64_t start_dim, end_dim;
};

class Unflatten : public Module {
public:
    Unflatten(int64_t dim, IntArrayRef sizes) : dim(dim), sizes(sizes.begin(), sizes.end()) {}
    Tensor forward(const Tensor& input) override { return input.unflatten(dim, sizes); }
    std::string extra_repr() const override;
    int64_t dim;
    DimVector sizes;
};

class Dropout : public Module {
public:
    explicit Dropout(double p = 0.5, bool inplace = false);
    Tensor forward(const Tensor& input) override;
    std::string extra_repr() const override;
    double p;
    bool inplace;
};

// Zeroes whole channels of (N, C, H, W) input (see functional::dropout2d).
class Dropout2d : public Module {
public:
    explicit Dropout2d(double p = 0.5, bool inplace = false);
    Tensor forward(const Tensor& input) override;
    std::string extra_repr() const override;
    double p;
    bool inplace;
};

}  // namespace ember::nn
