// Pooling layers and their functional forms: max pooling (1-D and 2-D, optionally with the
// argmax indices), average pooling and adaptive average pooling, as torch.nn.
//
//   nn::MaxPool2d pool(3, {.stride = 2, .padding = 1, .ceil_mode = true});
//   Tensor y = pool(x);                                     // (N, C, H, W) or (C, H, W)
//   auto [values, indices] = F::max_pool2d_with_indices(x, 2);
//
// The computation, output sizes and errors are those of ember/ops/pool.h.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string>
#include <utility>

#include "ember/core/int_array.h"
#include "ember/nn/module.h"
#include "ember/ops/pool.h"

namespace ember::nn {

// A 2-D window argument, as Python's `int or tuple`: one value for both dims (`2`) or
// (height, width) (`{3, 2}`). Empty means "not given" (stride then follows kernel_size).
struct PoolSize {
    PoolSize() = default;
    PoolSize(int64_t v) : values{v} {}                                   // NOLINT
    PoolSize(std::initializer_list<int64_t> l) : values(l.begin(), l.end()) {}
    operator IntArrayRef() const { return values; }                      // NOLINT
    bool empty() const { return values.empty(); }
    // As Python prints the argument: "2" or "(3, 2)".
    std::string repr() const;
    DimVector values;
};

struct MaxPool1dOptions {
    std::optional<int64_t> stride;  // default: kernel_size
    int64_t padding = 0;
    int64_t dilation = 1;
    bool ceil_mode = false;
};

struct MaxPool2dOptions {
    PoolSize stride;  // default: kernel_size
    PoolSize padding = 0;
    PoolSize dilation = 1;
    bool ceil_mode = false;
};

struct AvgPool2dOptions {
    PoolSize stride;  // default: kernel_size
    PoolSize padding = 0;
    bool ceil_mode = false;
    bool count_include_pad = true;
    std::optional<int64_t> divisor_override;
};

namespace functional {

Tensor max_pool1d(const Tensor& input, int64_t kernel_size, const MaxPool1dOptions& options = {});
std::pair<Tensor, Tensor> max_pool1d_with_indices(const Tensor& input, int64_t kernel_size,
                                                  const MaxPool1dOptions& options = {});
Tensor max_pool2d(const Tensor& input, const PoolSize& kernel_size,
                  const MaxPool2dOptions& options = {});
// F.max_pool2d(..., return_indices=True): the values and the int64 flat index of each maximum
// in its input plane.
std::pair<Tensor, Tensor> max_pool2d_with_indices(const Tensor& input, const PoolSize& kernel_size,
                                                  const MaxPool2dOptions& options = {});
Tensor avg_pool2d(const Tensor& input, const PoolSize& kernel_size,
                  const AvgPool2dOptions& options = {});
Tensor adaptive_avg_pool2d(const Tensor& input, const PoolSize& output_size);

}  // namespace functional

class MaxPool1d : public Module {
public:
    explicit MaxPool1d(int64_t kernel_size, MaxPool1dOptions options = {})
        : kernel_size(kernel_size), options(options) {}
    Tensor forward(const Tensor& input) override;
    // forward with return_indices=True.
    std::pair<Tensor, Tensor> forward_with_indices(const Tensor& input);
    std::string extra_repr() const override;
    int64_t kernel_size;
    MaxPool1dOptions options;
};

class MaxPool2d : public Module {
public:
    explicit MaxPool2d(PoolSize kernel_size, MaxPool2dOptions options = {})
        : kernel_size(std::move(kernel_size)), options(std::move(options)) {}
    Tensor forward(const Tensor& input) override;
    std::pair<Tensor, Tensor> forward_with_indices(const Tensor& input);
    std::string extra_repr() const override;
    PoolSize kernel_size;
    MaxPool2dOptions options;
};

class AvgPool2d : public Module {
public:
    explicit AvgPool2d(PoolSize kernel_size, AvgPool2dOptions options = {})
        : kernel_size(std::move(kernel_size)), options(std::move(options)) {}
    Tensor forward(const Tensor& input) override;
    std::string extra_repr() const override;
    PoolSize kernel_size;
    AvgPool2dOptions options;
};

class AdaptiveAvgPool2d : public Module {
public:
    explicit AdaptiveAvgPool2d(PoolSize output_size) : output_size(std::move(output_size)) {}
    Tensor forward(const Tensor& input) override;
    std::string extra_repr() const override;
    PoolSize output_size;
};

}  // namespace ember::nn
