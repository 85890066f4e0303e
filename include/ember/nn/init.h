// nn::init: PyTorch's parameter initialisers (torch.nn.init), drawing from the same generator
// streams, so that after the same seed the same layers hold the same weights. Each fills its
// tensor in place without recording (as under torch.no_grad()) and returns it.
#pragma once

#include <optional>
#include <string>

#include "ember/core/generator.h"
#include "ember/core/tensor.h"

namespace ember::nn::init {

// The recommended gain for a nonlinearity: "linear", "conv1d"..., "sigmoid" -> 1, "tanh" ->
// 5/3, "relu" -> sqrt(2), "leaky_relu" -> sqrt(2 / (1 + slope^2)) (slope default 0.01),
// "selu" -> 3/4.
double calculate_gain(const std::string& nonlinearity, std::optional<double> param = std::nullopt);

// (fan_in, fan_out) of a weight shaped (out, in, *kernel).
std::pair<int64_t, int64_t> calculate_fan_in_and_fan_out(const Tensor& tensor);

Tensor& uniform_(Tensor& tensor, double a = 0, double b = 1,
                 std::optional<Generator> generator = std::nullopt);
Tensor& normal_(Tensor& tensor, double mean = 0, double std = 1,
                std::optional<Generator> generator = std::nullopt);
Tensor& constant_(Tensor& tensor, const Scalar& value);
Tensor& zeros_(Tensor& tensor);
Tensor& ones_(Tensor& tensor);
// The identity in a 2-D tensor (ones on the diagonal).
Tensor& eye_(Tensor& tensor);
Tensor& xavier_uniform_(Tensor& tensor, double gain = 1,
                        std::optional<Generator> generator = std::nullopt);
Tensor& xavier_normal_(Tensor& tensor, double gain = 1,
                       std::optional<Generator> generator = std::nullopt);
// mode: "fan_in" or "fan_out"; nonlinearity as calculate_gain, with `a` its parameter.
Tensor& kaiming_uniform_(Tensor& tensor, double a = 0, const std::string& mode = "fan_in",
                         const std::string& nonlinearity = "leaky_relu",
                         std::optional<Generator> generator = std::nullopt);
Tensor& kaiming_normal_(Tensor& tensor, double a = 0, const std::string& mode = "fan_in",
                        const std::string& nonlinearity = "leaky_relu",
                        std::optional<Generator> generator = std::nullopt);
// Normal(mean, std) truncated to [a, b], drawn as PyTorch does (one uniform_ on
// [2 cdf(a) - 1, 2 cdf(b) - 1], erfinv, scale and shift, clamp), so that after the same seed
// the values are PyTorch's. Warns when mean is more than 2 std outside [a, b].
Tensor& trunc_normal_(Tensor& tensor, double mean = 0, double std = 1, double a = -2,
                      double b = 2, std::optional<Generator> generator = std::nullopt);
// A (semi-)orthogonal matrix: the tensor is seen as (size(0), numel / size(0)), filled from a
// standard normal draw made orthogonal by QR (with R's diagonal made positive), then scaled by
// gain. Needs at least 2 dimensions.
Tensor& orthogonal_(Tensor& tensor, double gain = 1,
                    std::optional<Generator> generator = std::nullopt);

}  // namespace ember::nn::init
