// nn::functional (`namespace F = ember::nn::functional;`): the functional form of the layers,
// as torch.nn.functional. The losses are in ember/nn/loss.h.
#pragma once

#include <optional>

#include "ember/core/generator.h"
#include "ember/core/tensor.h"

namespace ember::nn::functional {

// y = x W^T + b; input (*, in_features), weight (out_features, in_features).
Tensor linear(const Tensor& input, const Tensor& weight, const Tensor& bias = Tensor());
// y = x1^T A x2 + b for each pair of rows: input1 (*, in1_features) and input2 (*, in2_features)
// with the same leading dims, weight (out_features, in1_features, in2_features), bias
// (out_features); the result is (*, out_features).
Tensor bilinear(const Tensor& input1, const Tensor& input2, const Tensor& weight,
                const Tensor& bias = Tensor());

Tensor relu(const Tensor& input, bool inplace = false);
Tensor leaky_relu(const Tensor& input, double negative_slope = 0.01, bool inplace = false);
Tensor elu(const Tensor& input, double alpha = 1.0, bool inplace = false);
// approximate: "none" (exact, with erf) or "tanh".
Tensor gelu(const Tensor& input, const std::string& approximate = "none");
Tensor silu(const Tensor& input, bool inplace = false);
Tensor sigmoid(const Tensor& input);
Tensor tanh(const Tensor& input);
Tensor softmax(const Tensor& input, int64_t dim, std::optional<DType> dtype = std::nullopt);
Tensor log_softmax(const Tensor& input, int64_t dim, std::optional<DType> dtype = std::nullopt);

// Zeroes elements with probability p in training mode (scaling the rest by 1 / (1 - p)), with
// PyTorch's mask for the same generator state; identity otherwise.
Tensor dropout(const Tensor& input, double p = 0.5, bool training = true, bool inplace = false,
               std::optional<Generator> generator = std::nullopt);

// Zeroes whole channels of (N, C, *) input (each (n, c) slice) with probability p in training
// mode, scaling the rest by 1 / (1 - p), with PyTorch's mask for the same generator state. As
// PyTorch 1.13, a 3-D input is taken as (N, C, L).
Tensor dropout2d(const Tensor& input, double p = 0.5, bool training = true, bool inplace = false,
                 std::optional<Generator> generator = std::nullopt);

}  // namespace ember::nn::functional
