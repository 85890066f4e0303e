// The fused mse_loss of the common case (see mse_loss_fused.cpp).
#pragma once

#include <optional>

#include "ember/core/tensor.h"

namespace ember::detail {

// mse_loss of two float32/float64 CPU tensors of one shape and dtype, reduced by mean or sum,
// in one pass forward and one backward; nullopt outside that case (the general composition,
// (input - target).pow(2) reduced, handles it).
std::optional<Tensor> fused_mse_loss(const Tensor& input, const Tensor& target, bool mean);

}  // namespace ember::detail
