// Normalisation layers, as torch.nn's: BatchNorm1d / BatchNorm2d, LayerNorm and GroupNorm, and
// their functional forms nn::functional::batch_norm, layer_norm and group_norm.
//
//   nn::BatchNorm2d bn(16);                               // eps 1e-5, momentum 0.1, affine
//   nn::BatchNorm1d cumulative(8, {.momentum = std::nullopt});  // cumulative moving average
//   nn::LayerNorm ln({4, 5}, {.elementwise_affine = false});
//   nn::GroupNorm gn(2, 6);
//
// BatchNorm normalises with the batch's statistics in training mode (updating the running ones
// with the unbiased variance, as PyTorch) and with the running statistics in eval mode.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "ember/core/int_array.h"
#include "ember/nn/module.h"

namespace ember::nn {

struct BatchNormOptions {
    double eps = 1e-5;
    // The weight of the new batch's statistics in the running ones; nullopt: the cumulative
    // average of all batches (1 / num_batches_tracked).
    std::optional<double> momentum = 0.1;
    bool affine = true;               // learnable weight (ones) and bias (zeros) per channel
    bool track_running_stats = true;  // false: no buffers, batch statistics in eval mode too
};

// BatchNorm1d and BatchNorm2d differ only in the input ranks they accept.
class BatchNormBase : public Module {
public:
    Tensor forward(const Tensor& input) override;
    std::string extra_repr() const override;
    // Running mean 0, variance 1, no batch tracked.
    void reset_running_stats();

    int64_t num_features;
    BatchNormOptions options;
    Tensor& weight;               // (num_features), undefined without affine
    Tensor& bias;                 // (num_features), undefined without affine
    Tensor& running_mean;         // (num_features), undefined without track_running_stats
    Tensor& running_var;          // (num_features), undefined without track_running_stats
    Tensor& num_batches_tracked;  // int64, 0-dim, undefined without track_running_stats

protected:
    BatchNormBase(int64_t num_features, const BatchNormOptions& options);
    // Raises PyTorch's "expected 4D input (got 3D input)".
    virtual void check_input_dim(const Tensor& input) const = 0;
};

// Over (N, C) or (N, C, L) input, statistics per channel C.
class BatchNorm1d : public BatchNormBase {
public:
    explicit BatchNorm1d(int64_t num_features, const BatchNormOptions& options = {})
        : BatchNormBase(num_features, options) {}

protected:
    void check_input_dim(const Tensor& input) const override;
};

// Over (N, C, H, W) input, statistics per channel C.
class BatchNorm2d : public BatchNormBase {
public:
    explicit BatchNorm2d(int64_t num_features, const BatchNormOptions& options = {})
        : BatchNormBase(num_features, options) {}

protected:
    void check_input_dim(const Tensor& input) const override;
};

struct LayerNormOptions {
    double eps = 1e-5;
    bool elementwise_affine = true;  // learnable weight (ones) and bias (zeros) of normalized_shape
};

// Normalises over the trailing dims given by normalized_shape, per sample.
class LayerNorm : public Module {
public:
    explicit LayerNorm(IntArrayRef normalized_shape, const LayerNormOptions& options = {});
    Tensor forward(const Tensor& input) override;
    std::string extra_repr() const override;

    DimVector normalized_shape;
    LayerNormOptions options;
    Tensor& weight;  // normalized_shape, undefined without elementwise_affine
    Tensor& bias;
};

struct GroupNormOptions {
    double eps = 1e-5;
    bool affine = true;  // learnable weight (ones) and bias (zeros) per channel
};

// Splits the channels of (N, C, *) input into num_groups groups and normalises each group of
// each sample.
class GroupNorm : public Module {
public:
    GroupNorm(int64_t num_groups, int64_t num_channels, const GroupNormOptions& options = {});
    Tensor forward(const Tensor& input) override;
    std::string extra_repr() const override;

    int64_t num_groups, num_channels;
    GroupNormOptions options;
    Tensor& weight;  // (num_channels), undefined without affine
    Tensor& bias;
};

namespace functional {

// Normalises (N, C, *) input per channel: with the batch's statistics when training (updating
// running_mean / running_var in place when defined: new = (1 - momentum) old + momentum stat,
// with the unbiased variance), else with running_mean and running_var. weight and bias (C) are
// optional.
Tensor batch_norm(const Tensor& input, const Tensor& running_mean, const Tensor& running_var,
                  const Tensor& weight = Tensor(), const Tensor& bias = Tensor(),
                  bool training = false, double momentum = 0.1, double eps = 1e-5);

// Normalises over the trailing dims, which must equal normalized_shape (as weight and bias).
Tensor layer_norm(const Tensor& input, IntArrayRef normalized_shape,
                  const Tensor& weight = Tensor(), const Tensor& bias = Tensor(),
                  double eps = 1e-5);

// Normalises each of num_groups channel groups of each sample of (N, C, *) input; weight and
// bias (C) are optional.
Tensor group_norm(const Tensor& input, int64_t num_groups, const Tensor& weight = Tensor(),
                  const Tensor& bias = Tensor(), double eps = 1e-5);

}  // namespace functional

}  // namespace ember::nn
