// Activation layers (each the module form of the function in ember/nn/functional.h).
#pragma once

#include <optional>
#include <string>

#include "ember/nn/module.h"

namespace ember::nn {

class ReLU : public Module {
public:
    explicit ReLU(bool inplace = false) : inplace(inplace) {}
    Tensor forward(const Tensor& input) override;
    std::string extra_repr() const override { return inplace ? "inplace=True" : ""; }
    bool inplace;
};

class LeakyReLU : public Module {
public:
    explicit LeakyReLU(double negative_slope = 0.01, bool inplace = false)
        : negative_slope(negative_slope), inplace(inplace) {}
    Tensor forward(const Tensor& input) override;
    std::string extra_repr() const override;
    double negative_slope;
    bool inplace;
};

class ELU : public Module {
public:
    explicit ELU(double alpha = 1.0, bool inplace = false) : alpha(alpha), inplace(inplace) {}
    Tensor forward(const Tensor& input) override;
    std::string extra_repr() const override;
    double alpha;
    bool inplace;
};

class GELU : public Module {
public:
    explicit GELU(std::string approximate = "none") : approximate(std::move(approximate)) {}
    Tensor forward(const Tensor& input) override;
    std::string extra_repr() const override { return "approximate='" + approximate + "'"; }
    std::string approximate;
};

class SiLU : public Module {
public:
    explicit SiLU(bool inplace = false) : inplace(inplace) {}
    Tensor forward(const Tensor& input) override;
    std::string extra_repr() const override { return inplace ? "inplace=True" : ""; }
    bool inplace;
};

class Sigmoid : public Module {
public:
    Tensor forward(const Tensor& input) override;
};

class Tanh : public Module {
public:
    Tensor forward(const Tensor& input) override;
};

class Softmax : public Module {
public:
    explicit Softmax(std::optional<int64_t> dim = std::nullopt) : dim(dim) {}
    Tensor forward(const Tensor& input) override;
    std::string extra_repr() const override;
    std::optional<int64_t> dim;
};

class LogSoftmax : public Module {
public:
    explicit LogSoftmax(std::optional<int64_t> dim = std::nullopt) : dim(dim) {}
    Tensor forward(const Tensor& input) override;
    std::string extra_repr() const override;
    std::optional<int64_t> dim;
};

}  // namespace ember::nn
